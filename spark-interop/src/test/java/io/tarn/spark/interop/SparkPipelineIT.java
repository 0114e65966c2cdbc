package io.tarn.spark.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.catalog.server.RestCatalogServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark reads the lake the real pipeline wrote: {@code ./tarn local --events 2000} (Kafka,
 * registry, Flink MiniCluster with bronze, silver, gold and maintenance, in a child JVM) fills a
 * lake, then Spark reads every bronze, silver and gold table through Tarn's REST catalog server.
 * Counts and rows equal what Iceberg's own reader returns (gold's equality deletes applied), and
 * bronze holds exactly the events produced; {@code VERSION AS OF} reads earlier snapshots alike.
 *
 * <p>With {@code -Dtarn.lake.dir=<data dir of ./tarn local>} it reads that lake instead of running
 * the pipeline (the produced-events check is then skipped).
 */
class SparkPipelineIT {
  private static final long EVENTS = 2000;
  private static final List<String> ZONES = List.of("bronze", "silver", "gold");

  @TempDir static Path dir;
  private static LocalRun run;
  private static RestCatalogServer server;
  private static RESTCatalog client;
  private static SparkSession spark;
  private static final List<TableIdentifier> tables = new ArrayList<>();

  @BeforeAll
  static void start() {
    String given = System.getProperty("tarn.lake.dir", "");
    Path lake = given.isBlank() ? dir.resolve("lake") : Path.of(given).toAbsolutePath();
    CompletableFuture<LocalRun> pipeline =
        given.isBlank()
            ? CompletableFuture.supplyAsync(
                () ->
                    LocalRun.events(
                        lake,
                        EVENTS,
                        List.of(
                            "checkpoint.interval=1s",
                            "job.parallelism=1",
                            "gold.flush.interval=1s"),
                        Duration.ofSeconds(90)))
            : CompletableFuture.completedFuture(null);
    // Spark starts while the pipeline runs; it reads the lake once the run has stopped
    spark = LocalSpark.builder("tarn-spark-pipeline", dir).getOrCreate();
    run = pipeline.join();

    String warehouse = "file:" + lake.resolve("warehouse");
    // a server folder of our own: the lake's rest-catalog/ (token, port) is left alone
    server =
        RestCatalogs.server(dir.resolve("rest-catalog"), lake.resolve("catalog.db"), warehouse);
    client = RestCatalogs.client(server);
    RestCatalogs.sparkCatalog("lake", server.uri().toString(), server.token(), warehouse)
        .forEach((key, value) -> spark.conf().set(key, value));
    for (String zone : ZONES) {
      tables.addAll(client.listTables(Namespace.of(zone)));
    }
  }

  @AfterAll
  static void stop() throws IOException {
    if (spark != null) {
      spark.stop();
    }
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void everyTableCountsTheSameInSparkAndIceberg() {
    assertThat(tables)
        .contains(
            TableIdentifier.of("bronze", "orders"),
            TableIdentifier.of("silver", "orders"),
            TableIdentifier.of("gold", "revenue_per_category_minute"));
    for (TableIdentifier id : tables) {
      long sparkCount = spark.sql("SELECT count(*) FROM " + sparkName(id)).first().getLong(0);
      long icebergCount = icebergRows(client.loadTable(id), List.of("*"), null).size();
      System.out.printf("%s: spark %d rows, iceberg %d rows%n", id, sparkCount, icebergCount);
      assertThat(sparkCount).as("rows of %s", id).isEqualTo(icebergCount);
    }
    for (String zone : List.of("bronze", "silver")) {
      assertThat(tables.stream().filter(id -> id.namespace().level(0).equals(zone)))
          .as("%s has rows", zone)
          .anySatisfy(id -> assertThat(countInSpark(id)).isPositive());
    }
  }

  @Test
  void bronzeHoldsEveryProducedEventOnce() {
    Assumptions.assumeTrue(run != null, "a lake given with -Dtarn.lake.dir: produced is unknown");
    assertThat(run.produced()).isEqualTo(EVENTS);
    List<TableIdentifier> bronze =
        tables.stream().filter(id -> id.namespace().level(0).equals("bronze")).toList();
    String positions =
        bronze.stream()
            .map(id -> "SELECT kafka_topic, kafka_partition, kafka_offset FROM " + sparkName(id))
            .collect(Collectors.joining(" UNION ALL "));
    Row counts =
        spark
            .sql(
                "SELECT count(*), count(DISTINCT kafka_topic, kafka_partition, kafka_offset) FROM ("
                    + positions
                    + ")")
            .first();
    assertThat(counts.getLong(0)).as("bronze rows").isEqualTo(run.produced());
    assertThat(counts.getLong(1)).as("distinct Kafka positions").isEqualTo(run.produced());
  }

  @Test
  void rowsEqualIcebergsOnEveryPlainColumn() {
    int compared = 0;
    for (TableIdentifier id : tables) {
      Table table = client.loadTable(id);
      List<String> columns = plainColumns(table);
      if (columns.isEmpty()) {
        continue;
      }
      List<String> expected = icebergRows(table, columns, null);
      assertThat(sparkRows(id, columns, null)).as("rows of %s", id).isEqualTo(expected);
      compared += expected.isEmpty() ? 0 : 1;
    }
    assertThat(compared).as("tables with rows compared").isGreaterThanOrEqualTo(3);
  }

  @Test
  void earlierSnapshotsReadTheSameInSpark() {
    int differing = 0;
    for (TableIdentifier id : tables) {
      Table table = client.loadTable(id);
      Snapshot oldest = null;
      for (Snapshot s : table.snapshots()) {
        if (oldest == null || s.sequenceNumber() < oldest.sequenceNumber()) {
          oldest = s;
        }
      }
      if (oldest == null || oldest.snapshotId() == table.currentSnapshot().snapshotId()) {
        continue;
      }
      List<String> columns = plainColumns(table);
      if (columns.isEmpty()) {
        continue;
      }
      List<String> earlier = icebergRows(table, columns, oldest.snapshotId());
      assertThat(sparkRows(id, columns, oldest.snapshotId()))
          .as("%s VERSION AS OF %d", id, oldest.snapshotId())
          .isEqualTo(earlier);
      differing += earlier.equals(icebergRows(table, columns, null)) ? 0 : 1;
    }
    assertThat(differing).as("tables whose oldest snapshot differs from today's").isPositive();
  }

  private static List<String> plainColumns(Table table) {
    return table.schema().columns().stream()
        .filter(f -> isPlain(f.type()))
        .map(Types.NestedField::name)
        .toList();
  }

  private static long countInSpark(TableIdentifier id) {
    return spark.sql("SELECT count(*) FROM " + sparkName(id)).first().getLong(0);
  }

  /**
   * Columns whose values Spark and Iceberg's generic reader both hand out as the same Java type.
   */
  private static boolean isPlain(Type type) {
    return switch (type.typeId()) {
      case STRING, INTEGER, LONG, BOOLEAN -> true;
      default -> false;
    };
  }

  private static List<String> sparkRows(TableIdentifier id, List<String> columns, Long snapshot) {
    String select = columns.stream().map(c -> "`" + c + "`").collect(Collectors.joining(", "));
    String sql =
        "SELECT "
            + select
            + " FROM "
            + sparkName(id)
            + (snapshot == null ? "" : " VERSION AS OF " + snapshot);
    List<String> rows = new ArrayList<>();
    for (Row row : spark.sql(sql).collectAsList()) {
      List<String> values = new ArrayList<>();
      for (int i = 0; i < columns.size(); i++) {
        values.add(String.valueOf(row.get(i)));
      }
      rows.add(String.join("|", values));
    }
    rows.sort(null);
    return rows;
  }

  /** The table's rows as Iceberg's generic reader returns them (deletes applied), sorted. */
  private static List<String> icebergRows(Table table, List<String> columns, Long snapshot) {
    var read = IcebergGenerics.read(table).select(columns);
    if (snapshot != null) {
      read = read.useSnapshot(snapshot);
    }
    List<String> rows = new ArrayList<>();
    try (CloseableIterable<Record> records = read.build()) {
      for (Record r : records) {
        if (columns.equals(List.of("*"))) {
          rows.add("");
          continue;
        }
        List<String> values = new ArrayList<>();
        for (String c : columns) {
          values.add(String.valueOf(r.getField(c)));
        }
        rows.add(String.join("|", values));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + table.name(), e);
    }
    rows.sort(null);
    return rows;
  }

  private static String sparkName(TableIdentifier id) {
    return "lake.`" + String.join("`.`", id.namespace().levels()) + "`.`" + id.name() + "`";
  }
}
