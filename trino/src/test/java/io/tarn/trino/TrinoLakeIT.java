package io.tarn.trino;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.catalog.server.RestCatalogServer;
import io.tarn.jobs.JobEnvironment;
import io.tarn.jobs.bronze.BronzeJob;
import io.tarn.jobs.config.JobConfig;
import io.tarn.jobs.gold.GoldJob;
import io.tarn.jobs.lake.Lake;
import io.tarn.jobs.lake.TableNames;
import io.tarn.jobs.silver.SilverJob;
import io.tarn.kafka.broker.KafkaBroker;
import io.tarn.schemas.registry.RestSchemaRegistry;
import io.tarn.schemas.registry.SchemaRegistryServer;
import io.tarn.testing.db.PostgresServer;
import io.tarn.workload.WorkloadProducer;
import io.tarn.workload.WorkloadSpec;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Tarn jobs write bronze, silver and gold into an Iceberg JDBC catalog on PostgreSQL while a
 * real Trino reads the same catalog, directly and through Tarn's Iceberg REST catalog server: every
 * table, read at the same snapshot while the pipeline streams and at its end, holds the same rows
 * in Trino as through the Iceberg API (gold's equality deletes applied), and {@code FOR VERSION AS
 * OF} returns an earlier snapshot's rows.
 */
class TrinoLakeIT {
  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(8)
              .build());

  private static final String JDBC = "tarn";
  private static final String REST = "tarn_rest";

  @TempDir static Path dir;
  static PostgresServer postgres;
  static KafkaBroker broker;
  static SchemaRegistryServer registry;
  static RestCatalogServer restCatalog;
  static CompletableFuture<TrinoServer> trino;

  @BeforeAll
  static void startServers() {
    postgres = PostgresServer.start();
    JobConfig config = config();
    // the same lake twice: the JDBC catalog on PostgreSQL directly, and the REST catalog over it
    restCatalog =
        RestCatalogServer.start(
            dir.resolve("rest-catalog"),
            config.get(JobConfig.CATALOG_NAME),
            Lake.catalogProperties(config));
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
                    Lake.catalogProperties(config).get("warehouse"))));
    // Trino starts while the pipeline runs: the catalogs are read lazily, at the first query
    trino = CompletableFuture.supplyAsync(() -> TrinoServer.start(dir.resolve("trino"), catalogs));
    broker = KafkaBroker.start(dir.resolve("kafka"));
    registry = SchemaRegistryServer.start("127.0.0.1", 0, null);
  }

  @AfterAll
  static void stopServers() {
    if (trino != null) {
      trino.thenAccept(TrinoServer::close).exceptionally(e -> null).join();
    }
    if (registry != null) {
      registry.close();
    }
    if (restCatalog != null) {
      restCatalog.close();
    }
    if (broker != null) {
      broker.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  private static JobConfig config() {
    return JobConfig.of(
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
    try (Connection trinoSql = DriverManager.getConnection(trino.join().jdbcUrl(), "tarn", null)) {
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

    try (Connection trinoSql = DriverManager.getConnection(trino.join().jdbcUrl(), "tarn", null)) {
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
      try (Statement s = trinoSql.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT count(*) FROM tarn_rest.gold.revenue_per_category_minute FOR VERSION AS OF "
                      + earlier.snapshotId())) {
        rs.next();
        assertThat(rs.getLong(1)).isEqualTo(earlierRows.size());
      }

      // catalog metadata from the schemas: the table doc and classified column docs as comments
      try (Statement s = trinoSql.createStatement();
          ResultSet rs = s.executeQuery("SHOW CREATE TABLE " + JDBC + ".silver.customers")) {
        rs.next();
        assertThat(rs.getString(1))
            .contains("COMMENT 'A customer account of the shop, emitted when it is created")
            .contains("COMMENT 'Contact e-mail address. [confidential, pii:email]'");
      }
    }
  }

  private static long produce(long events, long seed) {
    WorkloadSpec spec =
        new WorkloadSpec(events, 0, 0.05, 0.05, Duration.ofMinutes(2), 0.02, 0.04, seed, 200);
    try (RestSchemaRegistry client = new RestSchemaRegistry(registry.url());
        WorkloadProducer producer =
            new WorkloadProducer(broker.bootstrapServers(), client, spec, Map.of())) {
      java.util.concurrent.atomic.AtomicLong acknowledged =
          new java.util.concurrent.atomic.AtomicLong();
      producer.run(r -> acknowledged.incrementAndGet());
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
