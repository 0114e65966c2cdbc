package io.tarn.jobs.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Value parsers for {@link ConfigKey}s; each says what it expected when the text does not fit. */
public final class Parsers {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kb|mb|gb)?");

  private Parsers() {}

  public static final ConfigKey.Parser<String> STRING =
      s -> {
        if (s.isEmpty()) {
          throw new IllegalArgumentException("expected a non-empty value");
        }
        return s;
      };

  public static final ConfigKey.Parser<Duration> DURATION_VALUE =
      s -> {
        Matcher m = DURATION.matcher(s.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
          throw new IllegalArgumentException("expected a duration like 500ms, 10s, 5m, 24h or 7d");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
      };

  public static final ConfigKey.Parser<Long> BYTES =
      s -> {
        Matcher m = SIZE.matcher(s.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
          throw new IllegalArgumentException("expected a size like 134217728, 512kb, 128mb or 1gb");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2);
        return switch (unit) {
          case "kb" -> n << 10;
          case "mb" -> n << 20;
          case "gb" -> n << 30;
          default -> n;
        };
      };

  public static final ConfigKey.Parser<Integer> POSITIVE_INT =
      s -> {
        int n;
        try {
          n = Integer.parseInt(s);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("expected a whole number");
        }
        if (n <= 0) {
          throw new IllegalArgumentException("expected a number greater than 0");
        }
        return n;
      };

  public static final ConfigKey.Parser<List<String>> LIST =
      s -> Arrays.stream(s.split(",")).map(String::trim).filter(p -> !p.isEmpty()).toList();

  /** A JDBC URL of a catalog database Tarn ships a driver for. */
  public static final ConfigKey.Parser<String> CATALOG_JDBC_URL =
      s -> {
        if (!s.startsWith("jdbc:sqlite:") && !s.startsWith("jdbc:postgresql:")) {
          throw new IllegalArgumentException(
              "expected jdbc:sqlite:<file> or jdbc:postgresql://host:port/db");
        }
        return s;
      };

  /** A {@code host:port[,host:port]} list. */
  public static final ConfigKey.Parser<String> HOST_PORTS =
      s -> {
        for (String part : s.split(",")) {
          int colon = part.lastIndexOf(':');
          if (colon <= 0 || colon == part.length() - 1) {
            throw new IllegalArgumentException("expected host:port[,host:port...]");
          }
          POSITIVE_INT.apply(part.substring(colon + 1).trim());
        }
        return s;
      };

  /** An http(s) URL. */
  public static final ConfigKey.Parser<String> HTTP_URL =
      s -> {
        if (!s.startsWith("http://") && !s.startsWith("https://")) {
          throw new IllegalArgumentException("expected an http:// or https:// URL");
        }
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
      };

  /** An http(s) URL, or empty. */
  public static final ConfigKey.Parser<String> OPTIONAL_HTTP_URL =
      s -> {
        if (s.isEmpty()) {
          return s;
        }
        String url = HTTP_URL.apply(s);
        try {
          java.net.URI uri = new java.net.URI(url);
          if (uri.getHost() == null) {
            throw new IllegalArgumentException("expected http(s)://host[:port], found no host");
          }
        } catch (java.net.URISyntaxException e) {
          throw new IllegalArgumentException("expected a URL: " + e.getMessage());
        }
        return url;
      };

  public static final ConfigKey.Parser<Boolean> BOOLEAN =
      s -> {
        String v = s.toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
          throw new IllegalArgumentException("expected true or false");
        }
        return Boolean.parseBoolean(v);
      };

  /** One of a fixed set of words, matched exactly. */
  public static ConfigKey.Parser<String> oneOf(String... allowed) {
    List<String> values = List.of(allowed);
    return s -> {
      if (!values.contains(s)) {
        throw new IllegalArgumentException("expected one of " + String.join(", ", values));
      }
      return s;
    };
  }
}
