package io.tarn.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.jobs.LatestCheckpoint;
import io.tarn.jobs.audit.AuditRecord;
import io.tarn.jobs.audit.AuditTableReader;
import io.tarn.jobs.audit.AuditVerifier;
import io.tarn.jobs.lake.Lake;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./tarn local} twice on one data folder: the second run resumes from the first run's
 * savepoints, ingests what the first left in Kafka, and duplicates nothing.
 */
class LocalPipelineIT {
  @TempDir Path dir;

  @Test
  void secondRunResumesWhereTheFirstStoppedWithoutDuplicates() throws Exception {
    DataDir dataDir = new DataDir(dir.resolve("lake"));
    Progress progress = new Progress(new PrintStream(new ByteArrayOutputStream()));
    List<String> settings = List.of("--checkpoint.interval", "1s", "--job.parallelism", "1");
    long produced;
    try (LocalPipeline first =
        new LocalPipeline(dataDir, new LocalOptions(dataDir.root(), null, 400, 0, settings))) {
      first.start(progress);
      awaitUntil(() -> bronzePositions(dataDir).size() > 1000, Duration.ofSeconds(120));
      assertRestCatalogListsTheBronzeTables(first, dataDir);
      first.stop(progress);
      produced = first.producer().acknowledged();
    }
    assertThat(LatestCheckpoint.in(dataDir.savepoints("tarn-bronze"))).isPresent();
    assertThat(bronzePositions(dataDir).size()).isLessThanOrEqualTo((int) produced);

    try (LocalPipeline second =
        new LocalPipeline(dataDir, new LocalOptions(dataDir.root(), null, 0, 0, settings))) {
      second.start(progress);
      awaitUntil(() -> bronzePositions(dataDir).size() >= produced, Duration.ofSeconds(120));
      // the platform's acts of both runs reach the audit table: the first run's stops (published
      // after its audit job stopped) through Kafka into the second run
      int jobCount = LocalJob.values().length;
      awaitUntil(
          () -> count(dataDir, "job.start") >= 2 * jobCount && count(dataDir, "job.stop") >= 1,
          Duration.ofSeconds(60));
      second.stop(progress);
    }
    List<String> positions = bronzePositions(dataDir);
    assertThat(positions).doesNotHaveDuplicates().hasSize((int) produced);
    List<AuditRecord> audit = AuditTableReader.read(dataDir.lake());
    assertThat(audit)
        .anyMatch(
            r ->
                r.event().action().equals("schema.register")
                    && r.event().target().equals("shop.orders-value"));
    assertThat(audit)
        .anyMatch(
            r ->
                r.event().action().equals("job.stop")
                    && r.event().target().equals("tarn-bronze")
                    && r.event().details().containsKey("savepoint"));
    assertThat(audit.stream().map(r -> r.event().eventId())).doesNotHaveDuplicates();
    AuditVerifier.Result chain = AuditVerifier.verify(audit);
    assertThat(chain.ok()).as(chain.toString()).isTrue();
  }

  private static long count(DataDir dataDir, String action) {
    return AuditTableReader.read(dataDir.lake()).stream()
        .filter(r -> r.event().action().equals(action))
        .count();
  }

  /** The REST catalog serves the tables the Flink jobs write, from the same SQLite file. */
  private static void assertRestCatalogListsTheBronzeTables(LocalPipeline pipeline, DataDir dataDir)
      throws Exception {
    HttpResponse<String> listed =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        pipeline.catalogServer().uri().resolve("v1/namespaces/bronze/tables"))
                    .header("Authorization", "Bearer " + pipeline.catalogServer().token())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(listed.statusCode()).isEqualTo(200);
    Catalog catalog = dataDir.lake().catalogLoader().loadCatalog();
    try {
      List<TableIdentifier> bronze = catalog.listTables(Namespace.of("bronze"));
      assertThat(bronze).isNotEmpty();
      bronze.forEach(id -> assertThat(listed.body()).contains("\"" + id.name() + "\""));
    } finally {
      Lake.closeQuietly(catalog);
    }
  }

  private static List<String> bronzePositions(DataDir dataDir) {
    Lake lake = dataDir.lake();
    Catalog catalog = lake.catalogLoader().loadCatalog();
    List<String> positions = new ArrayList<>();
    try {
      {
        for (TableIdentifier id : catalog.listTables(Namespace.of("bronze"))) {
          Table table = catalog.loadTable(id);
          try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
            for (Record r : rows) {
              positions.add(
                  r.getField("kafka_topic")
                      + "/"
                      + r.getField("kafka_partition")
                      + "/"
                      + r.getField("kafka_offset"));
            }
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      }
    } catch (org.apache.iceberg.exceptions.NoSuchNamespaceException notYet) {
      return positions;
    } finally {
      Lake.closeQuietly(catalog);
    }
    return positions;
  }

  private static void awaitUntil(BooleanSupplier condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Timed out after " + timeout);
      }
      Thread.sleep(1000);
    }
  }
}
