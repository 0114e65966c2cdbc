package io.tarn.jobs.silver;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * The fields of an Avro record as Iceberg columns, and the conversion of its values (read with
 * AvroModel) into Flink rows: one mapping for every silver table, contract-defined or captured.
 */
public final class AvroColumns {
  /** A value that does not fit its column, e.g. a decimal wider than the declared precision. */
  public static final class ConversionException extends RuntimeException {
    ConversionException(String message) {
      super(message);
    }
  }

  private interface ValueConverter {
    Object convert(Object value);
  }

  private final List<Types.NestedField> columns;
  private final ValueConverter[] converters;

  private AvroColumns(List<Types.NestedField> columns) {
    this.columns = columns;
    this.converters = new ValueConverter[columns.size()];
    for (int i = 0; i < columns.size(); i++) {
      converters[i] = converterFor(columns.get(i).name(), columns.get(i).type());
    }
  }

  /**
   * Maps every field of {@code record}; {@code owner} names the record in errors, and field ids are
   * taken from {@code nextId} upwards.
   */
  public static AvroColumns of(org.apache.avro.Schema record, String owner, int[] nextId) {
    List<Types.NestedField> columns = new ArrayList<>();
    for (org.apache.avro.Schema.Field field : record.getFields()) {
      org.apache.avro.Schema type = field.schema();
      boolean optional = type.isNullable();
      org.apache.avro.Schema valueType = optional ? nonNull(owner, field.name(), type) : type;
      Type icebergType = icebergType(owner, field.name(), valueType, nextId);
      int id = nextId[0]++;
      columns.add(
          optional
              ? Types.NestedField.optional(id, field.name(), icebergType, field.doc())
              : Types.NestedField.required(id, field.name(), icebergType, field.doc()));
    }
    return new AvroColumns(columns);
  }

  public List<Types.NestedField> columns() {
    return columns;
  }

  /** Writes the record's fields into positions {@code 0..columns-1} of {@code row}. */
  public void fill(GenericRecord record, GenericRowData row) {
    for (int i = 0; i < converters.length; i++) {
      Object value = record.get(i);
      row.setField(i, value == null ? null : converters[i].convert(value));
    }
  }

  private static org.apache.avro.Schema nonNull(
      String owner, String field, org.apache.avro.Schema union) {
    if (union.getType() != org.apache.avro.Schema.Type.UNION) {
      return union;
    }
    List<org.apache.avro.Schema> types =
        union.getTypes().stream()
            .filter(t -> t.getType() != org.apache.avro.Schema.Type.NULL)
            .toList();
    if (types.size() != 1) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot map field %s of %s to a silver column: union %s is not supported, only"
                  + " [null, T]",
              field, owner, union));
    }
    return types.get(0);
  }

  private static Type icebergType(
      String owner, String field, org.apache.avro.Schema type, int[] nextId) {
    LogicalType logical = type.getLogicalType();
    if (logical instanceof LogicalTypes.Decimal decimal) {
      return Types.DecimalType.of(decimal.getPrecision(), decimal.getScale());
    }
    if (logical instanceof LogicalTypes.Date) {
      return Types.DateType.get();
    }
    if (logical instanceof LogicalTypes.TimestampMillis
        || logical instanceof LogicalTypes.TimestampMicros) {
      return Types.TimestampType.withZone();
    }
    if (logical instanceof LogicalTypes.LocalTimestampMillis
        || logical instanceof LogicalTypes.LocalTimestampMicros) {
      return Types.TimestampType.withoutZone();
    }
    return switch (type.getType()) {
      case STRING, ENUM -> Types.StringType.get();
      case INT -> Types.IntegerType.get();
      case LONG -> Types.LongType.get();
      case FLOAT -> Types.FloatType.get();
      case DOUBLE -> Types.DoubleType.get();
      case BOOLEAN -> Types.BooleanType.get();
      case BYTES, FIXED -> Types.BinaryType.get();
      case ARRAY -> {
        org.apache.avro.Schema items = type.getElementType();
        org.apache.avro.Schema itemType = items.isNullable() ? nonNull(owner, field, items) : items;
        Type element = icebergType(owner, field, itemType, nextId);
        int elementId = nextId[0]++;
        yield items.isNullable()
            ? Types.ListType.ofOptional(elementId, element)
            : Types.ListType.ofRequired(elementId, element);
      }
      default ->
          throw new IllegalArgumentException(
              String.format(
                  "Cannot map field %s of %s to a silver column: Avro type %s is not supported",
                  field, owner, type.getType()));
    };
  }

  private static ValueConverter converterFor(String column, Type type) {
    return switch (type.typeId()) {
      case STRING -> v -> StringData.fromString(v.toString());
      case INTEGER, LONG, FLOAT, DOUBLE, BOOLEAN -> v -> v;
      case DATE -> v -> (int) ((LocalDate) v).toEpochDay();
      case TIMESTAMP ->
          v ->
              v instanceof Instant instant
                  ? TimestampData.fromInstant(instant)
                  : TimestampData.fromLocalDateTime((LocalDateTime) v);
      case DECIMAL -> {
        Types.DecimalType decimal = (Types.DecimalType) type;
        yield v -> {
          DecimalData data =
              DecimalData.fromBigDecimal((BigDecimal) v, decimal.precision(), decimal.scale());
          if (data == null) {
            throw new ConversionException(
                String.format(
                    "%s does not fit decimal(%d, %d)",
                    column, decimal.precision(), decimal.scale()));
          }
          return data;
        };
      }
      case BINARY ->
          v -> {
            if (v instanceof GenericFixed fixed) {
              return fixed.bytes();
            }
            ByteBuffer buffer = ((ByteBuffer) v).duplicate();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
          };
      case LIST -> {
        ValueConverter element = converterFor(column, type.asListType().elementType());
        yield v -> {
          Collection<?> values = (Collection<?>) v;
          Object[] converted = new Object[values.size()];
          int i = 0;
          for (Object e : values) {
            converted[i++] = e == null ? null : element.convert(e);
          }
          return new GenericArrayData(converted);
        };
      }
      default ->
          throw new IllegalArgumentException(
              "Cannot convert column " + column + " of type " + type);
    };
  }
}
