package io.tarn.schemas;

/** The kinds of quality rule a field's {@code "quality"} annotation can declare. */
public enum RuleKind {
  NOT_NULL,
  RANGE,
  REGEX,
  ALLOWED
}
