package io.tarn.jobs.silver;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.jobs.config.JobConfig;
import io.tarn.jobs.kafka.KafkaRecord;
import io.tarn.schemas.DomainSchemas;
import io.tarn.schemas.TableContract;
import io.tarn.schemas.registry.RestSchemaRegistry;
import io.tarn.schemas.registry.SchemaRegistryServer;
import io.tarn.schemas.registry.WireFormat;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecodeFunctionTest {
  private static final Instant EVENT_TIME = Instant.parse("2025-03-14T09:26:53.589Z");
  private static final TableContract ORDERS = DomainSchemas.forTable("orders");
  private static final byte[] KEY = "O000000042".getBytes(StandardCharsets.UTF_8);

  @TempDir static Path dir;
  private static SchemaRegistryServer registry;
  private static JobConfig config;
  private static int ordersId;
  private static Schema otherRecord;
  private static int otherRecordId;

  @BeforeAll
  static void startRegistry() {
    registry = SchemaRegistryServer.start();
    try (RestSchemaRegistry client = new RestSchemaRegistry(registry.url())) {
      ordersId = client.register(ORDERS.subject(), ORDERS.schema());
      // a record that lacks the order's fields: the orders contract cannot read it
      otherRecord =
          SchemaBuilder.record("Order")
              .namespace("io.tarn.shop")
              .fields()
              .requiredString("event_id")
              .endRecord();
      otherRecordId = client.register("elsewhere-value", otherRecord);
    }
    config =
        JobConfig.of(
            Map.of(
                "kafka.bootstrap.servers",
                "localhost:9092",
                "registry.url",
                registry.url(),
                "catalog.uri",
                "jdbc:sqlite:" + dir.resolve("catalog.db"),
                "catalog.warehouse",
                dir.resolve("warehouse").toString()));
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  private static OneInputStreamOperatorTestHarness<KafkaRecord, SilverRecord> harness()
      throws Exception {
    return ProcessFunctionTestHarnesses.forProcessFunction(new DecodeFunction(config));
  }

  private static GenericData.Record order() {
    GenericData.Record record = new GenericData.Record(ORDERS.schema());
    record.put("event_id", "e-1");
    record.put("event_time", EVENT_TIME);
    record.put("source", "test");
    record.put("schema_version", 1);
    record.put("order_id", "O000000042");
    record.put("customer_id", "C0000007");
    record.put("status", "paid");
    record.put("total_amount", new BigDecimal("12.30"));
    return record;
  }

  private static KafkaRecord kafka(String topic, byte[] value) {
    return new KafkaRecord(topic, 2, 17, EVENT_TIME.toEpochMilli() + 5, KEY, value);
  }

  private static List<QuarantineRecord> quarantined(
      OneInputStreamOperatorTestHarness<KafkaRecord, SilverRecord> h) {
    var output = h.getSideOutput(DecodeFunction.QUARANTINE);
    return output == null ? List.of() : output.stream().map(StreamRecord::getValue).toList();
  }

  /** Feeds one record that must be quarantined, and returns its quarantine record. */
  private static QuarantineRecord quarantine(KafkaRecord record) throws Exception {
    try (var h = harness()) {
      h.processElement(record, 0);
      assertThat(h.extractOutputValues()).isEmpty();
      List<QuarantineRecord> quarantined = quarantined(h);
      assertThat(quarantined).hasSize(1);
      QuarantineRecord q = quarantined.get(0);
      assertThat(q.stage).isEqualTo("decode");
      assertThat(q.topic).isEqualTo(record.topic);
      assertThat(q.partition).isEqualTo(2);
      assertThat(q.offset).isEqualTo(17);
      assertThat(q.key).isEqualTo(KEY);
      assertThat(q.value).isEqualTo(record.value);
      assertThat(q.eventId).isNull();
      assertThat(q.reason).isNotBlank();
      return q;
    }
  }

  @Test
  void validPayloadBecomesASilverRecordWithItsEnvelope() throws Exception {
    byte[] payload = WireFormat.encode(ordersId, order());
    try (var h = harness()) {
      h.processElement(kafka("shop.orders", payload), 0);

      assertThat(quarantined(h)).isEmpty();
      List<SilverRecord> out = h.extractOutputValues();
      assertThat(out).hasSize(1);
      SilverRecord r = out.get(0);
      assertThat(r.eventId).isEqualTo("e-1");
      assertThat(r.eventTime).isEqualTo(EVENT_TIME.toEpochMilli());
      assertThat(r.schemaId).isEqualTo(ordersId);
      assertThat(r.topic).isEqualTo("shop.orders");
      assertThat(r.partition).isEqualTo(2);
      assertThat(r.offset).isEqualTo(17);
      assertThat(r.key).isEqualTo(KEY);
      assertThat(r.value).isEqualTo(payload);
      assertThat(r.dedupeKey()).isEqualTo("shop.orders/e-1");
    }
  }

  @Test
  void payloadThatIsNotAvroIsQuarantinedAsNotWireFormat() throws Exception {
    byte[] json = "{\"event_id\": \"e-1\"}".getBytes(StandardCharsets.UTF_8);

    QuarantineRecord q = quarantine(kafka("shop.orders", json));

    assertThat(q.ruleId).isEqualTo("decode.not_wire_format");
    assertThat(q.schemaId).isNull();
  }

  @Test
  void payloadShorterThanTheHeaderIsQuarantinedAsNotWireFormat() throws Exception {
    QuarantineRecord q = quarantine(kafka("shop.orders", new byte[] {0, 0, 1}));

    assertThat(q.ruleId).isEqualTo("decode.not_wire_format");
    assertThat(q.schemaId).isNull();
  }

  @Test
  void payloadWithAnUnregisteredSchemaIdIsQuarantinedAsUnknownSchemaId() throws Exception {
    int unknownId = 1_999_999_999;

    QuarantineRecord q = quarantine(kafka("shop.orders", WireFormat.encode(unknownId, order())));

    assertThat(q.ruleId).isEqualTo("decode.unknown_schema_id");
    assertThat(q.schemaId).isEqualTo(unknownId);
    assertThat(q.reason).contains(String.valueOf(unknownId));
  }

  @Test
  void payloadWrittenWithASchemaTheContractCannotReadIsQuarantinedAsIncompatible()
      throws Exception {
    GenericData.Record other = new GenericData.Record(otherRecord);
    other.put("event_id", "e-1");

    QuarantineRecord q = quarantine(kafka("shop.orders", WireFormat.encode(otherRecordId, other)));

    assertThat(q.ruleId).isEqualTo("decode.incompatible_schema");
    assertThat(q.schemaId).isEqualTo(otherRecordId);
  }

  @Test
  void payloadTruncatedAnywhereAfterTheHeaderIsQuarantinedAsCorrupt() throws Exception {
    byte[] full = WireFormat.encode(ordersId, order());
    try (var h = harness()) {
      for (int length = WireFormat.HEADER_SIZE; length < full.length; length++) {
        h.processElement(kafka("shop.orders", Arrays.copyOf(full, length)), 0);
      }

      assertThat(h.extractOutputValues()).isEmpty();
      List<QuarantineRecord> quarantined = quarantined(h);
      assertThat(quarantined).hasSize(full.length - WireFormat.HEADER_SIZE);
      assertThat(quarantined)
          .allSatisfy(
              q -> {
                assertThat(q.ruleId).isEqualTo("decode.corrupt_payload");
                assertThat(q.schemaId).isEqualTo(ordersId);
              });
    }
  }

  @Test
  void tombstoneIsQuarantined() throws Exception {
    QuarantineRecord q = quarantine(kafka("shop.orders", null));

    assertThat(q.ruleId).isEqualTo("decode.tombstone");
    assertThat(q.schemaId).isNull();
  }

  @Test
  void recordOfATopicWithoutContractIsQuarantined() throws Exception {
    QuarantineRecord q = quarantine(kafka("shop.returns", WireFormat.encode(ordersId, order())));

    assertThat(q.ruleId).isEqualTo("decode.no_contract");
    assertThat(q.reason).contains("shop.returns");
  }

  @Test
  void badRecordsDoNotStopTheGoodOnesAroundThem() throws Exception {
    byte[] payload = WireFormat.encode(ordersId, order());
    try (var h = harness()) {
      h.processElement(kafka("shop.orders", payload), 0);
      h.processElement(kafka("shop.orders", new byte[] {1, 2, 3, 4, 5, 6}), 0);
      h.processElement(kafka("shop.orders", null), 0);
      h.processElement(kafka("shop.orders", payload), 0);

      assertThat(h.extractOutputValues()).hasSize(2);
      assertThat(quarantined(h))
          .extracting(q -> q.ruleId)
          .containsExactly("decode.not_wire_format", "decode.tombstone");
    }
  }
}
