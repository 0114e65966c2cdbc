package io.tarn.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tarn.schemas.DomainSchemas;
import io.tarn.schemas.RandomRecords;
import io.tarn.schemas.TableContract;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RecordDecoderTest {
  private SchemaRegistryServer server;
  private RestSchemaRegistry registry;
  private RecordDecoder decoder;

  @BeforeEach
  void start() {
    server = SchemaRegistryServer.start();
    registry = new RestSchemaRegistry(server.url());
    decoder = new RecordDecoder(registry);
  }

  @AfterEach
  void stop() {
    registry.close();
    server.close();
  }

  @Test
  void roundTripsEveryDomainSchema() {
    Random random = new Random(7);
    for (TableContract contract : DomainSchemas.all()) {
      int id = registry.register(contract.subject(), contract.schema());
      for (int i = 0; i < 200; i++) {
        GenericRecord record = RandomRecords.generate(contract.schema(), random);
        byte[] payload = WireFormat.encode(id, record);
        assertThat(decoder.schemaId(payload)).isEqualTo(id);
        GenericRecord decoded = decoder.decode(payload, contract.schema());
        assertThat(RandomRecords.sameValues(record, decoded))
            .as("%s decodes to %s", record, decoded)
            .isTrue();
      }
    }
  }

  @Test
  void decodesLogicalTypesToJavaTypes() {
    TableContract customers = DomainSchemas.forTable("customers");
    int id = registry.register(customers.subject(), customers.schema());
    GenericRecord record =
        new GenericRecordBuilder(customers.schema())
            .set("event_id", "e-1")
            .set("event_time", Instant.parse("2025-03-01T10:15:30.123Z"))
            .set("source", "test")
            .set("schema_version", 1)
            .set("customer_id", "C0000001")
            .set("name", "Ada Lovelace")
            .set("email", "ada@example.org")
            .set("birth_date", LocalDate.of(1815, 12, 10))
            .set("country", "GB")
            .set("created_at", Instant.parse("2024-01-01T00:00:00Z"))
            .build();
    GenericRecord decoded = decoder.decode(WireFormat.encode(id, record), customers.schema());
    assertThat(decoded.get("event_time")).isEqualTo(Instant.parse("2025-03-01T10:15:30.123Z"));
    assertThat(decoded.get("birth_date")).isEqualTo(LocalDate.of(1815, 12, 10));
    assertThat(decoded.get("phone")).isNull();
    assertThat(decoded.get("email").toString()).isEqualTo("ada@example.org");

    TableContract orders = DomainSchemas.forTable("orders");
    int ordersId = registry.register(orders.subject(), orders.schema());
    GenericRecord order =
        new GenericRecordBuilder(orders.schema())
            .set("event_id", "e-2")
            .set("event_time", Instant.EPOCH)
            .set("source", "test")
            .set("schema_version", 1)
            .set("order_id", "O1")
            .set("status", "paid")
            .set("total_amount", new BigDecimal("1234.50"))
            .build();
    assertThat(
            decoder.decode(WireFormat.encode(ordersId, order), orders.schema()).get("total_amount"))
        .isEqualTo(new BigDecimal("1234.50"));
  }

  @Test
  void rejectsJsonPayloadAsNotWireFormat() {
    assertDecodeFails(
        "{\"a\":1}".getBytes(StandardCharsets.UTF_8), DecodeException.Reason.NOT_WIRE_FORMAT);
    assertDecodeFails(new byte[0], DecodeException.Reason.NOT_WIRE_FORMAT);
    assertDecodeFails(null, DecodeException.Reason.NOT_WIRE_FORMAT);
  }

  @Test
  void rejectsUnknownSchemaId() {
    TableContract orders = DomainSchemas.forTable("orders");
    registry.register(orders.subject(), orders.schema());
    byte[] payload = WireFormat.encode(999, RandomRecords.generate(orders.schema(), new Random(3)));
    DecodeException error = assertDecodeFails(payload, DecodeException.Reason.UNKNOWN_SCHEMA_ID);
    assertThat(error.ruleId()).isEqualTo("decode.unknown_schema_id");
    assertThat(error).hasMessageContaining("999");
    // the second miss is answered from the negative cache, with the same reason
    assertDecodeFails(payload, DecodeException.Reason.UNKNOWN_SCHEMA_ID);
  }

  @Test
  void rejectsEveryTruncationOfARecordAsCorrupt() {
    TableContract orders = DomainSchemas.forTable("orders");
    int id = registry.register(orders.subject(), orders.schema());
    byte[] payload = WireFormat.encode(id, RandomRecords.generate(orders.schema(), new Random(5)));
    for (int length = WireFormat.HEADER_SIZE; length < payload.length; length++) {
      DecodeException error =
          assertDecodeFails(Arrays.copyOf(payload, length), DecodeException.Reason.CORRUPT_PAYLOAD);
      assertThat(error.ruleId()).isEqualTo("decode.corrupt_payload");
    }
  }

  @Test
  void rejectsHugeOrNegativeLengthsAsCorrupt() {
    TableContract orders = DomainSchemas.forTable("orders");
    int id = registry.register(orders.subject(), orders.schema());
    // event_id's length as a zig-zag varint: 2^30 bytes, then -1
    byte[] huge = {
      0, 0, 0, 0, (byte) id, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08, 'x'
    };
    // refused before Avro allocates the declared gigabyte
    assertThat(assertDecodeFails(huge, DecodeException.Reason.CORRUPT_PAYLOAD))
        .hasMessageContaining("Cannot read a value of 1073741824 bytes from a payload of 6 bytes");
    byte[] negative = {0, 0, 0, 0, (byte) id, 0x01, 'x'};
    assertDecodeFails(negative, DecodeException.Reason.CORRUPT_PAYLOAD);
  }

  @Test
  void readsOldDataWithNewSchemaThatAddsFieldWithDefault() {
    Schema v1 = user("");
    Schema v2 = user(",{\"name\":\"tier\",\"type\":\"string\",\"default\":\"basic\"}");
    int v1Id = registry.register("users-value", v1);
    registry.register("users-value", v2);
    GenericRecord old = new GenericRecordBuilder(v1).set("id", "u1").build();
    GenericRecord decoded = decoder.decode(WireFormat.encode(v1Id, old), v2);
    assertThat(decoded.getSchema()).isEqualTo(v2);
    assertThat(decoded.get("id").toString()).isEqualTo("u1");
    assertThat(decoded.get("tier").toString()).isEqualTo("basic");
  }

  @Test
  void rejectsWriterTheReaderCannotRead() {
    Schema v1 = user("");
    int v1Id = registry.register("users-value", v1);
    Schema reader = user(",{\"name\":\"tier\",\"type\":\"string\"}");
    byte[] payload = WireFormat.encode(v1Id, new GenericRecordBuilder(v1).set("id", "u1").build());
    DecodeException error =
        assertDecodeFails(payload, reader, DecodeException.Reason.INCOMPATIBLE_SCHEMA);
    assertThat(error.ruleId()).isEqualTo("decode.incompatible_schema");
    assertThat(error).hasMessageContaining("tier");
    // the verdict is cached per pair and stays the same
    assertDecodeFails(payload, reader, DecodeException.Reason.INCOMPATIBLE_SCHEMA);
  }

  @Test
  void acceptsTrailingBytes() {
    TableContract orders = DomainSchemas.forTable("orders");
    int id = registry.register(orders.subject(), orders.schema());
    GenericRecord record = RandomRecords.generate(orders.schema(), new Random(9));
    byte[] payload = WireFormat.encode(id, record);
    byte[] padded = Arrays.copyOf(payload, payload.length + 3);
    assertThat(RandomRecords.sameValues(record, decoder.decode(padded, orders.schema()))).isTrue();
  }

  private static Schema user(String extraFields) {
    return new Schema.Parser()
        .parse(
            "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"io.tarn.test\",\"fields\":["
                + "{\"name\":\"id\",\"type\":\"string\"}"
                + extraFields
                + "]}");
  }

  private DecodeException assertDecodeFails(byte[] payload, DecodeException.Reason reason) {
    return assertDecodeFails(payload, DomainSchemas.forTable("orders").schema(), reason);
  }

  private DecodeException assertDecodeFails(
      byte[] payload, Schema reader, DecodeException.Reason reason) {
    DecodeException[] caught = new DecodeException[1];
    assertThatThrownBy(() -> decoder.decode(payload, reader))
        .isInstanceOfSatisfying(
            DecodeException.class,
            e -> {
              assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
              caught[0] = e;
            });
    return caught[0];
  }
}
