package io.tarn.governance.pii;

/**
 * A row of the findings table: values of a column not annotated as PII that look like an entity
 * type. Only counts and scores, never a value.
 *
 * @param table the table, e.g. {@code orders}
 * @param column the column the values came from
 * @param type what they look like
 * @param confidence the highest confidence among the findings
 * @param sampleCount how many scanned values held at least one finding of this type
 * @param scannedCount how many values of the column were scanned
 */
public record ColumnFinding(
    String table,
    String column,
    EntityType type,
    double confidence,
    long sampleCount,
    long scannedCount) {}
