package io.tarn.schemas;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One quality rule of a field, from the field's {@code "quality"} annotation.
 *
 * <p>A rule checks a single value as read with {@link AvroModel#INSTANCE}. Every rule except {@link
 * RuleKind#NOT_NULL} passes on null: "may be null" and "must be in range when present" are separate
 * concerns. Rules are immutable and safe to share between threads.
 */
public final class QualityRule implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String id;
  private final String field;
  private final RuleKind kind;
  private final RuleAction action;
  private final boolean pii;
  private final BigDecimal min;
  private final BigDecimal max;
  private final Pattern pattern;
  private final List<String> values;
  private final Set<String> allowed;

  // integral bounds let the common int/long case compare without allocating a BigDecimal
  private final boolean integralBounds;
  private final long minLong;
  private final long maxLong;

  private QualityRule(
      String table,
      String field,
      RuleKind kind,
      RuleAction action,
      boolean pii,
      BigDecimal min,
      BigDecimal max,
      Pattern pattern,
      List<String> values) {
    this.id = table + "." + field + "." + kind.name().toLowerCase(Locale.ROOT);
    this.field = field;
    this.kind = kind;
    this.action = action;
    this.pii = pii;
    this.min = min;
    this.max = max;
    this.pattern = pattern;
    this.values = values == null ? List.of() : List.copyOf(values);
    this.allowed = Set.copyOf(this.values);
    this.integralBounds = isLong(min) && isLong(max);
    this.minLong = min == null ? Long.MIN_VALUE : (integralBounds ? min.longValueExact() : 0);
    this.maxLong = max == null ? Long.MAX_VALUE : (integralBounds ? max.longValueExact() : 0);
  }

  static QualityRule notNull(String table, String field, RuleAction action, boolean pii) {
    return new QualityRule(table, field, RuleKind.NOT_NULL, action, pii, null, null, null, null);
  }

  static QualityRule range(
      String table, String field, RuleAction action, boolean pii, BigDecimal min, BigDecimal max) {
    return new QualityRule(table, field, RuleKind.RANGE, action, pii, min, max, null, null);
  }

  static QualityRule regex(
      String table, String field, RuleAction action, boolean pii, Pattern pattern) {
    return new QualityRule(table, field, RuleKind.REGEX, action, pii, null, null, pattern, null);
  }

  static QualityRule allowed(
      String table, String field, RuleAction action, boolean pii, List<String> values) {
    return new QualityRule(table, field, RuleKind.ALLOWED, action, pii, null, null, null, values);
  }

  private static boolean isLong(BigDecimal bound) {
    if (bound == null) {
      return true;
    }
    try {
      bound.longValueExact();
      return true;
    } catch (ArithmeticException e) {
      return false;
    }
  }

  /** The rule id, {@code <table>.<field>.<rule>}, e.g. {@code orders.total_amount.range}. */
  public String id() {
    return id;
  }

  public String field() {
    return field;
  }

  public RuleKind kind() {
    return kind;
  }

  public RuleAction action() {
    return action;
  }

  /** The inclusive lower bound of a range rule, if it has one. */
  public Optional<BigDecimal> min() {
    return Optional.ofNullable(min);
  }

  /** The inclusive upper bound of a range rule, if it has one. */
  public Optional<BigDecimal> max() {
    return Optional.ofNullable(max);
  }

  /** The pattern of a regex rule; it is searched for in the value, so anchor it to match whole. */
  public Optional<String> pattern() {
    return pattern == null ? Optional.empty() : Optional.of(pattern.pattern());
  }

  /** The allowed values of an allowed rule, in declaration order; empty for other kinds. */
  public List<String> values() {
    return values;
  }

  /**
   * Checks one value of the field.
   *
   * @param value the value as read with {@link AvroModel#INSTANCE}
   * @return null when the value passes, otherwise why it does not; the reason never contains the
   *     value of a PII field
   */
  public String violation(Object value) {
    if (value == null) {
      return kind == RuleKind.NOT_NULL ? field + " is null" : null;
    }
    switch (kind) {
      case NOT_NULL:
        return null;
      case RANGE:
        return rangeViolation(value);
      case REGEX:
        return pattern.matcher(asCharSequence(value)).find()
            ? null
            : field + " " + shown(value) + " does not match " + pattern.pattern();
      case ALLOWED:
        return allowed.contains(value.toString())
            ? null
            : field + " " + shown(value) + " is not one of " + values;
      default:
        throw new IllegalStateException("Cannot check rule " + id + ": unknown kind " + kind);
    }
  }

  private String rangeViolation(Object value) {
    if (integralBounds && (value instanceof Integer || value instanceof Long)) {
      long number = ((Number) value).longValue();
      if (min != null && number < minLong) {
        return belowMin(value);
      }
      if (max != null && number > maxLong) {
        return aboveMax(value);
      }
      return null;
    }
    BigDecimal number;
    if (value instanceof BigDecimal) {
      number = (BigDecimal) value;
    } else if (value instanceof Integer || value instanceof Long) {
      number = BigDecimal.valueOf(((Number) value).longValue());
    } else if (value instanceof Double || value instanceof Float) {
      double dbl = ((Number) value).doubleValue();
      if (Double.isNaN(dbl) || Double.isInfinite(dbl)) {
        return field + " " + shown(value) + " is not a finite number";
      }
      number = BigDecimal.valueOf(dbl);
    } else {
      return field + " has a non-numeric value of type " + value.getClass().getSimpleName();
    }
    if (min != null && number.compareTo(min) < 0) {
      return belowMin(value);
    }
    if (max != null && number.compareTo(max) > 0) {
      return aboveMax(value);
    }
    return null;
  }

  private String belowMin(Object value) {
    return field + " " + shown(value) + " is below the minimum " + min.toPlainString();
  }

  private String aboveMax(Object value) {
    return field + " " + shown(value) + " is above the maximum " + max.toPlainString();
  }

  private static CharSequence asCharSequence(Object value) {
    return value instanceof CharSequence ? (CharSequence) value : value.toString();
  }

  private String shown(Object value) {
    if (pii) {
      // quarantine reasons end up in tables and logs that are less protected than the field
      return "(pii, value withheld)";
    }
    if (value instanceof BigDecimal) {
      return ((BigDecimal) value).toPlainString();
    }
    if (value instanceof Number) {
      return value.toString();
    }
    return "'" + value + "'";
  }

  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof QualityRule)) {
      return false;
    }
    QualityRule that = (QualityRule) other;
    return id.equals(that.id)
        && action == that.action
        && pii == that.pii
        && Objects.equals(min, that.min)
        && Objects.equals(max, that.max)
        && Objects.equals(pattern(), that.pattern())
        && values.equals(that.values);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, action);
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(id).append('(');
    if (min != null) {
      out.append("min=").append(min.toPlainString()).append(", ");
    }
    if (max != null) {
      out.append("max=").append(max.toPlainString()).append(", ");
    }
    if (pattern != null) {
      out.append("pattern=").append(pattern.pattern()).append(", ");
    }
    if (!values.isEmpty()) {
      out.append("values=").append(values).append(", ");
    }
    return out.append("action=")
        .append(action.name().toLowerCase(Locale.ROOT))
        .append(')')
        .toString();
  }
}
