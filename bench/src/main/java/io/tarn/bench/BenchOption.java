package io.tarn.bench;

/** A {@code --name value} option a benchmark takes; a default of "true"/"false" makes it a flag. */
public record BenchOption(String name, String defaultValue, String description) {
  public boolean isFlag() {
    return "true".equals(defaultValue) || "false".equals(defaultValue);
  }
}
