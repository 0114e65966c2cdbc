package io.tarn.jobs.config;

/** A configuration problem found at startup; the message names the key and what was expected. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String format, Object... args) {
    super(String.format(format, args));
  }
}
