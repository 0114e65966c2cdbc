package io.tarn.schemas;

/** How sensitive a field is, from a field's {@code "classification"} annotation. */
public enum Classification {
  PUBLIC,
  INTERNAL,
  CONFIDENTIAL,
  RESTRICTED
}
