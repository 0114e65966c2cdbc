package io.tarn.jobs.silver.cdc;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * The change-event envelope cdc-capture writes: {@code op} (c, u, d, r), {@code source_position}
 * (totally ordered per table), {@code before} and {@code after} row images, and the record-level
 * {@code key} property naming the primary key columns (empty for a table without one).
 */
final class ChangeEvent {
  private ChangeEvent() {}

  /** Why a decoded record is not a change event, or null when it is one. */
  static String problemWith(GenericRecord record) {
    Schema schema = record.getSchema();
    for (String field : List.of("op", "source_position", "before", "after")) {
      if (schema.getField(field) == null) {
        return "missing field " + field;
      }
    }
    if (record.get("op") == null || record.get("source_position") == null) {
      return "op or source_position is null";
    }
    Object row = isDelete(record) ? record.get("before") : record.get("after");
    if (!(row instanceof GenericRecord)) {
      return "op " + record.get("op") + " without its row image";
    }
    return null;
  }

  static long position(GenericRecord record) {
    return ((Number) record.get("source_position")).longValue();
  }

  static boolean isDelete(GenericRecord record) {
    return "d".equals(record.get("op").toString());
  }

  /** The row image to apply: after for c/u/r, before for d. */
  static GenericRecord row(GenericRecord record) {
    return (GenericRecord) (isDelete(record) ? record.get("before") : record.get("after"));
  }

  /** The schema of the row images (the non-null branch of {@code after}). */
  static Schema rowSchema(Schema changeSchema) {
    Schema after = changeSchema.getField("after").schema();
    if (after.getType() == Schema.Type.UNION) {
      for (Schema branch : after.getTypes()) {
        if (branch.getType() == Schema.Type.RECORD) {
          return branch;
        }
      }
    }
    return after;
  }

  /** Primary key columns from the record-level {@code key} property; empty when none. */
  static List<String> key(Schema changeSchema) {
    Object key = changeSchema.getObjectProp("key");
    List<String> columns = new ArrayList<>();
    if (key instanceof List<?> list) {
      list.forEach(k -> columns.add(k.toString()));
    }
    return columns;
  }
}
