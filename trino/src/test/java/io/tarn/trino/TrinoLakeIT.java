package io.tarn.trino;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.catalog.server.RestCatalogServer;
import io.tarn.jobs.JobEnvironment;
import io.tarn.jobs.bronze.BronzeJob;
import io.tarn.jobs.config.JobConfig;
import io.tarn.jobs.gold.GoldJob;
import io.tarn.jobs.lake.BucketSetup;
import io.tarn.jobs.lake.Lake;
import io.tarn.jobs.lake.TableNames;
import io.tarn.jobs.silver.SilverJob;
import io.tarn.kafka.broker.KafkaBroker;
import io.tarn.schemas.registry.RestSchemaRegistry;
import io.tarn.schemas.registry.SchemaRegistryServer;
import io.tarn.testing.db.PostgresServer;
import io.tarn.testing.s3.S3Server;
import io.tarn.workload.WorkloadProducer;
import io.tarn.workload.WorkloadSpec;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Tarn jobs write bronze, silver and gold into an Iceberg JDBC catalog on PostgreSQL while a
 * real Trino reads the same catalog, directly and through Tarn's Iceberg REST catalog server: every
 * table, read at the same snapshot while the pipeline streams and at its end, holds the same rows
 * in Trino as through the Iceberg API (gold's equality deletes applied), and {@code FOR VERSION AS
 * OF} returns an earlier snapshot's rows. The same jobs writing a second lake into an S3 bucket
 * (S3Proxy) are read by the same Trino through its native S3 file system, with the rows the Iceberg
 * API reads.
 */
class TrinoLakeIT {
  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              // Iceberg's shared worker threads keep the context class loader of the task that
              // made them; S3FileIO's HTTP client looks up its logger through it after that job
              // ended. The loader delegates to the application's (no job jars here): allow it.
              .setConfiguration(
                  Configuration.fromMap(Map.of("classloader.check-leaked-classloader", "false")))
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(8)
              .build());

  private static final String JDBC = "tarn";
  private static final String REST = "tarn_rest";

  /** A second lake in the same PostgreSQL catalog database, with its files in an S3 bucket. */
  private static final String S3 = "tarn_s3";

  @RegisterExtension static final Servers servers = new Servers();
  @TempDir static Path dir;
  static PostgresServer postgres;
  static KafkaBroker broker;
  static SchemaRegistryServer registry;
  static RestCatalogServer restCatalog;
  static S3Server s3;
  static CompletableFuture<TrinoServer> trino;

  @BeforeAll
  static void startServers() {
    postgres = servers.add(PostgresServer.start());
    s3 = servers.add(S3Server.start());
    JobConfig config = config();
    // the same lake twice: the JDBC catalog on PostgreSQL directly, and the REST catalog over it
    restCatalog =
        servers.add(
            RestCatalogServer.start(
                dir.resolve("rest-catalog"),
                config.get(JobConfig.CATALOG_NAME),
                Lake.catalogProperties(config)));
    List<TrinoCatalog> catalogs =
        List.of(
            TrinoCatalog.iceberg(
                JDBC, config.get(JobConfig.CATALOG_NAME), Lake.catalogProperties(config)),
            TrinoCatalog.iceberg(
                REST,
                config.get(JobConfig.CATALOG_NAME),
                Map.of(
                    "uri",
                    restCatalog.uri().toString(),
                    "token",
                    restCatalog.token(),
                    "warehouse",
                    Lake.catalogProperties(config).get("warehouse"))),
            // from the jobs' own settings, as ./tarn trino --config does
            TrinoCatalog.lake(S3, s3Settings()));
    // Trino starts while the pipeline runs: the catalogs are read lazily, at the first query
    trino = CompletableFuture.supplyAsync(() -> TrinoServer.start(dir.resolve("trino"), catalogs));
    servers.add(() -> trino.thenAccept(TrinoServer::close).exceptionally(e -> null).join());
    broker = servers.add(KafkaBroker.start(dir.resolve("kafka")));
    registry = servers.add(SchemaRegistryServer.start("127.0.0.1", 0, null));
  }

  private static JobConfig config() {
    return JobConfig.of(settings());
  }

  /**
   * The S3 lake's job settings: its own catalog name, bucket and consumer groups (so its jobs read
   * the topics from the start).
   */
  private static Map<String, String> s3Settings() {
    Map<String, String> settings = new HashMap<>(settings());
    settings.put("catalog.name", S3);
    settings.put("catalog.warehouse", "s3://tarn-trino/warehouse");
    settings.put("kafka.group.prefix", "tarn-s3");
    settings.put("s3.endpoint", s3.endpoint());
    settings.put("s3.path-style-access", "true");
    settings.put("s3.region", S3Server.REGION);
    settings.put("s3.legacy-checksums", "true");
    settings.put("s3.access-key-id", s3.accessKey());
    settings.put("s3.secret-access-key", s3.secretKey());
    return settings;
  }

  private static Map<String, String> settings() {
    return new HashMap<>(
        Map.of(
            "kafka.bootstrap.servers",
            broker == null ? "127.0.0.1:9" : broker.bootstrapServers(),
            "registry.url",
            registry == null ? "http://127.0.0.1:9" : registry.url(),
            "catalog.uri",
            postgres.jdbcUrl(),
            "catalog.jdbc.user",
            PostgresServer.USER,
            "catalog.jdbc.password",
            PostgresServer.PASSWORD,
            "catalog.warehouse",
            dir.resolve("warehouse").toString(),
            "checkpoint.interval",
            "1s",
            "job.parallelism",
            "2",
            "gold.flush.interval",
            "200ms"));
  }

  @Test
  void trinoReadsTheLakeTheJobsWroteToS3() throws Exception {
    JobConfig config = JobConfig.of(s3Settings());
    new BucketSetup(config).apply();
    Lake lake = new Lake(config);
    long produced = produce(1000, 3);

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.configure(Configuration.fromMap(JobEnvironment.settings(config)));
    env.setParallelism(2);
    BronzeJob.addTo(env, config);
    SilverJob.addTo(env, config);
    GoldJob.addTo(env, config);
    JobClient job = env.executeAsync("trino-s3-it");
    LakeTables tables = new LakeTables(lake);
    try {
      // the S3 jobs read every topic from the start: whatever other tests produced too
      long inTopics = producedSoFar.get();
      awaitUntil(
          "bronze in S3 to hold every produced record and every zone to have a commit",
          () ->
              tables.bronzeRecords() >= inTopics
                  && tables.withData().containsAll(List.of("bronze", "silver", "gold")),
          Duration.ofSeconds(90));
      assertThat(produced).isPositive();
    } finally {
      job.cancel().get();
    }

    try (Connection trinoSql = TrinoQueries.to(trino.join()).connect("tarn")) {
      int compared = 0;
      for (TableIdentifier id : tables.all()) {
        Table table = tables.load(id);
        if (table.currentSnapshot() == null) {
          continue;
        }
        assertThat(table.location()).startsWith("s3://tarn-trino/warehouse/");
        List<String> expected = LakeRows.iceberg(table, table.currentSnapshot().snapshotId());
        assertThat(LakeRows.trino(trinoSql, S3, table, id, null))
            .as("%s in S3 through Trino's native S3 file system", id)
            .isEqualTo(expected);
        String from = S3 + "." + id.namespace().level(0) + ".\"" + id.name() + "\"";
        assertThat(TrinoQueries.count(trinoSql, "SELECT count(*) FROM " + from))
            .as("count of %s", id)
            .isEqualTo(expected.size());
        compared++;
      }
      assertThat(compared).isGreaterThanOrEqualTo(3);
    }
  }

  @Test
  void trinoReadsWhatThePipelineWritesAtEverySnapshot() throws Exception {
    JobConfig config = config();
    Lake lake = new Lake(config);
    long produced = produce(1500, 1);

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.configure(Configuration.fromMap(JobEnvironment.settings(config)));
    env.setParallelism(2);
    BronzeJob.addTo(env, config);
    SilverJob.addTo(env, config);
    GoldJob.addTo(env, config);
    JobClient job = env.executeAsync("trino-it");

    LakeTables tables = new LakeTables(lake);
    TableIdentifier gold = TableNames.of("gold", "revenue_per_category_minute");
    try (Connection trinoSql = TrinoQueries.to(trino.join()).connect("tarn")) {
      awaitUntil(
          "every zone to have a commit",
          () -> tables.withData().containsAll(List.of("bronze", "silver", "gold")),
          Duration.ofSeconds(90));

      // while the jobs stream: every table pinned to the snapshot the Iceberg API read
      produced += produce(1500, 2);
      long goldBefore = tables.load(gold).currentSnapshot().snapshotId();
      int compared = 0;
      for (TableIdentifier id : tables.all()) {
        Table table = tables.load(id);
        Snapshot snapshot = table.currentSnapshot();
        if (snapshot != null) {
          List<String> expected = LakeRows.iceberg(table, snapshot.snapshotId());
          assertThat(LakeRows.trino(trinoSql, JDBC, table, id, snapshot.snapshotId()))
              .as("%s at snapshot %d, read while streaming", id, snapshot.snapshotId())
              .isEqualTo(expected);
          compared++;
        }
      }
      assertThat(compared).isGreaterThanOrEqualTo(3);

      long total = produced;
      awaitUntil(
          "bronze to hold every produced record and gold to commit again",
          () ->
              tables.bronzeRecords() >= total
                  && tables.load(gold).currentSnapshot().snapshotId() != goldBefore,
          Duration.ofSeconds(90));
    } finally {
      job.cancel().get();
    }

    try (Connection trinoSql = TrinoQueries.to(trino.join()).connect("tarn")) {
      // at rest: the current state, without a version clause, through both catalogs
      for (TableIdentifier id : tables.all()) {
        Table table = tables.load(id);
        if (table.currentSnapshot() != null) {
          List<String> expected = LakeRows.iceberg(table, table.currentSnapshot().snapshotId());
          for (String catalog : List.of(JDBC, REST)) {
            assertThat(LakeRows.trino(trinoSql, catalog, table, id, null))
                .as("%s through %s, current", id, catalog)
                .isEqualTo(expected);
          }
        }
      }

      // gold is an upsert table: its reads apply equality deletes
      Table goldTable = tables.load(gold);
      assertThat(
              Long.parseLong(goldTable.currentSnapshot().summary().get("total-equality-deletes")))
          .isPositive();

      // time travel: the oldest snapshot whose rows differ from today's
      List<String> current = LakeRows.iceberg(goldTable, goldTable.currentSnapshot().snapshotId());
      Snapshot earlier = null;
      List<String> earlierRows = null;
      for (Snapshot s : goldTable.snapshots()) {
        List<String> rows = LakeRows.iceberg(goldTable, s.snapshotId());
        if (!rows.isEmpty() && !rows.equals(current)) {
          earlier = s;
          earlierRows = rows;
          break;
        }
      }
      assertThat(earlier).as("an earlier gold snapshot with other rows").isNotNull();
      assertThat(LakeRows.trino(trinoSql, REST, goldTable, gold, earlier.snapshotId()))
          .isEqualTo(earlierRows)
          .isNotEqualTo(current);
      assertThat(
              TrinoQueries.count(
                  trinoSql,
                  "SELECT count(*) FROM tarn_rest.gold.revenue_per_category_minute"
                      + " FOR VERSION AS OF "
                      + earlier.snapshotId()))
          .isEqualTo(earlierRows.size());

      // catalog metadata from the schemas: the table doc and classified column docs as comments
      assertThat(TrinoQueries.rows(trinoSql, "SHOW CREATE TABLE " + JDBC + ".silver.customers"))
          .singleElement()
          .asString()
          .contains("COMMENT 'A customer account of the shop, emitted when it is created")
          .contains("COMMENT 'Contact e-mail address. [confidential, pii:email]'");
    }
  }

  /** Every record produced into the topics by any test of this class. */
  private static final java.util.concurrent.atomic.AtomicLong producedSoFar =
      new java.util.concurrent.atomic.AtomicLong();

  private static long produce(long events, long seed) {
    WorkloadSpec spec =
        new WorkloadSpec(events, 0, 0.05, 0.05, Duration.ofMinutes(2), 0.02, 0.04, seed, 200);
    try (RestSchemaRegistry client = new RestSchemaRegistry(registry.url());
        WorkloadProducer producer =
            new WorkloadProducer(broker.bootstrapServers(), client, spec, Map.of())) {
      java.util.concurrent.atomic.AtomicLong acknowledged =
          new java.util.concurrent.atomic.AtomicLong();
      producer.run(r -> acknowledged.incrementAndGet());
      producedSoFar.addAndGet(acknowledged.get());
      return acknowledged.get();
    }
  }

  /** The tables of the lake's three zones. */
  private record LakeTables(Lake lake) {
    List<TableIdentifier> all() {
      Catalog catalog = lake.catalogLoader().loadCatalog();
      try {
        List<TableIdentifier> ids = new ArrayList<>();
        for (String zone : List.of("bronze", "silver", "gold")) {
          try {
            ids.addAll(catalog.listTables(Namespace.of(zone)));
          } catch (org.apache.iceberg.exceptions.NoSuchNamespaceException e) {
            // not created yet
          }
        }
        return ids;
      } finally {
        Lake.closeQuietly(catalog);
      }
    }

    List<String> withData() {
      return all().stream()
          .filter(id -> load(id).currentSnapshot() != null)
          .map(id -> id.namespace().level(0))
          .distinct()
          .toList();
    }

    long bronzeRecords() {
      return all().stream()
          .filter(id -> id.namespace().level(0).equals("bronze"))
          .map(this::load)
          .filter(t -> t.currentSnapshot() != null)
          .mapToLong(t -> Long.parseLong(t.currentSnapshot().summary().get("total-records")))
          .sum();
    }

    Table load(TableIdentifier id) {
      Catalog catalog = lake.catalogLoader().loadCatalog();
      try {
        return catalog.loadTable(id);
      } finally {
        Lake.closeQuietly(catalog);
      }
    }
  }

  private static void awaitUntil(String what, BooleanSupplier condition, Duration timeout)
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
