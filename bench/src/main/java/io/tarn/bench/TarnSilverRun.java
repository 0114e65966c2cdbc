package io.tarn.bench;

import io.tarn.jobs.config.JobConfig;
import io.tarn.jobs.lake.Lake;
import io.tarn.jobs.silver.QuarantineTable;
import io.tarn.jobs.silver.SilverJob;
import io.tarn.jobs.silver.SilverTable;
import io.tarn.schemas.DomainSchemas;
import io.tarn.schemas.TableContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Types;

/**
 * One repetition of the Tarn silver job ({@link SilverJob}) over the filled domain topics, on a
 * {@link FlinkCluster}, a fresh warehouse and a fresh consumer group, until every record is in a
 * committed silver table or in quarantine.
 *
 * <p>As in {@link TarnBronzeRun} the graph and tables are built before the clock starts. The
 * processing rate runs from the first to the last {@code _processed_at} in the silver tables' file
 * statistics (set by the quality operator, after decode and dedupe, as it converts each row): the
 * hot path the PII policy adds to, without job start-up or the wait for the checkpoint after the
 * last record, which is the same for any policy and would only blur the ratio.
 */
final class TarnSilverRun implements AutoCloseable {

  private final FlinkCluster cluster;
  private final StreamGraph graph;
  private final Catalog catalog;
  private final List<Table> tables = new ArrayList<>();
  private final Table quarantine;
  private JobID job;

  private TarnSilverRun(FlinkCluster cluster, StreamGraph graph, Catalog catalog) {
    this.cluster = cluster;
    this.graph = graph;
    this.catalog = catalog;
    for (TableContract contract : DomainSchemas.all()) {
      tables.add(catalog.loadTable(new SilverTable(contract).id()));
    }
    this.quarantine = catalog.loadTable(QuarantineTable.ID);
  }

  /**
   * The job's settings over a new warehouse in {@code work} with its own consumer group, so it
   * reads the topics from the start. {@code pii} holds the {@code pii.*} settings, empty for none.
   */
  static JobConfig config(
      Path work,
      String bootstrap,
      String registryUrl,
      List<String> topics,
      Duration checkpointInterval,
      String group,
      Map<String, String> pii) {
    try {
      Files.createDirectories(work);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create " + work, e);
    }
    Map<String, String> settings = new HashMap<>(pii);
    settings.put(JobConfig.KAFKA_BOOTSTRAP.name(), bootstrap);
    settings.put(JobConfig.KAFKA_TOPICS.name(), String.join(",", topics));
    settings.put(JobConfig.KAFKA_GROUP_PREFIX.name(), group);
    settings.put(JobConfig.REGISTRY_URL.name(), registryUrl);
    settings.put(
        JobConfig.CATALOG_URI.name(), "jdbc:sqlite:" + work.resolve("catalog.db").toAbsolutePath());
    settings.put(JobConfig.WAREHOUSE.name(), work.resolve("warehouse").toAbsolutePath().toString());
    settings.put(JobConfig.CHECKPOINT_INTERVAL.name(), checkpointInterval.toMillis() + "ms");
    settings.put(JobConfig.PARALLELISM.name(), "1");
    return JobConfig.of(settings);
  }

  /**
   * Builds the job of {@code config} (creating its tables); {@code work}, made by {@link #config},
   * holds its checkpoints.
   */
  static TarnSilverRun prepare(FlinkCluster cluster, Path work, JobConfig config) {
    StreamGraph graph =
        FlinkCluster.graph(SilverJob.NAME, config, work.resolve("checkpoints"), SilverJob::addTo);
    return new TarnSilverRun(cluster, graph, new Lake(config).catalogLoader().loadCatalog());
  }

  /**
   * Runs the job until {@code expected} records are committed to silver or quarantine. {@code
   * bytes} is the key + value payload of those records (as the raw consumer counted it).
   */
  Outcome run(long expected, long bytes) throws Exception {
    job = cluster.submit(graph);
    List<Table> all = new ArrayList<>(tables);
    all.add(quarantine);
    CommittedRecords.await(cluster, job, SilverJob.NAME, all, expected);

    long lastCommitMillis = 0;
    long commits = 0;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    for (Table table : tables) {
      Snapshot current = table.currentSnapshot();
      if (current == null) {
        continue;
      }
      lastCommitMillis = Math.max(lastCommitMillis, current.timestampMillis());
      for (Snapshot ignored : table.snapshots()) {
        commits += 1;
      }
      int processedAt = table.schema().findField("_processed_at").fieldId();
      try (CloseableIterable<FileScanTask> files =
          table.newScan().includeColumnStats().planFiles()) {
        for (FileScanTask task : files) {
          DataFile file = task.file();
          first = Math.min(first, bound(file.lowerBounds(), processedAt));
          last = Math.max(last, bound(file.upperBounds(), processedAt));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot plan files of " + table.name(), e);
      }
    }
    if (first == Long.MAX_VALUE) {
      throw new IllegalStateException("Cannot time the Tarn silver job: no silver row committed");
    }
    long quarantined = CommittedRecords.total(quarantine);
    // at least a millisecond: a tiny smoke run may convert every row within one
    Duration processing = Duration.ofNanos(Math.max(1_000_000, (last - first) * 1000));
    double commitSeconds = Math.max(0.001, (lastCommitMillis - first / 1000) / 1000.0);
    return Outcome.of(expected, bytes)
        .withOwnElapsed(processing)
        .with("silver_rows", expected - quarantined)
        .with("quarantined", quarantined)
        .with("commits", commits)
        .with("rate_to_commit", expected / commitSeconds)
        .with("last_row_to_commit_s", (lastCommitMillis - last / 1000) / 1000.0)
        .with("emails_in_clear", emailsInClear());
  }

  /**
   * Rows of {@code silver.customers} whose {@code email} is stored as written (holds an {@code @}):
   * all of them without a policy, none under one that protects e-mail addresses. Shows the policy
   * was applied; read after the clock stopped, a small table.
   */
  private long emailsInClear() throws IOException {
    Table customers = catalog.loadTable(new SilverTable(DomainSchemas.forTable("customers")).id());
    if (customers.schema().findField("email") == null) {
      return 0; // dropped by the policy
    }
    long clear = 0;
    try (CloseableIterable<Record> rows = IcebergGenerics.read(customers).select("email").build()) {
      for (Record row : rows) {
        Object email = row.getField("email");
        if (email != null && email.toString().contains("@")) {
          clear += 1;
        }
      }
    }
    return clear;
  }

  private static long bound(Map<Integer, ByteBuffer> bounds, int fieldId) {
    ByteBuffer value = bounds == null ? null : bounds.get(fieldId);
    if (value == null) {
      throw new IllegalStateException(
          "Cannot time the Tarn silver job: a data file has no _processed_at bounds");
    }
    return Conversions.fromByteBuffer(Types.TimestampType.withZone(), value);
  }

  @Override
  public void close() throws Exception {
    try {
      if (job != null) {
        cluster.cancel(job);
      }
    } finally {
      Lake.closeQuietly(catalog);
    }
  }
}
