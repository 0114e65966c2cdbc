package io.tarn.bench;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The options of one run, parsed from {@code --name value} (or {@code --name=value}) arguments. */
public final class Options {
  private final Map<String, String> values;

  private Options(Map<String, String> values) {
    this.values = values;
  }

  /**
   * Parses {@code args} against {@code known}; unknown names fail, so a typo cannot silently run
   * the default.
   */
  public static Options parse(String benchmark, List<String> args, List<BenchOption> known) {
    Map<String, BenchOption> byName = new LinkedHashMap<>();
    known.forEach(option -> byName.put(option.name(), option));

    Map<String, String> values = new LinkedHashMap<>();
    known.forEach(option -> values.put(option.name(), option.defaultValue()));
    for (int i = 0; i < args.size(); i += 1) {
      String arg = args.get(i);
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException(
            String.format("Cannot run benchmark %s: unexpected argument '%s'", benchmark, arg));
      }
      String name = arg.substring(2);
      String value = null;
      int equals = name.indexOf('=');
      if (equals >= 0) {
        value = name.substring(equals + 1);
        name = name.substring(0, equals);
      }
      BenchOption option = byName.get(name);
      if (option == null) {
        throw new IllegalArgumentException(
            String.format(
                "Cannot run benchmark %s: unknown option --%s (known: %s)",
                benchmark,
                name,
                byName.keySet().stream().map(n -> "--" + n).collect(Collectors.joining(", "))));
      }
      if (value == null) {
        boolean hasValue = i + 1 < args.size() && !args.get(i + 1).startsWith("--");
        if (hasValue) {
          value = args.get(++i);
        } else if (option.isFlag()) {
          value = "true";
        } else {
          throw new IllegalArgumentException(
              String.format("Cannot run benchmark %s: option --%s needs a value", benchmark, name));
        }
      }
      values.put(name, value);
    }
    return new Options(values);
  }

  public String get(String name) {
    String value = values.get(name);
    if (value == null) {
      throw new IllegalArgumentException("Cannot read option --" + name + ": not declared");
    }
    return value;
  }

  public long getLong(String name) {
    String value = get(name).replace("_", "");
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Cannot read option --" + name + ": '" + value + "' is not a whole number");
    }
  }

  public int getInt(String name) {
    return Math.toIntExact(getLong(name));
  }

  public boolean getBoolean(String name) {
    String value = get(name);
    if (!"true".equals(value) && !"false".equals(value)) {
      throw new IllegalArgumentException(
          "Cannot read option --" + name + ": '" + value + "' is not true or false");
    }
    return Boolean.parseBoolean(value);
  }

  /** A duration as {@code 500ms}, {@code 10s}, {@code 2m}, or plain seconds. */
  public Duration getDuration(String name) {
    String value = get(name).trim();
    try {
      if (value.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
      } else if (value.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
      } else if (value.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(value.substring(0, value.length() - 1)));
      }
      return Duration.ofSeconds(Long.parseLong(value));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Cannot read option --" + name + ": '" + value + "' is not a duration like 10s");
    }
  }

  /** Every option with its effective value, for the result files. */
  public Map<String, String> asMap() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }
}
