package io.tarn.governance.policy;

import java.util.Locale;

/**
 * How a tag rule shows a column to a role that may not read it: {@code deny} hides the column, the
 * others replace its value in every query (Trino column masks).
 *
 * @param kind the kind
 * @param keepLast for {@link Kind#PARTIAL}: trailing letters/digits left readable
 */
public record MaskMethod(Kind kind, int keepLast) {
  public enum Kind {
    /** The column cannot be selected at all. */
    DENY,
    /** NULL of the column's type. */
    REDACT,
    /** Letters/digits replaced by {@code *} except the last N (text columns). */
    PARTIAL,
    /** Hex SHA-256 of the value (text columns): equality and joins still work in the query. */
    HASH,
    /** A date truncated to the first day of its year (date columns). */
    YEAR
  }

  /** Parses {@code deny}, {@code redact}, {@code partial:N}, {@code hash} or {@code year}. */
  static MaskMethod parse(String text) {
    String value = text.trim().toLowerCase(Locale.ROOT);
    if (value.startsWith("partial:")) {
      return new MaskMethod(Kind.PARTIAL, Integer.parseInt(value.substring(8)));
    }
    for (Kind kind : Kind.values()) {
      if (kind != Kind.PARTIAL && kind.name().toLowerCase(Locale.ROOT).equals(value)) {
        return new MaskMethod(kind, 0);
      }
    }
    throw new IllegalArgumentException(
        "unknown mask '" + text + "', expected deny, redact, partial:N, hash or year");
  }

  /**
   * The method as applied to a column of {@code trinoType}: text-only and date-only methods fall
   * back to {@code redact} elsewhere, since a Trino mask must keep the column's type.
   */
  MaskMethod fitTo(String trinoType) {
    boolean text = trinoType.startsWith("varchar");
    if ((kind == Kind.PARTIAL || kind == Kind.HASH) && !text
        || kind == Kind.YEAR && !trinoType.equals("date")) {
      return new MaskMethod(Kind.REDACT, 0);
    }
    return this;
  }

  /** The Trino SQL expression replacing {@code column} of {@code trinoType}. */
  String sql(String column, String trinoType) {
    String ref = "\"" + column.replace("\"", "\"\"") + "\"";
    switch (kind) {
      case REDACT:
        return "CAST(NULL AS " + trinoType + ")";
      case PARTIAL:
        return "regexp_replace("
            + ref
            + ", '"
            + partialRegex(keepLast).replace("'", "''")
            + "', '*')";
      case HASH:
        return "to_hex(sha256(to_utf8(" + ref + ")))";
      case YEAR:
        return "date_trunc('year', " + ref + ")";
      default:
        throw new IllegalStateException("No expression for " + kind);
    }
  }

  /**
   * A letter or digit followed by at least {@code keepLast} more: the ones to replace. The same
   * regex in Java and Trino (Joni), so {@code partial} masks exactly like silver's {@code mask}.
   */
  static String partialRegex(int keepLast) {
    return "[A-Za-z0-9](?=(?:[^A-Za-z0-9]*[A-Za-z0-9]){" + keepLast + "})";
  }

  @Override
  public String toString() {
    return kind == Kind.PARTIAL ? "partial:" + keepLast : kind.name().toLowerCase(Locale.ROOT);
  }
}
