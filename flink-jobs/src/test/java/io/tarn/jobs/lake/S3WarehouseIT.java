package io.tarn.jobs.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tarn.jobs.JobEnvironment;
import io.tarn.jobs.LakeReader;
import io.tarn.jobs.LakeServers;
import io.tarn.jobs.ProducedLedger;
import io.tarn.jobs.bronze.BronzeJob;
import io.tarn.jobs.config.ConfigException;
import io.tarn.jobs.config.JobConfig;
import io.tarn.jobs.maintenance.MaintenanceJob;
import io.tarn.schemas.DomainSchemas;
import io.tarn.schemas.TableContract;
import io.tarn.schemas.registry.RestSchemaRegistry;
import io.tarn.testing.s3.S3Server;
import io.tarn.workload.WorkloadProducer;
import io.tarn.workload.WorkloadSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The lake in a bucket of a real S3-protocol server (S3Proxy): the bucket setup command, the bronze
 * job committing to an s3:// warehouse, maintenance deleting replaced files from the bucket, and
 * startup failing clearly when the bucket cannot be used.
 */
class S3WarehouseIT {
  @RegisterExtension static final MiniClusterExtension FLINK = LakeServers.flinkCluster();

  @RegisterExtension static final LakeServers SERVERS = new LakeServers();
  static S3Server s3;

  @BeforeAll
  static void startS3() {
    s3 = S3Server.start();
  }

  @AfterAll
  static void stopS3() {
    if (s3 != null) {
      s3.close();
    }
  }

  private static Map<String, String> settings(String warehouse) {
    Map<String, String> settings = SERVERS.settings();
    settings.put("catalog.warehouse", warehouse);
    settings.put("s3.endpoint", s3.endpoint());
    settings.put("s3.path-style-access", "true");
    settings.put("s3.legacy-checksums", "true");
    settings.put("s3.access-key-id", s3.accessKey());
    settings.put("s3.secret-access-key", s3.secretKey());
    return settings;
  }

  @Test
  void setupCreatesTheZonesOnceAndSaysWhatTheEndpointLacks() {
    JobConfig config =
        JobConfig.of(with(settings("s3://tarn-setup/lake"), "s3.archive.transition-days", "45"));
    List<String> first = new BucketSetup(config).apply();
    List<String> second = new BucketSetup(config).apply();

    assertThat(first).contains("bucket tarn-setup: created");
    assertThat(second).contains("bucket tarn-setup: exists");
    for (String folder : BucketSetup.FOLDERS) {
      assertThat(first).contains("folder s3://tarn-setup/lake/" + folder + ": created");
      assertThat(second).contains("folder s3://tarn-setup/lake/" + folder + ": exists");
    }
    assertThat(objectKeys(config, "tarn-setup", "lake/"))
        .containsExactlyInAnyOrder("lake/bronze/", "lake/silver/", "lake/gold/", "lake/archive/");
    // S3Proxy has neither the lifecycle nor the encryption API: reported, not failed
    for (List<String> report : List.of(first, second)) {
      assertThat(report)
          .anySatisfy(
              line ->
                  assertThat(line)
                      .startsWith("lifecycle: lake/archive/ to GLACIER_IR after 45 days")
                      .endsWith(")")
                      .contains(": not supported by this endpoint ("));
      assertThat(report)
          .anySatisfy(
              line ->
                  assertThat(line)
                      .startsWith("default encryption: SSE-S3")
                      .contains(": not supported by this endpoint ("));
    }
  }

  @Test
  void bronzeCommitsToTheBucketAndMaintenanceDeletesReplacedFiles() throws Exception {
    Map<String, String> settings = settings("s3://tarn-lake/warehouse");
    new BucketSetup(JobConfig.of(settings)).apply();
    JobConfig config = JobConfig.of(settings);
    ProducedLedger ledger = new ProducedLedger();
    produce(ledger, 3000, 1);

    StreamExecutionEnvironment env = environment(config);
    BronzeJob.addTo(env, config);
    JobClient bronze = env.executeAsync("s3-bronze");
    LakeReader lake = new LakeReader(new Lake(config));
    JobClient maintenance = null;
    try {
      awaitUntil(
          "bronze to hold every produced record",
          () -> bronzeRows(lake).size() >= ledger.size(),
          Duration.ofSeconds(90));
      assertBronzeHoldsExactly(lake, ledger);
      Set<String> liveBefore = liveDataFiles(lake);
      Set<String> inBucket = objectKeys(config, "tarn-lake", "warehouse/bronze/");
      assertThat(liveBefore).isNotEmpty();
      assertThat(inBucket).containsAll(keysOf(liveBefore));

      // maintenance compacts the many small commits; expiring the snapshots before a compaction
      // deletes the files it replaced, once enough newer commits exist (it keeps the last 5)
      JobConfig maintained =
          config.with(
              Map.of(
                  "maintenance.interval", "2s",
                  "maintenance.commit-count", "2",
                  "maintenance.snapshot.max-age", "1s"));
      StreamExecutionEnvironment maintenanceEnv = environment(maintained);
      MaintenanceJob.addTo(maintenanceEnv, maintained);
      maintenance = maintenanceEnv.executeAsync("s3-maintenance");
      long seed = 2;
      long deadline = System.nanoTime() + Duration.ofSeconds(100).toNanos();
      while (!deletedAny(config, keysOf(liveBefore)) && System.nanoTime() < deadline) {
        produce(ledger, 100, seed++);
        Thread.sleep(1500);
      }
      assertThat(deletedAny(config, keysOf(liveBefore)))
          .as("some data file replaced by compaction is deleted from the bucket")
          .isTrue();

      awaitUntil(
          "bronze to hold every record produced during maintenance",
          () -> bronzeRows(lake).size() >= ledger.size(),
          Duration.ofSeconds(60));
      assertBronzeHoldsExactly(lake, ledger);
      assertThat(objectKeys(config, "tarn-lake", "warehouse/bronze/"))
          .as("every file the tables reference is still in the bucket")
          .containsAll(keysOf(liveDataFiles(lake)));
    } finally {
      if (maintenance != null) {
        maintenance.cancel().get();
      }
      bronze.cancel().get();
    }
  }

  @Test
  void startupFailsNamingWhatIsWrongWithTheBucket() {
    Map<String, String> good = settings("s3://tarn-lake/warehouse");
    new BucketSetup(JobConfig.of(good)).apply();
    String wrongSecret = "wrong-" + s3.secretKey();

    assertThatThrownBy(
            () ->
                BronzeJob.addTo(
                    StreamExecutionEnvironment.getExecutionEnvironment(),
                    JobConfig.of(with(good, "s3.secret-access-key", wrongSecret))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("Cannot access warehouse s3://tarn-lake/warehouse: access denied")
        .hasMessageContaining("'s3.secret-access-key'")
        .hasMessageNotContaining(wrongSecret);
    assertThatThrownBy(() -> new Lake(JobConfig.of(settings("s3://no-such-bucket/warehouse"))))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Cannot access warehouse s3://no-such-bucket/warehouse: bucket 'no-such-bucket' does"
                + " not exist at "
                + s3.endpoint()
                + " (create it with ./tarn s3 setup)");
    String closed = "http://127.0.0.1:" + closedPort();
    assertThatThrownBy(() -> new Lake(JobConfig.of(with(good, "s3.endpoint", closed))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "Cannot access warehouse s3://tarn-lake/warehouse: cannot reach "
                + closed
                + " (key 's3.endpoint')");
    assertThatThrownBy(() -> JobConfig.of(with(good, "s3.endpoint", "minio:9000")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("key 's3.endpoint'");
  }

  private static Map<String, String> with(Map<String, String> settings, String key, String value) {
    Map<String, String> copy = new HashMap<>(settings);
    copy.put(key, value);
    return copy;
  }

  private static StreamExecutionEnvironment environment(JobConfig config) {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.configure(Configuration.fromMap(JobEnvironment.settings(config)));
    env.setParallelism(config.get(JobConfig.PARALLELISM));
    return env;
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

  private static List<Record> bronzeRows(LakeReader lake) {
    List<Record> rows = new ArrayList<>();
    for (TableContract contract : DomainSchemas.all()) {
      rows.addAll(lake.rows("bronze", contract.table()));
    }
    return rows;
  }

  /** Bronze holds each acknowledged record once, by topic, partition and offset. */
  private static void assertBronzeHoldsExactly(LakeReader lake, ProducedLedger ledger) {
    List<String> positions = new ArrayList<>();
    for (Record row : bronzeRows(lake)) {
      positions.add(
          ProducedLedger.position(
              (String) row.getField("kafka_topic"),
              (Integer) row.getField("kafka_partition"),
              (Long) row.getField("kafka_offset")));
    }
    assertThat(positions).doesNotHaveDuplicates();
    assertThat(new HashSet<>(positions)).isEqualTo(ledger.byPosition().keySet());
  }

  /** The data files the bronze tables' current snapshots read, as s3:// paths. */
  private static Set<String> liveDataFiles(LakeReader lake) throws Exception {
    Set<String> files = new HashSet<>();
    for (TableContract contract : DomainSchemas.all()) {
      Table table = lake.table("bronze", contract.table());
      try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
        for (FileScanTask task : tasks) {
          DataFile file = task.file();
          assertThat(file.location()).startsWith("s3://tarn-lake/warehouse/bronze/");
          files.add(file.location());
        }
      }
    }
    return files;
  }

  private static Set<String> keysOf(Set<String> locations) {
    Set<String> keys = new HashSet<>();
    locations.forEach(l -> keys.add(l.substring("s3://tarn-lake/".length())));
    return keys;
  }

  private static boolean deletedAny(JobConfig config, Set<String> keys) {
    Set<String> present = objectKeys(config, "tarn-lake", "warehouse/bronze/");
    return !present.containsAll(keys);
  }

  /** Every object key under {@code prefix}, listed through the S3 API. */
  private static Set<String> objectKeys(JobConfig config, String bucket, String prefix) {
    Set<String> keys = new HashSet<>();
    try (S3Client client = S3Access.of(config).client(Duration.ofSeconds(30))) {
      for (S3Object object :
          client.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents()) {
        keys.add(object.key());
      }
    }
    return keys;
  }

  private static int closedPort() {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void awaitUntil(String what, BooleanSupplier condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Timed out waiting for " + what);
      }
      Thread.sleep(500);
    }
  }
}
