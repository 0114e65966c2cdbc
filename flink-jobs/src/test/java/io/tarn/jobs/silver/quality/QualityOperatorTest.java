package io.tarn.jobs.silver.quality;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.jobs.config.JobConfig;
import io.tarn.jobs.kafka.KafkaRecord;
import io.tarn.jobs.silver.PiiProtections;
import io.tarn.jobs.silver.QuarantineRecord;
import io.tarn.jobs.silver.SilverRecord;
import io.tarn.jobs.silver.SilverTable;
import io.tarn.schemas.DomainSchemas;
import io.tarn.schemas.QualityRule;
import io.tarn.schemas.RuleAction;
import io.tarn.schemas.TableContract;
import io.tarn.schemas.registry.RestSchemaRegistry;
import io.tarn.schemas.registry.SchemaRegistryServer;
import io.tarn.schemas.registry.WireFormat;
import io.tarn.workload.GeneratedEvent;
import io.tarn.workload.ShopEventGenerator;
import io.tarn.workload.WorkloadSpec;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.runtime.typeutils.RowDataSerializer;
import org.apache.flink.table.types.logical.RowType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QualityOperatorTest {
  private static final Instant EVENT_TIME = Instant.parse("2025-03-14T09:26:53.589Z");
  private static final Instant CREATED_AT = Instant.parse("2024-11-02T17:00:00.001Z");
  private static final TableContract CUSTOMERS = DomainSchemas.forTable("customers");
  private static final TableContract ORDERS = DomainSchemas.forTable("orders");
  private static final TableContract ORDER_ITEMS = DomainSchemas.forTable("order_items");
  private static final TableContract PAYMENTS = DomainSchemas.forTable("payments");
  private static final TableContract CLICKS = DomainSchemas.forTable("clickstream");

  @TempDir static Path dir;
  private static SchemaRegistryServer registry;
  private static JobConfig config;
  private static final Map<String, Integer> schemaIds = new HashMap<>();

  private OneInputStreamOperatorTestHarness<SilverRecord, RowData> harness;
  private long nextOffset;

  @BeforeAll
  static void startRegistry() {
    registry = SchemaRegistryServer.start();
    try (RestSchemaRegistry client = new RestSchemaRegistry(registry.url())) {
      for (TableContract contract : DomainSchemas.all()) {
        schemaIds.put(contract.topic(), client.register(contract.subject(), contract.schema()));
      }
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

  private OneInputStreamOperatorTestHarness<SilverRecord, RowData> open() throws Exception {
    harness = new OneInputStreamOperatorTestHarness<>(new QualityOperator(config));
    harness.setup(new RowDataSerializer(QualityMetricsTable.ROW_TYPE));
    harness.open();
    return harness;
  }

  // ---- records ----

  private static GenericData.Record envelope(TableContract contract, String eventId) {
    GenericData.Record record = new GenericData.Record(contract.schema());
    record.put("event_id", eventId);
    record.put("event_time", EVENT_TIME);
    record.put("source", "test");
    record.put("schema_version", 1);
    return record;
  }

  private static GenericData.Record order(String eventId, String status, String amount) {
    GenericData.Record record = envelope(ORDERS, eventId);
    record.put("order_id", "O000000042");
    record.put("customer_id", "C0000007");
    record.put("status", status);
    record.put("total_amount", new BigDecimal(amount));
    return record;
  }

  private static GenericData.Record customer(String eventId, String email) {
    GenericData.Record record = envelope(CUSTOMERS, eventId);
    record.put("customer_id", "C0000007");
    record.put("name", "Ada Lovelace");
    record.put("email", email);
    record.put("phone", null);
    record.put("address", "12 St James's Square, London");
    record.put("birth_date", LocalDate.of(1815, 12, 10));
    record.put("country", "GB");
    record.put("created_at", CREATED_AT);
    return record;
  }

  private static GenericData.Record payment(String eventId, String currency) {
    GenericData.Record record = envelope(PAYMENTS, eventId);
    record.put("payment_id", "Y000000001");
    record.put("order_id", "O000000042");
    record.put("method", "card");
    record.put("card_number", "4111111111111111");
    record.put("iban", null);
    record.put("amount", new BigDecimal("19.99"));
    record.put("currency", currency);
    return record;
  }

  private static GenericData.Record click(String eventId, String url) {
    GenericData.Record record = envelope(CLICKS, eventId);
    record.put("click_id", "K-" + eventId);
    record.put("session_id", "S1");
    record.put("customer_id", "C0000007");
    record.put("url", url);
    record.put("user_agent", "Mozilla/5.0");
    record.put("ip", "192.0.2.10");
    record.put("action", "view");
    return record;
  }

  private static GenericData.Record orderItem(String eventId, String unitPrice) {
    GenericData.Record record = envelope(ORDER_ITEMS, eventId);
    record.put("order_id", "O000000042");
    record.put("line_no", 1);
    record.put("product_id", "P00042");
    record.put("category", "books");
    record.put("quantity", 2);
    record.put("unit_price", new BigDecimal(unitPrice));
    return record;
  }

  /** The record as DecodeFunction and dedupe hand it on: encoded with its registered schema. */
  private SilverRecord silver(TableContract contract, GenericRecord record) {
    int schemaId = schemaIds.get(contract.topic());
    byte[] key = contract.keyOf(record).getBytes(StandardCharsets.UTF_8);
    KafkaRecord kafka =
        new KafkaRecord(
            contract.topic(),
            3,
            nextOffset++,
            EVENT_TIME.toEpochMilli(),
            key,
            WireFormat.encode(schemaId, record));
    Instant eventTime = (Instant) record.get("event_time");
    return new SilverRecord(
        kafka, schemaId, record.get("event_id").toString(), eventTime.toEpochMilli());
  }

  private void process(TableContract contract, GenericRecord record) throws Exception {
    harness.processElement(new StreamRecord<>(silver(contract, record)));
  }

  // ---- outputs ----

  private List<RowData> rows(TableContract contract) {
    var output = harness.getSideOutput(QualityOperator.outputFor(new SilverTable(contract)));
    return output == null ? List.of() : output.stream().map(StreamRecord::getValue).toList();
  }

  private List<RowData> allRows() {
    return DomainSchemas.all().stream().flatMap(c -> rows(c).stream()).toList();
  }

  private List<QuarantineRecord> quarantined() {
    var output = harness.getSideOutput(QualityOperator.QUARANTINE);
    return output == null ? List.of() : output.stream().map(StreamRecord::getValue).toList();
  }

  private static Object column(TableContract contract, RowData row, String name) {
    RowType type = new SilverTable(contract).rowType();
    int pos = type.getFieldIndex(name);
    assertThat(pos).as("column " + name).isNotNegative();
    return RowData.createFieldGetter(type.getTypeAt(pos), pos).getFieldOrNull(row);
  }

  private static String string(TableContract contract, RowData row, String name) {
    Object value = column(contract, row, name);
    return value == null ? null : ((StringData) value).toString();
  }

  private static Instant instant(TableContract contract, RowData row, String name) {
    return ((TimestampData) column(contract, row, name)).toInstant();
  }

  /** One row of the counts output. */
  private record Count(long checkpointId, int subtask, String table, String rule, String action) {}

  private record Tally(long passed, long failed) {}

  private Map<Count, Tally> counts() {
    Map<Count, Tally> counts = new HashMap<>();
    for (RowData row : harness.extractOutputValues()) {
      Count count =
          new Count(
              row.getLong(0),
              row.getInt(1),
              row.getString(2).toString(),
              row.getString(3).toString(),
              row.getString(4).toString());
      assertThat(counts).as("one row per checkpoint and rule").doesNotContainKey(count);
      counts.put(count, new Tally(row.getLong(5), row.getLong(6)));
    }
    harness.getOutput().clear();
    return counts;
  }

  // ---- accepted records ----

  @Test
  void validOrderIsEmittedOnTheOrdersOutputWithTypedValuesAndLineage() throws Exception {
    try (var h = open()) {
      SilverRecord input = silver(ORDERS, order("e-1", "paid", "1234.50"));
      h.processElement(new StreamRecord<>(input));

      List<RowData> rows = rows(ORDERS);
      assertThat(rows).hasSize(1);
      RowData row = rows.get(0);
      assertThat(row.getArity())
          .isEqualTo(ORDERS.schema().getFields().size() + SilverTable.LINEAGE_COLUMNS.size());
      assertThat(string(ORDERS, row, "event_id")).isEqualTo("e-1");
      assertThat(instant(ORDERS, row, "event_time")).isEqualTo(EVENT_TIME);
      assertThat(string(ORDERS, row, "source")).isEqualTo("test");
      assertThat(column(ORDERS, row, "schema_version")).isEqualTo(1);
      assertThat(string(ORDERS, row, "order_id")).isEqualTo("O000000042");
      assertThat(string(ORDERS, row, "customer_id")).isEqualTo("C0000007");
      assertThat(string(ORDERS, row, "status")).isEqualTo("paid");
      DecimalData amount = (DecimalData) column(ORDERS, row, "total_amount");
      assertThat(amount.precision()).isEqualTo(12);
      assertThat(amount.scale()).isEqualTo(2);
      assertThat(amount.toBigDecimal()).isEqualTo(new BigDecimal("1234.50"));

      assertThat(column(ORDERS, row, "_kafka_partition")).isEqualTo(3);
      assertThat(column(ORDERS, row, "_kafka_offset")).isEqualTo(input.offset);
      assertThat(column(ORDERS, row, "_schema_id")).isEqualTo(schemaIds.get("shop.orders"));
      assertThat(instant(ORDERS, row, "_processed_at"))
          .isBetween(Instant.now().minus(Duration.ofHours(1)), Instant.now());

      assertThat(allRows()).hasSize(1);
      assertThat(quarantined()).isEmpty();
    }
  }

  @Test
  void validCustomerHasDateTimestampAndNullColumns() throws Exception {
    try (var h = open()) {
      process(CUSTOMERS, customer("e-2", "ada@example.com"));

      List<RowData> rows = rows(CUSTOMERS);
      assertThat(rows).hasSize(1);
      RowData row = rows.get(0);
      assertThat(string(CUSTOMERS, row, "name")).isEqualTo("Ada Lovelace");
      assertThat(string(CUSTOMERS, row, "email")).isEqualTo("ada@example.com");
      assertThat(column(CUSTOMERS, row, "phone")).isNull();
      assertThat(string(CUSTOMERS, row, "address")).isEqualTo("12 St James's Square, London");
      // Flink's internal DATE is days since the epoch
      assertThat(column(CUSTOMERS, row, "birth_date"))
          .isEqualTo((int) LocalDate.of(1815, 12, 10).toEpochDay());
      assertThat(instant(CUSTOMERS, row, "created_at")).isEqualTo(CREATED_AT);
      assertThat(string(CUSTOMERS, row, "country")).isEqualTo("GB");
      assertThat(rows(ORDERS)).isEmpty();
    }
  }

  @Test
  void eachRecordGoesToTheOutputOfItsOwnTable() throws Exception {
    try (var h = open()) {
      process(ORDERS, order("o-1", "placed", "10.00"));
      process(CUSTOMERS, customer("c-1", "ada@example.com"));
      process(ORDERS, order("o-2", "shipped", "20.00"));
      process(ORDER_ITEMS, orderItem("i-1", "4.99"));

      assertThat(rows(ORDERS))
          .extracting(r -> string(ORDERS, r, "event_id"))
          .containsExactly("o-1", "o-2");
      assertThat(rows(CUSTOMERS))
          .extracting(r -> string(CUSTOMERS, r, "event_id"))
          .containsExactly("c-1");
      assertThat(rows(ORDER_ITEMS))
          .extracting(r -> string(ORDER_ITEMS, r, "event_id"))
          .containsExactly("i-1");
      assertThat(rows(PAYMENTS)).isEmpty();
    }
  }

  @Test
  void warnRuleViolationIsAcceptedAndCountedAsFailed() throws Exception {
    try (var h = open()) {
      process(PAYMENTS, payment("p-1", "CHF"));

      assertThat(rows(PAYMENTS))
          .singleElement()
          .satisfies(row -> assertThat(string(PAYMENTS, row, "currency")).isEqualTo("CHF"));
      assertThat(quarantined()).isEmpty();

      h.prepareSnapshotPreBarrier(1);
      assertThat(counts())
          .containsEntry(
              new Count(1, 0, "payments", "payments.currency.allowed", "warn"), new Tally(0, 1));
    }
  }

  // ---- refused records ----

  @Test
  void quarantineRuleViolationGoesToQuarantineWithItsRuleIdAndCoordinates() throws Exception {
    try (var h = open()) {
      GenericData.Record record = order("e-3", "paid", "10.00");
      record.put("customer_id", null);
      SilverRecord input = silver(ORDERS, record);
      h.processElement(new StreamRecord<>(input));

      assertThat(allRows()).isEmpty();
      assertThat(quarantined()).hasSize(1);
      QuarantineRecord q = quarantined().get(0);
      assertThat(q.ruleId).isEqualTo("orders.customer_id.not_null");
      assertThat(q.stage).isEqualTo("quality");
      assertThat(q.reason).isEqualTo("customer_id is null");
      assertThat(q.topic).isEqualTo("shop.orders");
      assertThat(q.partition).isEqualTo(3);
      assertThat(q.offset).isEqualTo(input.offset);
      assertThat(q.eventId).isEqualTo("e-3");
      assertThat(q.schemaId).isEqualTo(schemaIds.get("shop.orders"));
      assertThat(q.key).isEqualTo("O000000042".getBytes(StandardCharsets.UTF_8));
      assertThat(q.value).isEqualTo(input.value);
    }
  }

  @Test
  void quarantineReasonOfAPiiFieldWithholdsTheValue() throws Exception {
    try (var h = open()) {
      process(CUSTOMERS, customer("e-4", "ada.lovelace-at-example.com"));

      assertThat(rows(CUSTOMERS)).isEmpty();
      assertThat(quarantined())
          .singleElement()
          .satisfies(
              q -> {
                assertThat(q.ruleId).isEqualTo("customers.email.regex");
                assertThat(q.reason).doesNotContain("ada.lovelace");
              });
    }
  }

  @Test
  void dropRuleViolationIsDiscardedSilentlyButCounted() throws Exception {
    try (var h = open()) {
      process(ORDER_ITEMS, orderItem("e-5", "-1.00"));

      assertThat(allRows()).isEmpty();
      assertThat(quarantined()).isEmpty();
      h.prepareSnapshotPreBarrier(1);
      assertThat(counts())
          .containsEntry(
              new Count(1, 0, "order_items", "order_items.unit_price.range", "drop"),
              new Tally(0, 1));
    }
  }

  @Test
  void undecodablePayloadIsQuarantinedWithADecodeRule() throws Exception {
    try (var h = open()) {
      SilverRecord input = silver(ORDERS, order("e-6", "paid", "10.00"));
      input.value = Arrays.copyOf(input.value, input.value.length - 1);
      h.processElement(new StreamRecord<>(input));

      assertThat(allRows()).isEmpty();
      assertThat(quarantined())
          .singleElement()
          .satisfies(
              q -> {
                assertThat(q.stage).isEqualTo("decode");
                assertThat(q.ruleId).isEqualTo("decode.corrupt_payload");
              });
    }
  }

  @Test
  void generatedInvalidEventsAreRoutedByTheActionOfTheRuleTheyBreak() throws Exception {
    // invalid events leave the shop's story as it was, so half of them are valid to move it on
    WorkloadSpec spec = new WorkloadSpec(600, 0, 0, 0, Duration.ZERO, 0, 0.5, 11, 50);
    ShopEventGenerator generator =
        new ShopEventGenerator(spec, schemaIds, Clock.fixed(EVENT_TIME, ZoneOffset.UTC));
    Map<String, String> expectedQuarantine = new HashMap<>();
    Set<String> expectedAccepted = new HashSet<>();
    Set<String> expectedDropped = new HashSet<>();
    try (var h = open()) {
      for (int i = 0; i < spec.events(); i++) {
        GeneratedEvent event = generator.next();
        assertThat(event.kind()).isIn(GeneratedEvent.Kind.INVALID, GeneratedEvent.Kind.VALID);
        RuleAction action =
            event.kind() == GeneratedEvent.Kind.VALID
                ? null
                : event.table().rules().stream()
                    .filter(r -> r.id().equals(event.expectedRuleId()))
                    .map(QualityRule::action)
                    .findFirst()
                    .orElseThrow();
        if (action == null || action == RuleAction.WARN) {
          expectedAccepted.add(event.eventId());
        } else if (action == RuleAction.DROP) {
          expectedDropped.add(event.eventId());
        } else {
          expectedQuarantine.put(event.eventId(), event.expectedRuleId());
        }
        KafkaRecord kafka =
            new KafkaRecord(
                event.topic(),
                0,
                i,
                EVENT_TIME.toEpochMilli(),
                event.key().getBytes(StandardCharsets.UTF_8),
                event.payload());
        h.processElement(
            new StreamRecord<>(
                new SilverRecord(
                    kafka,
                    schemaIds.get(event.topic()),
                    event.eventId(),
                    ((Instant) event.record().get("event_time")).toEpochMilli())));
      }

      // the seed gives a mix of every routing, otherwise the test would prove little
      assertThat(expectedQuarantine).hasSizeGreaterThan(10);
      assertThat(expectedDropped).isNotEmpty();
      assertThat(expectedAccepted).isNotEmpty();

      Map<String, String> actualQuarantine = new HashMap<>();
      for (QuarantineRecord q : quarantined()) {
        assertThat(q.stage).isEqualTo("quality");
        assertThat(actualQuarantine.put(q.eventId, q.ruleId)).isNull();
      }
      assertThat(actualQuarantine).isEqualTo(expectedQuarantine);
      Set<String> accepted = new HashSet<>();
      for (TableContract contract : DomainSchemas.all()) {
        for (RowData row : rows(contract)) {
          assertThat(accepted.add(string(contract, row, "event_id"))).isTrue();
        }
      }
      assertThat(accepted).isEqualTo(expectedAccepted);
    }
  }

  // ---- counts ----

  @Test
  void countsPerRuleAreEmittedBeforeTheBarrierAndResetAfterwards() throws Exception {
    try (var h = open()) {
      process(ORDERS, order("o-1", "placed", "10.00"));
      process(ORDERS, order("o-2", "lost", "10.00"));
      process(ORDERS, order("o-3", "paid", "2000000.00"));
      process(ORDERS, order("o-4", "paid", "99.99"));
      assertThat(h.extractOutputValues()).as("nothing before the barrier").isEmpty();

      h.prepareSnapshotPreBarrier(7);

      assertThat(counts())
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(
                  new Count(7, 0, "orders", "orders.customer_id.not_null", "quarantine"),
                  new Tally(4, 0),
                  new Count(7, 0, "orders", "orders.status.allowed", "quarantine"),
                  new Tally(3, 1),
                  new Count(7, 0, "orders", "orders.total_amount.range", "quarantine"),
                  new Tally(3, 1)));

      h.prepareSnapshotPreBarrier(8);
      assertThat(counts()).as("a checkpoint without records counts nothing").isEmpty();

      process(ORDERS, order("o-5", "lost", "10.00"));
      process(CUSTOMERS, customer("c-1", "ada@example.com"));
      h.prepareSnapshotPreBarrier(9);
      assertThat(counts())
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(
                  new Count(9, 0, "orders", "orders.customer_id.not_null", "quarantine"),
                  new Tally(1, 0),
                  new Count(9, 0, "orders", "orders.status.allowed", "quarantine"),
                  new Tally(0, 1),
                  new Count(9, 0, "orders", "orders.total_amount.range", "quarantine"),
                  new Tally(1, 0),
                  new Count(9, 0, "customers", "customers.email.regex", "quarantine"),
                  new Tally(1, 0),
                  new Count(9, 0, "customers", "customers.country.allowed", "quarantine"),
                  new Tally(1, 0)));
    }
  }

  @Test
  void countsSinceTheLastCheckpointAreEmittedWhenTheOperatorFinishes() throws Exception {
    OneInputStreamOperatorTestHarness<SilverRecord, RowData> h = open();
    process(PAYMENTS, payment("p-1", "EUR"));
    h.prepareSnapshotPreBarrier(1);
    counts();
    process(PAYMENTS, payment("p-2", "CHF"));

    h.close(); // finish, then close

    Map<Count, Tally> counts = counts();
    assertThat(counts)
        .containsEntry(
            new Count(-1, 0, "payments", "payments.currency.allowed", "warn"), new Tally(0, 1))
        .containsEntry(
            new Count(-1, 0, "payments", "payments.method.allowed", "quarantine"), new Tally(1, 0));
    assertThat(counts.keySet()).extracting(Count::checkpointId).containsOnly(-1L);
  }

  @Test
  void piiInUnannotatedColumnsIsQuarantinedOrMaskedAsThePolicySaysAndTheMaskSurvivesARestore()
      throws Exception {
    Map<String, String> settings = new HashMap<>(config.asMap());
    settings.put("pii.policy", Path.of("../deploy/policy/tarn-policy.yaml").toString());
    settings.put("pii.token-key", java.util.Base64.getEncoder().encodeToString(new byte[32]));
    JobConfig piiConfig = JobConfig.of(settings);
    PiiProtections protections = PiiProtections.of(piiConfig);
    SilverTable clicks = new SilverTable(CLICKS, protections.of(CLICKS));
    harness = new OneInputStreamOperatorTestHarness<>(new QualityOperator(piiConfig, protections));
    harness.setup(new RowDataSerializer(QualityMetricsTable.ROW_TYPE));
    harness.open();
    // the shipped policy: email findings mask the column, card numbers quarantine the record
    process(CLICKS, click("k-1", "https://shop.example/?email=ada@example.org"));
    process(CLICKS, click("k-2", "https://shop.example/pay?card=4111111111111111"));
    harness.prepareSnapshotPreBarrier(3);

    List<String> urls = urls(clicks);
    assertThat(urls).hasSize(1);
    assertThat(urls.get(0)).doesNotContain("ada@example.org").startsWith("tok_");
    assertThat(quarantined())
        .singleElement()
        .satisfies(
            q -> {
              assertThat(q.ruleId).isEqualTo("clickstream.url.pii_card_number");
              assertThat(q.reason).doesNotContain("4111111111111111");
            });
    List<String> findings = new ArrayList<>();
    for (StreamRecord<RowData> r : harness.getSideOutput(QualityOperator.FINDINGS)) {
      RowData row = r.getValue();
      findings.add(
          String.join(
              "|",
              String.valueOf(row.getLong(0)),
              row.getString(2).toString(),
              row.getString(3).toString(),
              row.getString(4).toString(),
              row.getString(5).toString(),
              String.valueOf(row.getLong(7)),
              String.valueOf(row.getLong(8))));
    }
    assertThat(findings)
        .containsExactlyInAnyOrder(
            "3|clickstream|url|email|mask|1|2", "3|clickstream|url|card_number|quarantine|1|2");

    OperatorSubtaskState state = harness.snapshot(3, 0);
    harness.close();
    harness = new OneInputStreamOperatorTestHarness<>(new QualityOperator(piiConfig, protections));
    harness.setup(new RowDataSerializer(QualityMetricsTable.ROW_TYPE));
    harness.initializeState(state);
    harness.open();
    process(CLICKS, click("k-3", "https://shop.example/p/42"));

    assertThat(urls(clicks)).singleElement().asString().startsWith("tok_");
  }

  private List<String> urls(SilverTable table) {
    var output = harness.getSideOutput(QualityOperator.outputFor(table));
    List<String> urls = new ArrayList<>();
    if (output != null) {
      RowType type = table.rowType();
      int pos = type.getFieldIndex("url");
      output.forEach(r -> urls.add(r.getValue().getString(pos).toString()));
    }
    return urls;
  }
}
