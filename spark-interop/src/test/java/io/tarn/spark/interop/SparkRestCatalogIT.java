package io.tarn.spark.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tarn.catalog.server.RestCatalogServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Types;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark in local mode with Iceberg's Spark runtime reads tables through Tarn's REST catalog server
 * (a real child JVM over a SQLite JDBC catalog), exactly as an outside user would configure it. The
 * table is written with Iceberg's own client (real Parquet files, two snapshots), so Spark's
 * answers are compared with what was written, not with what Spark wrote itself. {@link
 * SparkPipelineIT} reads a lake the pipeline wrote.
 */
class SparkRestCatalogIT {
  private static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "order_id", Types.LongType.get()),
          Types.NestedField.optional(2, "customer", Types.StringType.get()),
          Types.NestedField.optional(3, "amount", Types.DoubleType.get()));
  private static final TableIdentifier ORDERS =
      TableIdentifier.of(Namespace.of("interop"), "orders");
  private static final int FIRST_BATCH = 500;
  private static final int SECOND_BATCH = 300;

  @TempDir static Path dir;
  private static RestCatalogServer server;
  private static RESTCatalog client;
  private static SparkSession spark;
  private static long firstSnapshot;
  private static final List<Record> written = new ArrayList<>();

  @BeforeAll
  static void start() throws IOException {
    String warehouse = "file:" + dir.resolve("warehouse");
    server = RestCatalogs.server(dir.resolve("rest-catalog"), dir.resolve("catalog.db"), warehouse);
    client = RestCatalogs.client(server);
    client.createNamespace(ORDERS.namespace());
    Table table = client.createTable(ORDERS, SCHEMA, PartitionSpec.unpartitioned());
    table.newAppend().appendFile(writeParquet(table, 0, FIRST_BATCH, written)).commit();
    table.refresh();
    firstSnapshot = table.currentSnapshot().snapshotId();
    table.newAppend().appendFile(writeParquet(table, FIRST_BATCH, SECOND_BATCH, written)).commit();

    SparkSession.Builder builder =
        LocalSpark.builder("tarn-spark-interop", dir)
            .config(
                "spark.sql.extensions",
                "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions");
    RestCatalogs.sparkCatalog("tarn", server.uri().toString(), server.token(), warehouse)
        .forEach(builder::config);
    RestCatalogs.sparkCatalog("intruder", server.uri().toString(), "not-the-token", warehouse)
        .forEach(builder::config);
    spark = builder.getOrCreate();
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
  void countsAndRowsMatchWhatWasWritten() {
    assertThat(spark.sql("SELECT count(*) FROM tarn.interop.orders").first().getLong(0))
        .isEqualTo(FIRST_BATCH + SECOND_BATCH);

    List<Row> rows =
        spark
            .sql("SELECT order_id, customer, amount FROM tarn.interop.orders ORDER BY order_id")
            .collectAsList();
    assertThat(rows).hasSize(written.size());
    for (int i = 0; i < rows.size(); i++) {
      Record expected = written.get(i);
      Row actual = rows.get(i);
      assertThat(actual.getLong(0)).isEqualTo(expected.getField("order_id"));
      assertThat(actual.getString(1)).isEqualTo(expected.getField("customer"));
      assertThat(actual.getDouble(2)).isEqualTo(expected.getField("amount"));
    }
    assertThat(
            spark
                .sql("SELECT round(sum(amount), 2) FROM tarn.interop.orders WHERE customer = 'c7'")
                .first()
                .getDouble(0))
        .isEqualTo(
            Math.round(
                    written.stream()
                            .filter(r -> "c7".equals(r.getField("customer")))
                            .mapToDouble(r -> (Double) r.getField("amount"))
                            .sum()
                        * 100)
                / 100.0);
  }

  @Test
  void timeTravelReadsTheFirstSnapshot() {
    assertThat(
            spark
                .sql(
                    "SELECT count(*), max(order_id) FROM tarn.interop.orders VERSION AS OF "
                        + firstSnapshot)
                .first())
        .satisfies(
            row -> {
              assertThat(row.getLong(0)).isEqualTo(FIRST_BATCH);
              assertThat(row.getLong(1)).isEqualTo(FIRST_BATCH - 1);
            });
    assertThat(spark.sql("SELECT count(*) FROM tarn.interop.orders.snapshots").first().getLong(0))
        .isEqualTo(2);
  }

  @Test
  void sparkSeesTablesTheClientCreatesLater() throws IOException {
    TableIdentifier later = TableIdentifier.of(Namespace.of("interop"), "later");
    Table table = client.createTable(later, SCHEMA, PartitionSpec.unpartitioned());
    table.newAppend().appendFile(writeParquet(table, 10_000, 42, new ArrayList<>())).commit();
    assertThat(spark.sql("SELECT count(*) FROM tarn.interop.later").first().getLong(0))
        .isEqualTo(42);
  }

  @Test
  void aWrongTokenIsRefused() {
    assertThatThrownBy(() -> spark.sql("SELECT count(*) FROM intruder.interop.orders").collect())
        .hasStackTraceContaining("NotAuthorizedException");
  }

  /** Rows {@code from .. from+n-1} with a few customers and cent amounts, in one Parquet file. */
  private static DataFile writeParquet(Table table, int from, int n, List<Record> sink)
      throws IOException {
    String location = table.locationProvider().newDataLocation(UUID.randomUUID() + ".parquet");
    DataWriter<Record> writer =
        Parquet.writeData(table.io().newOutputFile(location))
            .schema(table.schema())
            .createWriterFunc(GenericParquetWriter::create)
            .withSpec(table.spec())
            .overwrite()
            .build();
    try (writer) {
      for (long id = from; id < from + n; id++) {
        GenericRecord row = GenericRecord.create(table.schema());
        row.setField("order_id", id);
        row.setField("customer", "c" + (id % 13));
        row.setField("amount", (id * 37 % 10_000) / 100.0);
        writer.write(row);
        sink.add(row);
      }
    }
    assertThat(Files.size(Path.of(location.replaceFirst("^file:", "")))).isPositive();
    return writer.toDataFile();
  }
}
