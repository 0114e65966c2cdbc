package io.tarn.cdc;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

/**
 * Maps Debezium's Kafka Connect row schemas and values to Avro.
 *
 * <p>Every column becomes a nullable Avro field with default null, so that adding a column is a
 * BACKWARD-compatible change. Column types:
 *
 * <ul>
 *   <li>integer types → {@code int} (8/16/32 bit) or {@code long}; real → {@code float}; double →
 *       {@code double}; boolean → {@code boolean}
 *   <li>numeric/decimal(p,s) → {@code bytes} with logical type {@code decimal(p,s)}; numeric
 *       without precision (variable scale) → {@code string} (plain notation)
 *   <li>date → {@code date}; time → {@code time-micros} (a {@code long}); time with zone → {@code
 *       string}
 *   <li>timestamp with time zone → {@code timestamp-micros} (UTC); timestamp <em>without</em> time
 *       zone → {@code timestamp-micros} holding the wall-clock value as if it were UTC (as Debezium
 *       delivers it), so {@code 2024-05-01 10:00} reads back as {@code 2024-05-01T10:00:00Z}
 *   <li>text/varchar/char, json/jsonb, uuid, enum, set, xml, interval strings → {@code string}
 *   <li>bytea/blob/bit strings → {@code bytes}; arrays → {@code array} of the (nullable) element
 *       type
 *   <li>anything else Debezium emits as a struct → {@code string} ({@code Struct#toString})
 * </ul>
 */
public final class AvroMapping {
  /** The namespace of every change record; the source database/schema name is appended. */
  public static final String NAMESPACE = "io.tarn.cdc";

  /** The Tarn envelope fields every topic of the platform starts with. */
  public static final List<String> ENVELOPE_FIELDS =
      List.of(
          "event_id",
          "event_time",
          "source",
          "schema_version",
          "op",
          "source_position",
          "tx_id",
          "before",
          "after");

  private static final String DECIMAL = "org.apache.kafka.connect.data.Decimal";
  private static final String VARIABLE_SCALE_DECIMAL = "io.debezium.data.VariableScaleDecimal";

  private AvroMapping() {}

  /**
   * The Avro value schema of a table's change topic.
   *
   * @param namespaceName the database (MariaDB) or schema (PostgreSQL) of the table
   * @param keyColumns the primary key columns; empty for a table without one
   * @param rowSchema Debezium's schema of the before/after row struct
   */
  public static Schema envelopeSchema(
      String namespaceName,
      String table,
      String topic,
      List<String> keyColumns,
      org.apache.kafka.connect.data.Schema rowSchema) {
    String namespace = NAMESPACE + "." + avroName(namespaceName);
    Schema row = rowSchema(namespace, avroName(table) + "_row", rowSchema);
    Schema nullableRow = Schema.createUnion(Schema.create(Schema.Type.NULL), row);

    List<Schema.Field> fields = new ArrayList<>();
    fields.add(
        new Schema.Field(
            "event_id",
            Schema.create(Schema.Type.STRING),
            "Unique id of this change; a redelivered change carries the same id."));
    fields.add(
        new Schema.Field(
            "event_time",
            LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG)),
            "When the change was committed at the source (UTC); the snapshot time for op r."));
    fields.add(
        new Schema.Field(
            "source",
            Schema.create(Schema.Type.STRING),
            "The database that emitted the change, e.g. postgres:db.example:5432/shop."));
    fields.add(
        new Schema.Field(
            "schema_version",
            Schema.create(Schema.Type.INT),
            "The registry version of this schema under <topic>-value."));
    fields.add(
        new Schema.Field(
            "op",
            Schema.create(Schema.Type.STRING),
            "c = insert, u = update, d = delete, r = snapshot read."));
    fields.add(
        new Schema.Field(
            "source_position",
            Schema.create(Schema.Type.LONG),
            "Orders the changes of one key as the source applied them; see SourcePositions."));
    fields.add(
        new Schema.Field(
            "tx_id",
            nullable(Schema.create(Schema.Type.STRING)),
            "The source transaction (PostgreSQL xid, MariaDB GTID), if known.",
            JsonProperties.NULL_VALUE));
    fields.add(
        new Schema.Field(
            "before",
            nullableRow,
            "The row before the change (null for c and r).",
            JsonProperties.NULL_VALUE));
    fields.add(
        new Schema.Field(
            "after",
            nullableRow,
            "The row after the change (null for d).",
            JsonProperties.NULL_VALUE));

    Schema envelope =
        Schema.createRecord(
            avroName(table),
            "Changes of " + namespaceName + "." + table + " captured by Tarn CDC (Debezium).",
            namespace,
            false,
            fields);
    envelope.addProp("table", table);
    envelope.addProp("topic", topic);
    envelope.addProp("key", List.copyOf(keyColumns));
    envelope.addProp("owner", "cdc");
    envelope.addProp("source_table", namespaceName + "." + table);
    return envelope;
  }

  /** The record of a table's columns; every field nullable with default null. */
  public static Schema rowSchema(
      String namespace, String name, org.apache.kafka.connect.data.Schema rowSchema) {
    List<Schema.Field> fields = new ArrayList<>();
    for (Field column : rowSchema.fields()) {
      Schema.Field field =
          new Schema.Field(
              avroName(column.name()),
              nullable(columnSchema(column.schema())),
              null,
              JsonProperties.NULL_VALUE);
      if (!field.name().equals(column.name())) {
        field.addProp("column", column.name());
      }
      if (column.schema().name() != null) {
        field.addProp("connect.name", column.schema().name());
      }
      fields.add(field);
    }
    return Schema.createRecord(name, null, namespace, false, fields);
  }

  /** The (non-null) Avro type of a column with a Connect schema. */
  public static Schema columnSchema(org.apache.kafka.connect.data.Schema schema) {
    String logical = schema.name();
    if (logical != null) {
      switch (logical) {
        case DECIMAL:
          {
            Map<String, String> params =
                schema.parameters() == null ? Map.of() : schema.parameters();
            String precision = params.get("connect.decimal.precision");
            int scale = Integer.parseInt(params.getOrDefault("scale", "0"));
            if (precision == null || Integer.parseInt(precision) < Math.max(scale, 1)) {
              return Schema.create(Schema.Type.STRING);
            }
            return LogicalTypes.decimal(Integer.parseInt(precision), scale)
                .addToSchema(Schema.create(Schema.Type.BYTES));
          }
        case "io.debezium.time.Date":
        case "org.apache.kafka.connect.data.Date":
          return LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
        case "io.debezium.time.Time":
        case "io.debezium.time.MicroTime":
        case "io.debezium.time.NanoTime":
        case "org.apache.kafka.connect.data.Time":
          return LogicalTypes.timeMicros().addToSchema(Schema.create(Schema.Type.LONG));
        case "io.debezium.time.Timestamp":
        case "io.debezium.time.MicroTimestamp":
        case "io.debezium.time.NanoTimestamp":
        case "io.debezium.time.ZonedTimestamp":
        case "org.apache.kafka.connect.data.Timestamp":
          return LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
        case VARIABLE_SCALE_DECIMAL:
          return Schema.create(Schema.Type.STRING);
        default:
          break; // Json, Uuid, Enum, Xml, ZonedTime, Year, Bits...: by the physical type
      }
    }
    switch (schema.type()) {
      case INT8:
      case INT16:
      case INT32:
        return Schema.create(Schema.Type.INT);
      case INT64:
        return Schema.create(Schema.Type.LONG);
      case FLOAT32:
        return Schema.create(Schema.Type.FLOAT);
      case FLOAT64:
        return Schema.create(Schema.Type.DOUBLE);
      case BOOLEAN:
        return Schema.create(Schema.Type.BOOLEAN);
      case STRING:
        return Schema.create(Schema.Type.STRING);
      case BYTES:
        return Schema.create(Schema.Type.BYTES);
      case ARRAY:
        return Schema.createArray(nullable(columnSchema(schema.valueSchema())));
      case MAP:
        if (schema.keySchema().type() == org.apache.kafka.connect.data.Schema.Type.STRING) {
          return Schema.createMap(nullable(columnSchema(schema.valueSchema())));
        }
        return Schema.create(Schema.Type.STRING);
      case STRUCT:
      default:
        return Schema.create(Schema.Type.STRING);
    }
  }

  /** Converts a Debezium row struct to a record of {@code rowSchema}. */
  public static GenericRecord row(Struct struct, Schema rowSchema) {
    GenericData.Record record = new GenericData.Record(rowSchema);
    List<Field> columns = struct.schema().fields();
    for (int i = 0; i < columns.size(); i++) {
      Field column = columns.get(i);
      Schema.Field field = rowSchema.getFields().get(i);
      record.put(i, value(struct.get(column), column.schema(), nonNull(field.schema())));
    }
    return record;
  }

  /**
   * Converts a Connect value to the Java value {@link io.tarn.schemas.AvroModel} writes for an Avro
   * type: BigDecimal for decimals, LocalDate for dates, Instant for timestamps.
   */
  public static Object value(
      Object value, org.apache.kafka.connect.data.Schema connect, Schema avro) {
    if (value == null) {
      return null;
    }
    String logical = connect.name();
    if (logical != null) {
      switch (logical) {
        case DECIMAL:
          {
            BigDecimal decimal = (BigDecimal) value;
            if (avro.getType() == Schema.Type.STRING) {
              return decimal.toPlainString();
            }
            LogicalTypes.Decimal type = (LogicalTypes.Decimal) avro.getLogicalType();
            // exact: Debezium gives the column's scale; a rounding need is a bug to surface
            return decimal.setScale(type.getScale(), RoundingMode.UNNECESSARY);
          }
        case "io.debezium.time.Date":
          return LocalDate.ofEpochDay(((Number) value).longValue());
        case "org.apache.kafka.connect.data.Date":
          return ((java.util.Date) value).toInstant().atOffset(ZoneOffset.UTC).toLocalDate();
        case "io.debezium.time.Time":
          return ((Number) value).longValue() * 1000L;
        case "io.debezium.time.MicroTime":
          return ((Number) value).longValue();
        case "io.debezium.time.NanoTime":
          return ((Number) value).longValue() / 1000L;
        case "org.apache.kafka.connect.data.Time":
          return ((java.util.Date) value).getTime() * 1000L;
        case "io.debezium.time.Timestamp":
          return Instant.ofEpochMilli(((Number) value).longValue());
        case "io.debezium.time.MicroTimestamp":
          return micros(((Number) value).longValue());
        case "io.debezium.time.NanoTimestamp":
          {
            long nanos = ((Number) value).longValue();
            return Instant.ofEpochSecond(
                Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
          }
        case "io.debezium.time.ZonedTimestamp":
          return OffsetDateTime.parse((String) value).toInstant();
        case "org.apache.kafka.connect.data.Timestamp":
          return ((java.util.Date) value).toInstant();
        case VARIABLE_SCALE_DECIMAL:
          {
            Struct struct = (Struct) value;
            return new BigDecimal(
                    new BigInteger(struct.getBytes("value")), struct.getInt32("scale"))
                .toPlainString();
          }
        default:
          break;
      }
    }
    switch (connect.type()) {
      case INT8:
      case INT16:
      case INT32:
        return ((Number) value).intValue();
      case INT64:
        return ((Number) value).longValue();
      case FLOAT32:
        return ((Number) value).floatValue();
      case FLOAT64:
        return ((Number) value).doubleValue();
      case BOOLEAN:
        return value;
      case STRING:
        return value.toString();
      case BYTES:
        return value instanceof byte[] bytes ? ByteBuffer.wrap(bytes) : value;
      case ARRAY:
        {
          Schema element = nonNull(avro.getElementType());
          List<Object> out = new ArrayList<>();
          for (Object item : (List<?>) value) {
            out.add(value(item, connect.valueSchema(), element));
          }
          return out;
        }
      case MAP:
        {
          if (avro.getType() != Schema.Type.MAP) {
            return value.toString();
          }
          Schema element = nonNull(avro.getValueType());
          Map<String, Object> out = new LinkedHashMap<>();
          for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
            out.put(
                String.valueOf(e.getKey()), value(e.getValue(), connect.valueSchema(), element));
          }
          return out;
        }
      default:
        return value.toString();
    }
  }

  /** A name valid in Avro: letters, digits and underscores, not starting with a digit. */
  public static String avroName(String name) {
    StringBuilder out = new StringBuilder(name.length() + 1);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
      ok |= i > 0 && c >= '0' && c <= '9';
      if (!ok && i == 0 && c >= '0' && c <= '9') {
        out.append('_').append(c);
      } else {
        out.append(ok ? c : '_');
      }
    }
    return out.length() == 0 ? "_" : out.toString();
  }

  /** A plain JSON-friendly rendering of a row struct (for quarantine), column name → value. */
  public static Map<String, Object> toPlain(Struct struct) {
    if (struct == null) {
      return null;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (Field field : struct.schema().fields()) {
      out.put(field.name(), plain(struct.get(field)));
    }
    return out;
  }

  private static Object plain(Object value) {
    if (value == null
        || value instanceof Number
        || value instanceof Boolean
        || value instanceof String) {
      return value instanceof BigDecimal d ? d.toPlainString() : value;
    }
    if (value instanceof byte[] bytes) {
      return java.util.Base64.getEncoder().encodeToString(bytes);
    }
    if (value instanceof ByteBuffer buffer) {
      byte[] bytes = new byte[buffer.remaining()];
      buffer.duplicate().get(bytes);
      return java.util.Base64.getEncoder().encodeToString(bytes);
    }
    if (value instanceof Struct struct) {
      return toPlain(struct);
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(item -> out.add(plain(item)));
      return out;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new HashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), plain(v)));
      return out;
    }
    return value.toString();
  }

  static Schema nullable(Schema schema) {
    return Schema.createUnion(Schema.create(Schema.Type.NULL), schema);
  }

  static Schema nonNull(Schema schema) {
    if (schema.getType() != Schema.Type.UNION) {
      return schema;
    }
    for (Schema branch : schema.getTypes()) {
      if (branch.getType() != Schema.Type.NULL) {
        return branch;
      }
    }
    return schema;
  }

  private static Instant micros(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L),
        TimeUnit.MICROSECONDS.toNanos(Math.floorMod(micros, 1_000_000L)));
  }
}
