package io.tarn.bench;

import io.tarn.jobs.bronze.BronzeJob;
import io.tarn.jobs.bronze.BronzeTable;
import io.tarn.jobs.config.JobConfig;
import io.tarn.jobs.lake.Lake;
import io.tarn.jobs.lake.TableNames;
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
import org.HdrHistogram.Histogram;
import org.apache.flink.api.common.JobID;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Types;

/**
 * One repetition of B3's subject: the Tarn bronze job ({@link BronzeJob}) on a {@link
 * FlinkCluster}, over a fresh warehouse and a fresh consumer group, reading the filled topics from
 * the earliest offset until every record is committed.
 *
 * <p>The job's graph (and its tables) is built by {@link #prepare} before the clock starts, as the
 * ceiling's tables are. The rate is measured from the first record the job processed (the smallest
 * {@code ingest_time} in the tables' file statistics) to the commit that made the last record
 * visible (that snapshot's timestamp), found by polling the tables' snapshot summaries ({@code
 * total-records}). Job submission and start-up come before the first record and are left out of the
 * rate, not out of the CPU figures.
 */
final class TarnBronzeRun implements AutoCloseable {
  private static final int INGEST_TIME_ID = BronzeTable.SCHEMA.findField("ingest_time").fieldId();

  private final FlinkCluster cluster;
  private final List<String> topics;
  private final StreamGraph graph;
  private final Catalog catalog;
  private final List<Table> tables = new ArrayList<>();
  private JobID job;

  private TarnBronzeRun(
      FlinkCluster cluster, List<String> topics, StreamGraph graph, Catalog catalog) {
    this.cluster = cluster;
    this.topics = topics;
    this.graph = graph;
    this.catalog = catalog;
  }

  /**
   * Builds the job over a new warehouse (its tables created) with its own consumer group, so it
   * reads the topics from the start.
   */
  static TarnBronzeRun prepare(
      FlinkCluster cluster,
      Path work,
      String bootstrap,
      String registryUrl,
      List<String> topics,
      Duration checkpointInterval,
      String group) {
    try {
      Files.createDirectories(work);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create " + work, e);
    }
    Map<String, String> settings = new HashMap<>();
    settings.put(JobConfig.KAFKA_BOOTSTRAP.name(), bootstrap);
    settings.put(JobConfig.KAFKA_TOPICS.name(), String.join(",", topics));
    settings.put(JobConfig.KAFKA_GROUP_PREFIX.name(), group);
    settings.put(JobConfig.REGISTRY_URL.name(), registryUrl);
    settings.put(
        JobConfig.CATALOG_URI.name(), "jdbc:sqlite:" + work.resolve("catalog.db").toAbsolutePath());
    settings.put(JobConfig.WAREHOUSE.name(), work.resolve("warehouse").toAbsolutePath().toString());
    settings.put(JobConfig.CHECKPOINT_INTERVAL.name(), checkpointInterval.toMillis() + "ms");
    settings.put(JobConfig.PARALLELISM.name(), "1");
    settings.put(CommitTimings.SETTING, CommitTimings.class.getName());
    JobConfig config = JobConfig.of(settings);
    StreamGraph graph =
        FlinkCluster.graph(BronzeJob.NAME, config, work.resolve("checkpoints"), BronzeJob::addTo);
    Catalog catalog = new Lake(config).catalogLoader().loadCatalog();
    TarnBronzeRun run = new TarnBronzeRun(cluster, topics, graph, catalog);
    for (String topic : topics) {
      run.tables.add(catalog.loadTable(TableNames.of("bronze", TableNames.forTopic(topic))));
    }
    CommitTimings.drain();
    return run;
  }

  /**
   * Runs the job until {@code expected} rows are committed; the clock is the job's own. {@code
   * bytes} is the key + value payload of those records (as the raw consumer counted it).
   */
  Outcome run(long expected, long bytes) throws Exception {
    job = cluster.submit(graph);
    CommittedRecords.await(cluster, job, BronzeJob.NAME, tables, expected);

    long lastCommitMillis = 0;
    long commits = 0;
    long emptySnapshots = 0;
    long dataFiles = 0;
    long fileBytes = 0;
    long firstIngestMicros = Long.MAX_VALUE;
    long lastIngestMicros = Long.MIN_VALUE;
    for (Table table : tables) {
      Snapshot current = table.currentSnapshot();
      if (current != null) {
        lastCommitMillis = Math.max(lastCommitMillis, current.timestampMillis());
      }
      for (Snapshot snapshot : table.snapshots()) {
        commits += 1;
        dataFiles += Snapshots.summary(snapshot, SnapshotSummary.ADDED_FILES_PROP);
        fileBytes += Snapshots.summary(snapshot, SnapshotSummary.ADDED_FILE_SIZE_PROP);
      }
      emptySnapshots += Snapshots.withoutAddedRecords(table);
      try (CloseableIterable<FileScanTask> files =
          table.newScan().includeColumnStats().planFiles()) {
        for (FileScanTask task : files) {
          DataFile file = task.file();
          firstIngestMicros = Math.min(firstIngestMicros, bound(file.lowerBounds()));
          lastIngestMicros = Math.max(lastIngestMicros, bound(file.upperBounds()));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot plan files of " + table.name(), e);
      }
    }
    Duration elapsed = Duration.ofMillis(lastCommitMillis - firstIngestMicros / 1000);

    Histogram micros = Latency.newMicrosHistogram();
    long timed = 0;
    long retries = 0;
    for (CommitTimings.Commit commit : CommitTimings.drain()) {
      if (commit.table().contains(".bronze.")) {
        micros.recordValue(commit.micros());
        timed += 1;
        retries += Math.max(0, commit.attempts() - 1);
      }
    }

    Outcome outcome =
        Outcome.of(expected, bytes)
            .withOwnElapsed(elapsed)
            .with("commits", commits)
            .with("data_files", dataFiles)
            .with("file_mb", fileBytes / 1e6)
            .with("empty_snapshots", emptySnapshots)
            .with("rate_to_last_row", expected / ((lastIngestMicros - firstIngestMicros) / 1e6))
            .with("last_row_to_commit_s", (lastCommitMillis - lastIngestMicros / 1000) / 1000.0);
    return timed == 0
        ? outcome
        : outcome.withLatency(Latency.ofMicros("commit", micros)).with("commit_retries", retries);
  }

  private static long bound(Map<Integer, ByteBuffer> bounds) {
    ByteBuffer value = bounds == null ? null : bounds.get(INGEST_TIME_ID);
    if (value == null) {
      throw new IllegalStateException(
          "Cannot time the Tarn bronze job: a data file has no ingest_time bounds");
    }
    return Conversions.fromByteBuffer(Types.TimestampType.withZone(), value);
  }

  /** The topics' bronze tables of this run. */
  List<String> topics() {
    return topics;
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
