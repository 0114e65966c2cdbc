package io.tarn.jobs.silver.cdc;

import io.tarn.jobs.silver.AvroColumns;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * The silver table of one captured source table: the source columns, then {@code _op}, {@code
 * _source_position}, {@code _source_time}, {@code _kafka_partition}, {@code _kafka_offset}, {@code
 * _schema_id}, then columns later schema versions added. Tables with a primary key hold the current
 * state (upserts and deletes on the key); tables without one keep every change.
 *
 * <p>Every row is written in the table's full, current column order, whatever schema version it
 * came with: Iceberg's dynamic sink rewrites rows of any other shape and loses their row kind on
 * the way, which would turn deletes into upserts.
 */
final class ChangeTable {
  static final int LINEAGE_COLUMNS = 6;

  private Schema schema;
  private final List<String> key;

  /** A table not created yet: shaped by its first change event. */
  ChangeTable(org.apache.avro.Schema changeSchema, String owner) {
    this.key = ChangeEvent.key(changeSchema);
    int[] nextId = {1};
    List<Types.NestedField> fields = new ArrayList<>();
    for (Types.NestedField column :
        AvroColumns.of(ChangeEvent.rowSchema(changeSchema), owner, nextId).columns()) {
      // key columns are required (equality deletes); the others optional, so later versions may
      // drop them
      fields.add(
          key.contains(column.name())
              ? Types.NestedField.required(
                  column.fieldId(), column.name(), column.type(), column.doc())
              : Types.NestedField.optional(
                  column.fieldId(), column.name(), column.type(), column.doc()));
    }
    fields.add(Types.NestedField.required(nextId[0]++, "_op", Types.StringType.get()));
    fields.add(Types.NestedField.required(nextId[0]++, "_source_position", Types.LongType.get()));
    fields.add(
        Types.NestedField.optional(nextId[0]++, "_source_time", Types.TimestampType.withZone()));
    fields.add(
        Types.NestedField.required(nextId[0]++, "_kafka_partition", Types.IntegerType.get()));
    fields.add(Types.NestedField.required(nextId[0]++, "_kafka_offset", Types.LongType.get()));
    fields.add(Types.NestedField.required(nextId[0], "_schema_id", Types.IntegerType.get()));
    this.schema = new Schema(fields);
  }

  /** A table that exists: its current schema, and the key of the events written to it. */
  ChangeTable(Schema existing, org.apache.avro.Schema changeSchema) {
    this.key = ChangeEvent.key(changeSchema);
    this.schema = existing;
  }

  Schema schema() {
    return schema;
  }

  List<String> key() {
    return key;
  }

  /**
   * Makes room for a schema version's columns: new ones are appended (as the sink will append them
   * to the table), and a column whose type was widened (int to long, float to double, a wider
   * decimal) takes the wider type.
   */
  void accept(AvroColumns version) {
    List<Types.NestedField> fields = new ArrayList<>(schema.columns());
    int nextId = schema.highestFieldId() + 1;
    boolean changed = false;
    for (Types.NestedField column : version.columns()) {
      Types.NestedField existing = schema.findField(column.name());
      if (existing == null) {
        fields.add(
            Types.NestedField.optional(nextId++, column.name(), column.type(), column.doc()));
        changed = true;
      } else if (!existing.type().equals(column.type()) && widens(existing.type(), column.type())) {
        fields.set(
            fields.indexOf(existing),
            Types.NestedField.of(
                existing.fieldId(),
                existing.isOptional(),
                existing.name(),
                column.type(),
                existing.doc()));
        changed = true;
      }
    }
    if (changed) {
      schema = new Schema(fields);
    }
  }

  private static boolean widens(Type from, Type to) {
    return (from.typeId() == Type.TypeID.INTEGER && to.typeId() == Type.TypeID.LONG)
        || (from.typeId() == Type.TypeID.FLOAT && to.typeId() == Type.TypeID.DOUBLE)
        || (from instanceof Types.DecimalType a
            && to instanceof Types.DecimalType b
            && a.scale() == b.scale()
            && b.precision() > a.precision());
  }

  /** The row image in this table's column order; columns the version lacks are null. */
  GenericRowData row(GenericRecord image, AvroColumns version, Object[] lineage) {
    GenericRowData source = new GenericRowData(version.columns().size());
    version.fill(image, source);
    List<Types.NestedField> columns = schema.columns();
    GenericRowData row = new GenericRowData(columns.size());
    int lineageStart = indexOf("_op");
    for (int i = 0; i < columns.size(); i++) {
      if (i >= lineageStart && i < lineageStart + LINEAGE_COLUMNS) {
        row.setField(i, lineage[i - lineageStart]);
        continue;
      }
      Types.NestedField column = columns.get(i);
      int from = indexIn(version, column.name());
      row.setField(i, from < 0 ? null : widen(source.getField(from), column.type()));
    }
    return row;
  }

  private int indexOf(String name) {
    List<Types.NestedField> columns = schema.columns();
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equals(name)) {
        return i;
      }
    }
    throw new IllegalStateException("Cannot find column " + name + " in " + schema);
  }

  private static int indexIn(AvroColumns version, String name) {
    List<Types.NestedField> columns = version.columns();
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private static Object widen(Object value, Type type) {
    if (value instanceof Integer i && type.typeId() == Type.TypeID.LONG) {
      return i.longValue();
    }
    if (value instanceof Float f && type.typeId() == Type.TypeID.DOUBLE) {
      return f.doubleValue();
    }
    if (value instanceof DecimalData d && type instanceof Types.DecimalType decimal) {
      return d.precision() == decimal.precision()
          ? d
          : DecimalData.fromBigDecimal(d.toBigDecimal(), decimal.precision(), decimal.scale());
    }
    return value;
  }
}
