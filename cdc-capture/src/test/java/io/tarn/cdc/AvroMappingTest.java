package io.tarn.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.schemas.AvroModel;
import io.tarn.schemas.registry.WireFormat;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

class AvroMappingTest {

  static org.apache.kafka.connect.data.Schema logical(SchemaBuilder builder, String name) {
    return builder.name(name).optional().build();
  }

  static final org.apache.kafka.connect.data.Schema ROW =
      SchemaBuilder.struct()
          .name("cdc.public.items.Value")
          .field("id", org.apache.kafka.connect.data.Schema.INT64_SCHEMA)
          .field("small", org.apache.kafka.connect.data.Schema.OPTIONAL_INT16_SCHEMA)
          .field(
              "amount",
              Decimal.builder(2).parameter("connect.decimal.precision", "12").optional().build())
          .field(
              "ratio",
              Decimal.builder(10).parameter("connect.decimal.precision", "20").optional().build())
          .field("real", org.apache.kafka.connect.data.Schema.OPTIONAL_FLOAT32_SCHEMA)
          .field("dbl", org.apache.kafka.connect.data.Schema.OPTIONAL_FLOAT64_SCHEMA)
          .field("flag", org.apache.kafka.connect.data.Schema.OPTIONAL_BOOLEAN_SCHEMA)
          .field("name", org.apache.kafka.connect.data.Schema.OPTIONAL_STRING_SCHEMA)
          .field("day", logical(SchemaBuilder.int32(), "io.debezium.time.Date"))
          .field("ts", logical(SchemaBuilder.int64(), "io.debezium.time.MicroTimestamp"))
          .field("ts_ms", logical(SchemaBuilder.int64(), "io.debezium.time.Timestamp"))
          .field("tstz", logical(SchemaBuilder.string(), "io.debezium.time.ZonedTimestamp"))
          .field("t", logical(SchemaBuilder.int64(), "io.debezium.time.MicroTime"))
          .field("doc", logical(SchemaBuilder.string(), "io.debezium.data.Json"))
          .field("uid", logical(SchemaBuilder.string(), "io.debezium.data.Uuid"))
          .field("mood", logical(SchemaBuilder.string(), "io.debezium.data.Enum"))
          .field("data", org.apache.kafka.connect.data.Schema.OPTIONAL_BYTES_SCHEMA)
          .field(
              "tags",
              SchemaBuilder.array(org.apache.kafka.connect.data.Schema.OPTIONAL_INT32_SCHEMA)
                  .optional()
                  .build())
          .field("2nd-col", org.apache.kafka.connect.data.Schema.OPTIONAL_STRING_SCHEMA)
          .optional()
          .build();

  @Test
  void columnTypesMapToNullableAvroTypes() {
    Schema envelope =
        AvroMapping.envelopeSchema("public", "items", "cdc.public.items", List.of("id"), ROW);
    Schema row = AvroMapping.nonNull(envelope.getField("after").schema());
    Map<String, String> expected =
        Map.ofEntries(
            Map.entry("id", "\"long\""),
            Map.entry("small", "\"int\""),
            Map.entry(
                "amount",
                "{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":12,\"scale\":2}"),
            Map.entry(
                "ratio",
                "{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":20,\"scale\":10}"),
            Map.entry("real", "\"float\""),
            Map.entry("dbl", "\"double\""),
            Map.entry("flag", "\"boolean\""),
            Map.entry("name", "\"string\""),
            Map.entry("day", "{\"type\":\"int\",\"logicalType\":\"date\"}"),
            Map.entry("ts", "{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"}"),
            Map.entry("ts_ms", "{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"}"),
            Map.entry("tstz", "{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"}"),
            Map.entry("t", "{\"type\":\"long\",\"logicalType\":\"time-micros\"}"),
            Map.entry("doc", "\"string\""),
            Map.entry("uid", "\"string\""),
            Map.entry("mood", "\"string\""),
            Map.entry("data", "\"bytes\""),
            Map.entry("tags", "{\"type\":\"array\",\"items\":[\"null\",\"int\"]}"),
            Map.entry("_2nd_col", "\"string\""));
    assertThat(row.getFields()).hasSize(expected.size());
    for (Schema.Field field : row.getFields()) {
      assertThat(field.schema().getType()).isEqualTo(Schema.Type.UNION);
      assertThat(field.schema().getTypes().get(0).getType()).isEqualTo(Schema.Type.NULL);
      assertThat(field.defaultVal()).isEqualTo(org.apache.avro.JsonProperties.NULL_VALUE);
      assertThat(field.schema().getTypes().get(1).toString())
          .as(field.name())
          .isEqualTo(expected.get(field.name()));
    }
    assertThat(row.getField("_2nd_col").getProp("column")).isEqualTo("2nd-col");
    assertThat(envelope.getObjectProp("key")).isEqualTo(List.of("id"));
    assertThat(envelope.getProp("owner")).isEqualTo("cdc");
    assertThat(envelope.getProp("table")).isEqualTo("items");
    assertThat(envelope.getProp("topic")).isEqualTo("cdc.public.items");
    assertThat(envelope.getField("event_time").schema().getLogicalType())
        .isEqualTo(LogicalTypes.timestampMillis());
  }

  @Test
  void valuesSurviveTheWireFormat() throws IOException {
    Struct struct =
        new Struct(ROW)
            .put("id", 7L)
            .put("small", (short) -3)
            .put("amount", new BigDecimal("1234567890.12"))
            .put("ratio", new BigDecimal("-1234567890.0123456789"))
            .put("real", 1.5f)
            .put("dbl", 2.25)
            .put("flag", true)
            .put("name", "é✓")
            .put("day", 19_000)
            .put("ts", 1_700_000_000_123_456L)
            .put("ts_ms", 1_700_000_000_123L)
            .put("tstz", "2024-05-01T10:00:00.123456Z")
            .put("t", 3_600_000_001L)
            .put("doc", "{\"a\":1}")
            .put("uid", "0e4b1f6c-0000-4000-8000-000000000001")
            .put("mood", "happy")
            .put("data", new byte[] {1, 2, 3})
            .put("tags", java.util.Arrays.asList(1, null, 3));
    Schema envelope = AvroMapping.envelopeSchema("public", "items", "t", List.of("id"), ROW);
    Schema row = AvroMapping.nonNull(envelope.getField("after").schema());
    GenericData.Record record = new GenericData.Record(envelope);
    record.put("event_id", "t:1:c");
    record.put("event_time", Instant.ofEpochMilli(1_700_000_000_123L));
    record.put("source", "postgres:x");
    record.put("schema_version", 1);
    record.put("op", "c");
    record.put("source_position", 42L);
    record.put("after", AvroMapping.row(struct, row));
    byte[] payload = WireFormat.encode(1, record);
    GenericRecord back =
        new GenericDatumReader<GenericRecord>(envelope, envelope, AvroModel.INSTANCE)
            .read(null, DecoderFactory.get().binaryDecoder(payload, 5, payload.length - 5, null));
    GenericRecord after = (GenericRecord) back.get("after");
    assertThat(back.get("before")).isNull();
    assertThat(after.get("small")).isEqualTo(-3);
    assertThat(after.get("amount")).isEqualTo(new BigDecimal("1234567890.12"));
    assertThat(after.get("ratio")).isEqualTo(new BigDecimal("-1234567890.0123456789"));
    assertThat(after.get("day")).isEqualTo(LocalDate.ofEpochDay(19_000));
    assertThat(after.get("ts")).isEqualTo(Instant.parse("2023-11-14T22:13:20.123456Z"));
    assertThat(after.get("ts_ms")).isEqualTo(Instant.parse("2023-11-14T22:13:20.123Z"));
    assertThat(after.get("tstz")).isEqualTo(Instant.parse("2024-05-01T10:00:00.123456Z"));
    assertThat(after.get("t")).isEqualTo(3_600_000_001L);
    assertThat(after.get("name").toString()).isEqualTo("é✓");
    assertThat(after.get("data")).isEqualTo(ByteBuffer.wrap(new byte[] {1, 2, 3}));
    assertThat(after.get("tags")).asList().containsExactly(1, null, 3);
    assertThat(after.get("_2nd_col")).isNull();
  }

  @Test
  void addingAColumnIsBackwardCompatible() {
    Schema v1 = AvroMapping.envelopeSchema("public", "items", "t", List.of("id"), ROW);
    org.apache.kafka.connect.data.Schema wider =
        SchemaBuilder.struct()
            .name("cdc.public.items.Value")
            .field("id", org.apache.kafka.connect.data.Schema.INT64_SCHEMA)
            .field("small", org.apache.kafka.connect.data.Schema.OPTIONAL_INT64_SCHEMA) // widened
            .field("note", org.apache.kafka.connect.data.Schema.OPTIONAL_STRING_SCHEMA) // added
            .optional()
            .build();
    Schema v2 = AvroMapping.envelopeSchema("public", "items", "t", List.of("id"), wider);
    assertThat(SchemaCompatibility.checkReaderWriterCompatibility(v2, v1).getType())
        .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
  }
}
