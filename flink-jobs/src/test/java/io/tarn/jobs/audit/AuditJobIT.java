package io.tarn.jobs.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.jobs.JobEnvironment;
import io.tarn.jobs.LakeReader;
import io.tarn.jobs.LakeServers;
import io.tarn.jobs.config.JobConfig;
import io.tarn.jobs.lake.Lake;
import io.tarn.schemas.audit.AuditEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileAppender;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.parquet.Parquet;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The audit job on a real broker and MiniCluster: events published by {@link KafkaAuditLog} (with
 * repeats), a Trino query event and malformed messages, across a TaskManager failure, land once
 * each in a valid chain; then a record altered through the Iceberg API is caught at its seq.
 */
class AuditJobIT {
  @RegisterExtension static final LakeServers SERVERS = new LakeServers();
  @RegisterExtension static final MiniClusterExtension FLINK = LakeServers.flinkCluster();

  private static final String TRINO_QUERY =
      """
      {"eventPayload":{"metadata":{"queryId":"20261129_000000_00001_it","query":"SELECT 1 FROM lake.gold.x",
        "queryState":"FINISHED"},"statistics":{"outputRows":1},"context":{"user":"analyst"},
        "ioMetadata":{"inputs":[{"catalogName":"lake","schema":"gold","table":"x","columns":[{"column":"a"}]}]},
        "createTime":"2026-11-29T00:00:00.123456789Z"},"eventMetadata":{}}
      """;

  @Test
  void eachEventOnceInAValidChainAndAnAlteredRecordIsFound(@InjectMiniCluster MiniCluster cluster)
      throws Exception {
    JobConfig config = JobConfig.of(SERVERS.settings());
    AuditJob.createTopics(config, List.of(AuditEvent.TOPIC, AuditJob.TRINO_TOPIC));
    Set<String> expected = new LinkedHashSet<>();
    List<AuditEvent> first = events(0, 150);
    publish(first, expected);
    publish(first.subList(0, 30), expected); // a producer's replay: recorded once
    publishRaw(AuditEvent.TOPIC, "{\"event_id\":\"broken\"}");
    publishRaw(AuditEvent.TOPIC, "not json at all");
    publishRaw(AuditJob.TRINO_TOPIC, TRINO_QUERY);
    expected.add("trino:20261129_000000_00001_it");

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.configure(Configuration.fromMap(JobEnvironment.settings(config)));
    AuditJob.addTo(env, config);
    JobClient job = env.executeAsync("audit-it");
    Lake lake = new Lake(config);
    try {
      awaitUntil(
          "some audit commits",
          () -> AuditTableReader.read(lake).size() >= 50,
          Duration.ofSeconds(90));
      cluster.terminateTaskManager(0).get();
      cluster.startTaskManager();
      List<AuditEvent> second = events(150, 100);
      publish(second, expected);
      publish(second.subList(90, 100), expected);
      awaitUntil(
          "every event in the audit table",
          () -> AuditTableReader.read(lake).size() >= expected.size(),
          Duration.ofSeconds(120));
      // a few more checkpoints: a late duplicate would show now
      Thread.sleep(3000);
    } finally {
      job.cancel().get();
    }

    List<AuditRecord> records = AuditTableReader.read(lake);
    List<String> ids = records.stream().map(r -> r.event().eventId()).toList();
    assertThat(ids).hasSize(expected.size()).doesNotHaveDuplicates();
    assertThat(Set.copyOf(ids)).isEqualTo(expected);
    assertThat(records.stream().mapToLong(AuditRecord::seq).sorted().toArray())
        .isEqualTo(java.util.stream.LongStream.rangeClosed(1, expected.size()).toArray());
    AuditVerifier.Result intact = AuditVerifier.verify(records);
    assertThat(intact.ok()).as(intact.toString()).isTrue();
    assertThat(intact.count()).isEqualTo(expected.size());

    AuditRecord query =
        records.stream().filter(r -> r.event().action().equals("query")).findFirst().orElseThrow();
    assertThat(query.event().actor()).isEqualTo("analyst");
    assertThat(query.event().details()).containsEntry("columns", "lake.gold.x.a");
    assertThat(query.event().time()).isEqualTo(Instant.parse("2026-11-29T00:00:00.123456Z"));

    List<Record> quarantined = new LakeReader(lake).rows("audit", "quarantine");
    assertThat(quarantined).hasSize(2);
    assertThat(quarantined).allMatch(r -> r.getField("rule_id").equals("decode.audit"));

    long victim = 57;
    alterTarget(lake, victim, "gold.somewhere_else");
    AuditVerifier.Result broken = AuditVerifier.verify(AuditTableReader.read(lake));
    assertThat(broken.brokenSeq()).hasValue(victim);
    assertThat(broken.reason()).contains("altered");
  }

  private static void awaitUntil(
      String what, java.util.function.BooleanSupplier condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Timed out after " + timeout + " waiting for " + what);
      }
      Thread.sleep(500);
    }
  }

  private static List<AuditEvent> events(int from, int count) {
    List<AuditEvent> events = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      events.add(
          AuditEvent.of(
              "job:test",
              i % 3 == 0 ? "job.start" : "maintenance.compact",
              "silver.orders",
              i % 7 == 0 ? AuditEvent.FAILURE : AuditEvent.SUCCESS,
              Map.of("n", String.valueOf(i))));
    }
    return events;
  }

  private static void publish(List<AuditEvent> events, Set<String> expected) {
    try (KafkaAuditLog log = new KafkaAuditLog(SERVERS.bootstrapServers())) {
      events.forEach(log::record);
      log.flush();
      assertThat(log.failed()).isZero();
    }
    events.forEach(e -> expected.add(e.eventId()));
  }

  private static void publishRaw(String topic, String value) throws Exception {
    Properties props = new Properties();
    props.put("bootstrap.servers", SERVERS.bootstrapServers());
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, value.getBytes(StandardCharsets.UTF_8))).get();
    }
  }

  /** What a tamperer with write access to the lake does: rewrite the file holding one record. */
  private static void alterTarget(Lake lake, long seq, String target) throws Exception {
    Table table = lake.catalogLoader().loadCatalog().loadTable(AuditTable.ID);
    DataFile victimFile = null;
    List<Record> rows = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask task : tasks) {
        List<Record> fileRows = new ArrayList<>();
        try (CloseableIterable<Record> read =
            Parquet.read(table.io().newInputFile(task.file().location()))
                .project(table.schema())
                .createReaderFunc(
                    fileSchema -> GenericParquetReaders.buildReader(table.schema(), fileSchema))
                .build()) {
          read.forEach(r -> fileRows.add(r.copy()));
        }
        if (fileRows.stream().anyMatch(r -> (Long) r.getField("seq") == seq)) {
          victimFile = task.file();
          rows = fileRows;
          break;
        }
      }
    }
    assertThat(victimFile).as("file holding seq " + seq).isNotNull();
    for (Record r : rows) {
      if ((Long) r.getField("seq") == seq) {
        assertThat(r.getField("target")).isNotEqualTo(target);
        r.setField("target", target);
      }
    }
    OutputFile out =
        table.io().newOutputFile(table.locationProvider().newDataLocation("altered.parquet"));
    FileAppender<Record> appender =
        new GenericAppenderFactory(table.schema(), table.spec())
            .newAppender(out, FileFormat.PARQUET);
    try (appender) {
      rows.forEach(appender::add);
    }
    DataFile replacement =
        DataFiles.builder(table.spec())
            .withInputFile(out.toInputFile())
            .withMetrics(appender.metrics())
            .withFormat(FileFormat.PARQUET)
            .withFileSizeInBytes(appender.length())
            .build();
    OverwriteFiles overwrite = table.newOverwrite().deleteFile(victimFile).addFile(replacement);
    overwrite.commit();
  }
}
