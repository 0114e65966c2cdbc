package io.tarn.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.jobs.bronze.BronzeJob;
import io.tarn.jobs.config.JobConfig;
import io.tarn.jobs.gold.GoldJob;
import io.tarn.jobs.lake.Lake;
import io.tarn.jobs.silver.SilverJob;
import io.tarn.schemas.DomainSchemas;
import io.tarn.schemas.RuleAction;
import io.tarn.schemas.TableContract;
import io.tarn.schemas.registry.RestSchemaRegistry;
import io.tarn.workload.GeneratedEvent;
import io.tarn.workload.ProducedRecord;
import io.tarn.workload.ShopEventGenerator;
import io.tarn.workload.WorkloadProducer;
import io.tarn.workload.WorkloadSpec;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole pipeline against a real broker, registry, Flink MiniCluster and Iceberg tables: events
 * with duplicates, late, malformed and invalid records, a TaskManager killed mid-run, then every
 * zone compared with what was produced.
 */
class PipelineIT {
  @RegisterExtension static final MiniClusterExtension FLINK = LakeServers.flinkCluster();

  @RegisterExtension static final LakeServers SERVERS = new LakeServers();

  private static JobConfig config() {
    Map<String, String> settings = SERVERS.settings();
    // the shipped policy: silver keeps tokens, masks and redactions of PII, never raw values
    settings.put("pii.policy", "../deploy/policy/tarn-policy.yaml");
    settings.put("pii.token-key", java.util.Base64.getEncoder().encodeToString(new byte[32]));
    settings.put("gold.flush.interval", "200ms");
    return JobConfig.of(settings);
  }

  private static void produce(ProducedLedger ledger, long events, long seed) {
    WorkloadSpec spec =
        new WorkloadSpec(events, 0, 0.05, 0.05, Duration.ofMinutes(2), 0.02, 0.04, seed, 200);
    try (RestSchemaRegistry client = new RestSchemaRegistry(SERVERS.registryUrl());
        WorkloadProducer producer =
            new WorkloadProducer(SERVERS.bootstrapServers(), client, spec, Map.of())) {
      producer.run(ledger);
    }
  }

  @Test
  void everyZoneMatchesWhatWasProducedDespiteAFailure(@InjectMiniCluster MiniCluster cluster)
      throws Exception {
    JobConfig config = config();
    ProducedLedger ledger = new ProducedLedger();
    produce(ledger, 3000, 1);

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.configure(Configuration.fromMap(JobEnvironment.settings(config)));
    env.setParallelism(2);
    BronzeJob.addTo(env, config);
    SilverJob.addTo(env, config);
    GoldJob.addTo(env, config);
    JobClient job = env.executeAsync("pipeline-it");

    LakeReader lake = new LakeReader(new Lake(config));
    awaitUntil("some bronze commits", () -> bronzeRows(lake).size() >= 500, Duration.ofSeconds(90));
    cluster.terminateTaskManager(0).get();
    cluster.startTaskManager();
    produce(ledger, 3000, 2);

    try {
      awaitUntil(
          "bronze to hold every produced record",
          () -> bronzeRows(lake).size() >= ledger.size(),
          Duration.ofSeconds(120));
      assertBronzeHoldsExactlyWhatWasProduced(lake, ledger);
      awaitUntil(
          "silver to hold every expected event",
          () -> silverIds(lake).equals(ledger.expectedSilverIds()),
          Duration.ofSeconds(60));
      assertSilverHoldsEachEventOnce(lake, ledger);
      assertSilverHoldsNoRawPii(lake, ledger);
      assertLeakedEmailsAreFoundAndMasked(lake, ledger);
      assertQuarantineHoldsEveryRefusedRecord(lake, ledger);
      awaitUntil(
          "gold to converge",
          () -> revenue(lake, "minute").equals(ledger.expectedRevenue(60_000)),
          Duration.ofSeconds(60));
      assertThat(revenue(lake, "hour")).isEqualTo(ledger.expectedRevenue(3_600_000));
      assertThat(customerValue(lake)).isEqualTo(expectedCustomerValue(ledger));
    } finally {
      job.cancel().get();
    }
  }

  @Test
  void missingTopicFailsAtStartupNamingIt() {
    JobConfig config = config().with(Map.of("kafka.topics", "shop.orders,shop.nope"));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> BronzeJob.addTo(env, config))
        .isInstanceOf(io.tarn.jobs.config.ConfigException.class)
        .hasMessageContaining("shop.nope")
        .hasMessageContaining("kafka.topics");
  }

  private static List<Record> bronzeRows(LakeReader lake) {
    List<Record> rows = new ArrayList<>();
    for (TableContract contract : DomainSchemas.all()) {
      rows.addAll(lake.rows("bronze", contract.table()));
    }
    return rows;
  }

  private static void assertBronzeHoldsExactlyWhatWasProduced(
      LakeReader lake, ProducedLedger ledger) {
    Map<String, ProducedRecord> produced = ledger.byPosition();
    List<String> positions = new ArrayList<>();
    for (Record row : bronzeRows(lake)) {
      String position =
          ProducedLedger.position(
              (String) row.getField("kafka_topic"),
              (Integer) row.getField("kafka_partition"),
              (Long) row.getField("kafka_offset"));
      positions.add(position);
      GeneratedEvent event = produced.get(position).event();
      boolean malformed =
          switch (event.kind()) {
            case NOT_AVRO, UNKNOWN_SCHEMA_ID, TRUNCATED -> true;
            default -> false;
          };
      assertThat(row.getField("decode_error") != null)
          .as("decode_error of %s (%s)", position, event.kind())
          .isEqualTo(malformed);
      assertThat(java.nio.ByteBuffer.wrap(event.payload())).isEqualTo(row.getField("value"));
    }
    assertThat(positions).doesNotHaveDuplicates();
    assertThat(new HashSet<>(positions)).isEqualTo(produced.keySet());
  }

  private static Map<String, Set<String>> silverIds(LakeReader lake) {
    Map<String, Set<String>> ids = new HashMap<>();
    for (TableContract contract : DomainSchemas.all()) {
      for (Record row : lake.rows("silver", contract.table())) {
        ids.computeIfAbsent(contract.table(), t -> new HashSet<>())
            .add((String) row.getField("event_id"));
      }
    }
    return ids;
  }

  /** Customers' PII columns hold the policy's protected forms; no raw value reaches silver. */
  private static void assertSilverHoldsNoRawPii(LakeReader lake, ProducedLedger ledger) {
    Set<String> rawEmails = new java.util.HashSet<>();
    Set<String> rawNames = new java.util.HashSet<>();
    for (GeneratedEvent e : ledger.silverEvents("customers")) {
      rawEmails.add(e.record().get("email").toString());
      rawNames.add(e.record().get("name").toString());
    }
    List<Record> customers = lake.rows("silver", "customers");
    assertThat(customers).isNotEmpty();
    for (Record row : customers) {
      String email = row.getField("email").toString();
      assertThat(email).startsWith("tok_").isNotIn(rawEmails);
      assertThat(row.getField("name").toString()).startsWith("tok_").isNotIn(rawNames);
      Object address = row.getField("address");
      assertThat(address == null || address.toString().equals("[redacted]")).isTrue();
      Object birthYear = row.getField("birth_date");
      assertThat(birthYear == null || birthYear instanceof Integer).as("birth year").isTrue();
    }
  }

  /**
   * Some checkout URLs carry an e-mail address, a column no contract annotates: the detector counts
   * each one exactly once in silver.pii_findings, and the policy's mask keeps them out of silver.
   */
  private static void assertLeakedEmailsAreFoundAndMasked(LakeReader lake, ProducedLedger ledger) {
    long leaked =
        ledger.silverEvents("clickstream").stream()
            .filter(e -> e.record().get("url").toString().contains("email="))
            .count();
    assertThat(leaked).as("the workload must leak e-mails into URLs").isPositive();
    long found = 0;
    for (Record row : lake.rows("silver", "pii_findings")) {
      if (row.getField("table_name").equals("clickstream")
          && row.getField("column_name").equals("url")
          && row.getField("entity_type").equals("email")) {
        assertThat(row.getField("action")).isEqualTo("mask");
        found += (Long) row.getField("sample_count");
      }
    }
    assertThat(found).as("findings of e-mails in clickstream.url").isEqualTo(leaked);
    for (Record row : lake.rows("silver", "clickstream")) {
      assertThat(row.getField("url").toString())
          .doesNotContain(ShopEventGenerator.LEAKED_EMAIL_DOMAIN);
    }
  }

  private static void assertSilverHoldsEachEventOnce(LakeReader lake, ProducedLedger ledger) {
    int expected = ledger.expectedSilverIds().values().stream().mapToInt(Set::size).sum();
    int rows = 0;
    for (TableContract contract : DomainSchemas.all()) {
      rows += lake.rows("silver", contract.table()).size();
    }
    assertThat(rows).as("silver rows (no duplicates)").isEqualTo(expected);
  }

  private static void assertQuarantineHoldsEveryRefusedRecord(
      LakeReader lake, ProducedLedger ledger) {
    Map<String, String> quarantined = new HashMap<>();
    for (Record row : lake.rows("silver", "quarantine")) {
      String position =
          ProducedLedger.position(
              (String) row.getField("kafka_topic"),
              (Integer) row.getField("kafka_partition"),
              (Long) row.getField("kafka_offset"));
      assertThat(quarantined.put(position, (String) row.getField("rule_id")))
          .as("quarantined twice: %s", position)
          .isNull();
    }
    Map<String, String> expected = new HashMap<>();
    for (ProducedRecord r : ledger.records()) {
      GeneratedEvent e = r.event();
      boolean refused =
          switch (e.kind()) {
            case NOT_AVRO, UNKNOWN_SCHEMA_ID, TRUNCATED -> true;
            case INVALID -> ProducedLedger.actionOf(e) == RuleAction.QUARANTINE;
            default -> false;
          };
      if (refused) {
        expected.put(
            ProducedLedger.position(r.topic(), r.partition(), r.offset()), e.expectedRuleId());
      }
    }
    assertThat(expected).as("the workload must produce refused records").isNotEmpty();
    assertThat(quarantined).isEqualTo(expected);
  }

  private static Map<String, BigDecimal> revenue(LakeReader lake, String window) {
    Map<String, BigDecimal> revenue = new HashMap<>();
    for (Record row : lake.rows("gold", "revenue_per_category_" + window)) {
      long start = ((OffsetDateTime) row.getField("window_start")).toInstant().toEpochMilli();
      revenue.put(row.getField("category") + "|" + start, (BigDecimal) row.getField("revenue"));
    }
    return revenue;
  }

  private static Map<String, BigDecimal> customerValue(LakeReader lake) {
    Map<String, BigDecimal> value = new HashMap<>();
    for (Record row : lake.rows("gold", "customer_lifetime_value")) {
      value.put((String) row.getField("customer_id"), (BigDecimal) row.getField("revenue"));
    }
    return value;
  }

  /** Per customer, each order counted by its latest event (event time; cancellation wins ties). */
  private static Map<String, BigDecimal> expectedCustomerValue(ProducedLedger ledger) {
    Map<String, Map<String, GeneratedEvent>> latest = new HashMap<>();
    for (GeneratedEvent e : ledger.silverEvents("orders")) {
      Object customer = e.record().get("customer_id");
      if (customer == null || e.record().get("total_amount") == null) {
        continue;
      }
      latest
          .computeIfAbsent(customer.toString(), c -> new HashMap<>())
          .merge(e.record().get("order_id").toString(), e, PipelineIT::later);
    }
    Map<String, BigDecimal> value = new HashMap<>();
    latest.forEach(
        (customer, orders) ->
            value.put(
                customer,
                orders.values().stream()
                    .filter(e -> !isCancelled(e))
                    .map(e -> (BigDecimal) e.record().get("total_amount"))
                    .reduce(BigDecimal.ZERO, BigDecimal::add)
                    .setScale(2)));
    return value;
  }

  private static GeneratedEvent later(GeneratedEvent a, GeneratedEvent b) {
    int byTime =
        ((Instant) a.record().get("event_time")).compareTo((Instant) b.record().get("event_time"));
    if (byTime != 0) {
      return byTime > 0 ? a : b;
    }
    return isCancelled(b) ? b : a;
  }

  private static boolean isCancelled(GeneratedEvent e) {
    return "cancelled".equals(String.valueOf(e.record().get("status")));
  }

  static void awaitUntil(String what, BooleanSupplier condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Timed out after " + timeout + " waiting for " + what);
      }
      Thread.sleep(500);
    }
  }
}
