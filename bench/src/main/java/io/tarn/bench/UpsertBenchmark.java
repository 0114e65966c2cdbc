package io.tarn.bench;

import io.tarn.cdc.CaptureProcess;
import io.tarn.jobs.bronze.BronzeJob;
import io.tarn.jobs.config.JobConfig;
import io.tarn.jobs.lake.Lake;
import io.tarn.jobs.lake.TableNames;
import io.tarn.jobs.silver.SilverJob;
import io.tarn.kafka.broker.KafkaBroker;
import io.tarn.schemas.registry.SchemaRegistryServer;
import io.tarn.testing.db.PostgresServer;
import io.tarn.testing.db.Processes;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.apache.flink.api.common.JobID;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;

/**
 * B5: silver upserts. A PostgreSQL table is captured once (snapshot, then every row updated {@code
 * --passes} times, then a marker row) into one change topic; each round the silver job applies the
 * topic from its start to a fresh upsert table and, as the peer, the bronze job appends it to a
 * fresh bronze table. Then a full scan of the upsert table (deletes applied, the job still running)
 * is compared with a scan of the same rows compacted into one data file of one snapshot.
 */
public final class UpsertBenchmark implements Benchmark {
  static final String ROWS = "rows";
  static final String PASSES = "passes";
  static final String CHECKPOINT_INTERVAL = "checkpoint-interval";
  static final String CAPTURE_TARGET = "capture-target";

  @Override
  public String id() {
    return "upsert";
  }

  @Override
  public String code() {
    return "B5";
  }

  @Override
  public String title() {
    return "silver upserts/s; read latency of the upsert table vs its compacted copy";
  }

  @Override
  public String description() {
    return "One change topic (1 partition) is filled once by Tarn's capture from a PostgreSQL 15"
        + " table of `--rows` rows (~64 B): its snapshot, then `--passes` updates of every row"
        + " in 1,000-row transactions, then a marker insert. Each round, on a fresh catalog and"
        + " consumer group, in a MiniCluster in the harness JVM at parallelism 1: `bronze-append`"
        + " (BronzeJob alone, the B3 path for the same records: append-only) and `silver-upsert`"
        + " (SilverJob alone: decode, dedupe, upsert by primary key with equality deletes) each"
        + " read the whole topic; rate = topic records ÷ (commit time of the snapshot completing"
        + " the table − job submission), so job start-up counts for both. Goal: silver ≥ 1/3 of"
        + " bronze. With the silver job still running, `read-upsert` scans the upsert table"
        + " (IcebergGenerics, deletes applied) and `read-compacted` scans the same rows written"
        + " as one data file in one snapshot of a plain table: rows/s of a full scan; goal:"
        + " upsert reads ≥ 0.5 × compacted (≤ 2× the time). Notes: `commits`, `data_files`,"
        + " `delete_files` of the upsert table at the time of the scan; `rows` checked equal to"
        + " the source table. Runs on a shared, loaded 2-core machine (`load_1m`).";
  }

  @Override
  public List<BenchOption> options() {
    return List.of(
        new BenchOption(ROWS, "50000", "rows of the source table"),
        new BenchOption(PASSES, "2", "updates of every row after the snapshot"),
        new BenchOption(CHECKPOINT_INTERVAL, "5s", "checkpoint = commit interval of the jobs"),
        new BenchOption(
            CAPTURE_TARGET,
            "cdc-capture/target",
            "cdc-capture's build output (jar + lib/), relative to the repository root"));
  }

  @Override
  public void run(BenchContext ctx) throws Exception {
    Options o = ctx.options();
    long rows = o.getInt(ROWS);
    int passes = o.getInt(PASSES);
    Duration interval = o.getDuration(CHECKPOINT_INTERVAL);
    if (rows < 1 || passes < 0 || interval.isZero()) {
      throw new IllegalArgumentException(
          "Cannot run upsert: rows and checkpoint-interval must be positive, passes ≥ 0");
    }
    Path target = Path.of(o.get(CAPTURE_TARGET));
    if (!target.isAbsolute()) {
      target = BenchMain.repoRoot(Path.of("").toAbsolutePath()).resolve(target).normalize();
    }
    String intervalText =
        interval.toMillis() % 1000 == 0 ? interval.toSeconds() + "s" : interval.toMillis() + "ms";
    Peer bronze = ctx.peer("bronze-append", "BronzeJob: append every change to bronze", null);
    Peer silver =
        ctx.peer("silver-upsert", "SilverJob: upsert every change into silver", "bronze-append");
    Peer compacted =
        ctx.peer("read-compacted", "full scan of the same rows in one file, one snapshot", null);
    Peer upsert =
        ctx.peer("read-upsert", "full scan of the upsert table, deletes applied", "read-compacted");
    for (Peer peer : List.of(bronze, silver, compacted, upsert)) {
      peer.setup(Peer.RECORD_BYTES, "~" + CdcBenchmark.ROW_BYTES + " (source row)")
          .setup(Peer.PARTITIONS, 1)
          .setup(Peer.PARALLELISM, 1)
          .setup(Peer.CHECKPOINT_INTERVAL, intervalText);
    }

    PostgresServer postgres = ctx.closeAtEnd(PostgresServer.start());
    KafkaBroker broker = ctx.startBroker();
    SchemaRegistryServer registry = ctx.startRegistry();
    String topic = "b5.public.b5_src";
    long events = fill(ctx, postgres, broker, registry, target, rows, passes, topic);
    long marker = rows + 1;
    ctx.progress("topic %s holds %,d changes", topic, events);

    FlinkCluster cluster = ctx.closeAtEnd(FlinkCluster.start(4));
    for (Round round : ctx.rounds()) {
      Path dir = ctx.tempDir().resolve("r" + round.index());
      Files.createDirectories(dir);
      Map<String, String> settings = new HashMap<>();
      settings.put(JobConfig.KAFKA_BOOTSTRAP.name(), broker.bootstrapServers());
      settings.put(JobConfig.KAFKA_TOPICS.name(), "");
      settings.put(JobConfig.CDC_TOPIC_PATTERN.name(), topic.replace(".", "\\."));
      settings.put(JobConfig.KAFKA_GROUP_PREFIX.name(), "b5-r" + round.index());
      settings.put(JobConfig.REGISTRY_URL.name(), registry.url());
      settings.put(
          JobConfig.CATALOG_URI.name(),
          "jdbc:sqlite:" + dir.resolve("catalog.db").toAbsolutePath());
      settings.put(
          JobConfig.WAREHOUSE.name(), dir.resolve("warehouse").toAbsolutePath().toString());
      settings.put(JobConfig.CHECKPOINT_INTERVAL.name(), interval.toMillis() + "ms");
      settings.put(JobConfig.PARALLELISM.name(), "1");
      JobConfig config = JobConfig.of(settings);
      Catalog catalog = new Lake(config).catalogLoader().loadCatalog();
      try {
        TableIdentifier bronzeId = TableNames.of("bronze", TableNames.forChangeTopic(topic));
        TableIdentifier silverId = TableNames.of("silver", TableNames.forChangeTopic(topic));

        ctx.measure(
            bronze,
            round,
            () -> {
              long submitted = System.currentTimeMillis();
              JobID job = cluster.submit(graph(config, dir, "bronze", BronzeJob::addTo));
              try {
                long done = awaitRecords(catalog, bronzeId, events, cluster, job);
                return CdcBenchmark.withLoad(
                    Outcome.of(events, events * CdcBenchmark.ROW_BYTES)
                        .withOwnElapsed(Duration.ofMillis(Math.max(1, done - submitted))));
              } finally {
                cluster.cancel(job);
              }
            });

        long submitted = System.currentTimeMillis();
        JobID job = cluster.submit(graph(config, dir, "silver", SilverJob::addTo));
        try (SilverVisibility visibility =
            new SilverVisibility(new Lake(config).catalogLoader().loadCatalog(), silverId, rows)) {
          ctx.measure(
              silver,
              round,
              () -> {
                Duration timeout = Duration.ofSeconds(Math.max(300, events / 200));
                if (!visibility.awaitAll(marker, marker, timeout)) {
                  cluster.checkRunning(job, "silver");
                  throw new IllegalStateException(
                      "Cannot measure silver: the marker row is not in silver after " + timeout);
                }
                long done = visibility.visibleAt(marker);
                Table table = catalog.loadTable(silverId);
                return CdcBenchmark.withLoad(
                    shape(
                        Outcome.of(events, events * CdcBenchmark.ROW_BYTES)
                            .withOwnElapsed(Duration.ofMillis(Math.max(1, done - submitted))),
                        table));
              });

          Table table = catalog.loadTable(silverId);
          TableIdentifier copyId = TableIdentifier.of("silver", "b5_compacted_r" + round.index());
          Table copy = compactedCopy(catalog, table, copyId);
          ctx.measure(compacted, round, () -> CdcBenchmark.withLoad(scan(copy, rows + 1)));
          ctx.measure(
              upsert,
              round,
              () -> {
                table.refresh();
                return CdcBenchmark.withLoad(shape(scan(table, rows + 1), table));
              });
        } finally {
          cluster.cancel(job);
        }
      } finally {
        Lake.closeQuietly(catalog);
      }
    }
  }

  private static org.apache.flink.streaming.api.graph.StreamGraph graph(
      JobConfig config,
      Path dir,
      String name,
      BiConsumer<StreamExecutionEnvironment, JobConfig> job) {
    return FlinkCluster.graph("b5-" + name, config, dir.resolve("checkpoints-" + name), job);
  }

  /** Captures the source once: snapshot, passes of updates, a marker row. Returns the changes. */
  private static long fill(
      BenchContext ctx,
      PostgresServer postgres,
      KafkaBroker broker,
      SchemaRegistryServer registry,
      Path target,
      long rows,
      int passes,
      String topic)
      throws Exception {
    CdcSourceTable table = new CdcSourceTable(postgres::connect, "b5_src");
    table.create(rows);
    Path dir = ctx.tempDir().resolve("capture");
    Files.createDirectories(dir);
    Properties p = new Properties();
    p.setProperty("source.kind", "postgres");
    p.setProperty("source.host", postgres.host());
    p.setProperty("source.port", String.valueOf(postgres.port()));
    p.setProperty("source.database", postgres.database());
    p.setProperty("source.user", PostgresServer.USER);
    p.setProperty("source.password", PostgresServer.PASSWORD);
    p.setProperty("source.tables", table.qualified());
    p.setProperty("topic.prefix", "b5");
    p.setProperty("topic.partitions", "1");
    p.setProperty("kafka.bootstrap.servers", broker.bootstrapServers());
    p.setProperty("registry.url", registry.url());
    p.setProperty("data.dir", dir.resolve("data").toString());
    Path config = dir.resolve("capture.properties");
    try (Writer out = Files.newBufferedWriter(config)) {
      p.store(out, "B5");
    }
    Path log = dir.resolve("capture.log");
    ctx.progress("capturing %s: %,d rows, %d update passes", table.qualified(), rows, passes);
    ChangeArrivals arrivals = new ChangeArrivals();
    try (CaptureProcess capture =
            CaptureProcess.start(
                target, CdcBenchmark.CAPTURE_MAIN, List.of("--config", config.toString()), log);
        TopicChanges reader =
            new TopicChanges(broker.bootstrapServers(), registry.url(), topic, arrivals)) {
      Supplier<String> state =
          () ->
              capture.isAlive()
                  ? null
                  : "the capture JVM " + capture.state() + "; log:\n" + Processes.tail(log, 40);
      Duration timeout = Duration.ofSeconds(Math.max(180, rows / 500));
      arrivals.awaitSnapshot(rows, timeout, state);
      for (int pass = 0; pass < passes; pass += 1) {
        table.bulkUpdates(rows, 1000);
      }
      table.pacedInserts(rows + 1, 1, 1);
      int streamed = (int) (rows * passes + 1);
      arrivals.awaitStreamed(streamed, timeout, state);
      return rows + streamed;
    } finally {
      postgres.dropSlot("tarn_b5");
    }
  }

  /** Waits until the table's current snapshot holds {@code records}; its commit time. */
  private static long awaitRecords(
      Catalog catalog, TableIdentifier id, long records, FlinkCluster cluster, JobID job)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(Math.max(300, records / 200)).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        Snapshot current = catalog.loadTable(id).currentSnapshot();
        if (current != null && Snapshots.summary(current, "total-records") >= records) {
          return current.timestampMillis();
        }
      } catch (NoSuchTableException e) {
        // created by the job at start
      }
      cluster.checkRunning(job, id.toString());
      Thread.sleep(100);
    }
    throw new IllegalStateException("Cannot see " + records + " records in " + id + ": timed out");
  }

  /** The upsert table's commits, data and delete files, as notes. */
  private static Outcome shape(Outcome outcome, Table table) {
    Snapshot current = table.currentSnapshot();
    long commits = 0;
    for (Snapshot ignored : table.snapshots()) {
      commits += 1;
    }
    return outcome
        .with("commits", commits)
        .with("data_files", Snapshots.summary(current, "total-data-files"))
        .with("delete_files", Snapshots.summary(current, "total-delete-files"));
  }

  /** A full scan of {@code table}; fails unless it holds {@code expectedRows}. */
  private static Outcome scan(Table table, long expectedRows) throws IOException {
    long start = System.nanoTime();
    long count = 0;
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
      for (Record ignored : records) {
        count += 1;
      }
    }
    long nanos = System.nanoTime() - start;
    if (count != expectedRows) {
      throw new IllegalStateException(
          "Cannot compare reads: "
              + table.name()
              + " holds "
              + count
              + " rows, the source "
              + expectedRows);
    }
    return Outcome.of(count, count * CdcBenchmark.ROW_BYTES)
        .withOwnElapsed(Duration.ofNanos(Math.max(1, nanos)))
        .with("rows", count);
  }

  /**
   * The rows of {@code table} (deletes applied) as one data file in one snapshot of a new table.
   */
  private static Table compactedCopy(Catalog catalog, Table table, TableIdentifier id)
      throws IOException {
    Table copy =
        catalog.createTable(
            id, table.schema(), PartitionSpec.unpartitioned(), Map.of("format-version", "2"));
    GenericFileWriterFactory writers =
        new GenericFileWriterFactory.Builder(copy)
            .dataFileFormat(FileFormat.PARQUET)
            .dataSchema(copy.schema())
            .build();
    OutputFileFactory files =
        OutputFileFactory.builderFor(copy, 0, 0).format(FileFormat.PARQUET).build();
    DataWriter<Record> writer = writers.newDataWriter(files.newOutputFile(), copy.spec(), null);
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
      for (Record record : records) {
        writer.write(record);
      }
    } finally {
      writer.close();
    }
    DataFile file = writer.toDataFile();
    copy.newAppend().appendFile(file).commit();
    return copy;
  }
}
