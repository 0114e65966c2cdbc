package io.tarn.jobs.config;

import java.io.Serializable;
import java.util.Objects;
import java.util.function.Function;

/**
 * One self-describing configuration key: its name, how its text is parsed and checked, its default,
 * and a description that the reference documentation is generated from.
 */
public final class ConfigKey<T> implements Serializable {
  /** Parses a raw value, throwing {@link IllegalArgumentException} with what was expected. */
  public interface Parser<T> extends Function<String, T>, Serializable {}

  private final String name;
  private final Parser<T> parser;
  private final String defaultValue;
  private final boolean required;
  private final boolean secret;
  private final String description;

  private ConfigKey(
      String name,
      Parser<T> parser,
      String defaultValue,
      boolean required,
      boolean secret,
      String description) {
    this.name = name;
    this.parser = parser;
    this.defaultValue = defaultValue;
    this.required = required;
    this.secret = secret;
    this.description = description;
  }

  public static <T> ConfigKey<T> required(String name, Parser<T> parser, String description) {
    return new ConfigKey<>(name, parser, null, true, false, description);
  }

  public static <T> ConfigKey<T> optional(
      String name, Parser<T> parser, String defaultValue, String description) {
    return new ConfigKey<>(name, parser, defaultValue, false, false, description);
  }

  /** A key whose value is never printed (passwords, tokens). */
  public static ConfigKey<String> secret(String name, String description) {
    return new ConfigKey<>(name, s -> s, null, false, true, description);
  }

  public String name() {
    return name;
  }

  public String defaultValue() {
    return defaultValue;
  }

  public boolean required() {
    return required;
  }

  public boolean secret() {
    return secret;
  }

  public String description() {
    return description;
  }

  T parse(String raw, String source) {
    try {
      return parser.apply(raw.trim());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          "Cannot configure Tarn: key '%s' in %s has value '%s': %s",
          name, source, secret ? "****" : raw, e.getMessage());
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConfigKey<?> other && other.name.equals(name);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name);
  }

  @Override
  public String toString() {
    return name;
  }
}
