package io.tarn.jobs.silver;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/** Converts decoded Avro records (read with AvroModel) into rows of their silver table. */
public final class SilverRowConverter {
  /** A value that does not fit its column, e.g. a decimal wider than the declared precision. */
  public static final class ConversionException extends RuntimeException {
    ConversionException(String message) {
      super(message);
    }
  }

  private interface FieldConverter {
    Object convert(Object value);
  }

  private final int avroFields;
  private final FieldConverter[] converters;

  public SilverRowConverter(Schema silverSchema) {
    List<Types.NestedField> columns = silverSchema.columns();
    this.avroFields = columns.size() - SilverTable.LINEAGE_COLUMNS.size();
    this.converters = new FieldConverter[avroFields];
    for (int i = 0; i < avroFields; i++) {
      converters[i] = converterFor(columns.get(i));
    }
  }

  public RowData convert(GenericRecord record, SilverRecord source) {
    GenericRowData row = new GenericRowData(avroFields + SilverTable.LINEAGE_COLUMNS.size());
    for (int i = 0; i < avroFields; i++) {
      Object value = record.get(i);
      row.setField(i, value == null ? null : converters[i].convert(value));
    }
    row.setField(avroFields, source.partition);
    row.setField(avroFields + 1, source.offset);
    row.setField(avroFields + 2, source.schemaId);
    row.setField(avroFields + 3, TimestampData.fromEpochMillis(System.currentTimeMillis()));
    return row;
  }

  private static FieldConverter converterFor(Types.NestedField column) {
    Type type = column.type();
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
                column.name()
                    + " does not fit decimal("
                    + decimal.precision()
                    + ", "
                    + decimal.scale()
                    + ")");
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
      default ->
          throw new IllegalArgumentException(
              "Cannot convert column " + column.name() + " of type " + type);
    };
  }
}
