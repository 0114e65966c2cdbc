package io.tarn.bench;

import io.tarn.kafka.broker.KafkaBroker;
import io.tarn.schemas.registry.RestSchemaRegistry;
import io.tarn.schemas.registry.SchemaRegistryServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * B3: bronze ingestion, Kafka to Iceberg. The subject, the Tarn bronze job ({@link TarnBronzeRun}),
 * is measured against the no-framework ceiling ({@link RawIcebergWriterCeiling}) and the raw
 * consumer (the B0 reference) on the same filled topics in every round.
 */
public final class BronzeBenchmark implements Benchmark {
  static final String EVENTS = "events";
  static final String PARTITIONS = "partitions";
  static final String COMMIT_INTERVAL = "commit-interval";
  static final String DECODE = "decode";

  static final String RAW_CONSUMER = "raw-consumer";
  static final String CEILING = "iceberg-ceiling";
  static final String TARN = "tarn-bronze";

  /** Extra figure: the peer's rate ÷ the raw consumer's rate in the same round. */
  static final String X_RAW = "x_raw_consumer";

  @Override
  public String id() {
    return "bronze";
  }

  @Override
  public String code() {
    return "B3";
  }

  @Override
  public String title() {
    return "bronze: Kafka to Iceberg";
  }

  @Override
  public String description() {
    return "The domain topics filled once by the Tarn workload generator, then read in full by"
        + " each peer: `raw-consumer` (the B0 consumer, bytes untouched) and `iceberg-ceiling`, a"
        + " single thread with a raw consumer feeding Iceberg's generic Parquet writer into one"
        + " bronze table per topic (JDBC catalog on SQLite, same schema, partitioning and table"
        + " properties as the bronze job) and committing an append per table every commit"
        + " interval. The subject `tarn-bronze` is Tarn's bronze job on a Flink MiniCluster in the"
        + " harness JVM (parallelism 1, checkpoint interval = the ceiling's commit interval, a fresh"
        + " warehouse and consumer group each round); its rate runs from the first record it"
        + " processed to the commit that made the last one visible. A run ends when every record is"
        + " committed. Goal: Tarn bronze ≥ 80% of the ceiling (`vs`; `x_raw_consumer` is the rate"
        + " ÷ the raw consumer's in the same round), commit p99 < 1 s, no empty snapshots.";
  }

  @Override
  public List<BenchOption> options() {
    return List.of(
        new BenchOption(EVENTS, "600000", "workload events produced once, read by every peer"),
        new BenchOption(PARTITIONS, "3", "partitions of each domain topic"),
        new BenchOption(
            COMMIT_INTERVAL,
            "5s",
            "Iceberg commit interval of the ceiling = checkpoint interval of the Tarn bronze job"),
        new BenchOption(
            DECODE, "true", "decode each value to fill schema_id/decode_error, as the bronze job"));
  }

  @Override
  public void run(BenchContext ctx) throws Exception {
    int partitions = ctx.options().getInt(PARTITIONS);
    Duration commitInterval = ctx.options().getDuration(COMMIT_INTERVAL);
    boolean decode = ctx.options().getBoolean(DECODE);

    Peer raw = ctx.peer(RAW_CONSUMER, "`KafkaConsumer<byte[], byte[]>`, values untouched", null);
    Peer ceiling =
        ctx.peer(
            CEILING,
            "raw consumer + Iceberg `GenericFileWriterFactory`/`FanoutDataWriter`, one append per table"
                + " per interval, one thread"
                + (decode ? ", values decoded as the bronze job does" : ", no decoding"),
            RAW_CONSUMER);
    ceiling.setup(Peer.CHECKPOINT_INTERVAL, interval(commitInterval));
    Peer tarn =
        ctx.peer(
            TARN,
            "Tarn `BronzeJob` on a Flink MiniCluster in the harness JVM, parallelism 1 (one slot:"
                + " Kafka source, row function and one IcebergSink per table), checkpoint interval ="
                + " commit interval, one append per table per checkpoint; rate from the first"
                + " record's ingest_time to the snapshot that committed the last record (job"
                + " start-up left out of the rate, not out of the CPU); commit latency from"
                + " Iceberg's commit reports",
            CEILING);
    tarn.setup(Peer.CHECKPOINT_INTERVAL, interval(commitInterval));

    KafkaBroker broker = ctx.startBroker();
    SchemaRegistryServer server = ctx.startRegistry();
    RestSchemaRegistry registry = ctx.closeAtEnd(new RestSchemaRegistry(server.url()));
    String bootstrap = broker.bootstrapServers();
    WorkloadFill.fill(ctx, bootstrap, registry, ctx.options().getLong(EVENTS), partitions);
    List<String> topics = WorkloadFill.topics();
    ctx.progress("starting Flink MiniCluster");
    FlinkCluster cluster = ctx.closeAtEnd(FlinkCluster.start(2));

    for (Round round : ctx.rounds()) {
      Measurement rawRun =
          ctx.measure(raw, round, () -> RawConsumer.readAll(bootstrap, topics, record -> {}));
      if (round.index() == 0) {
        long recordBytes = Math.round(rawRun.bytes() / (double) rawRun.records());
        for (Peer peer : List.of(raw, ceiling, tarn)) {
          peer.setup(Peer.RECORD_BYTES, "~" + recordBytes + " (key+value)")
              .setup(Peer.PARTITIONS, partitions)
              .setup(Peer.PARALLELISM, 1);
        }
      }

      // catalog and tables are created before the clock starts: the subject creates its tables
      // at job start too, and neither should be charged for it
      Path warehouse = ctx.tempDir().resolve("warehouse-" + round.index());
      try (RawIcebergWriterCeiling writer =
          new RawIcebergWriterCeiling(
              warehouse, topics, commitInterval, decode ? registry : null)) {
        ctx.measure(
            ceiling,
            round,
            () -> {
              long start = System.nanoTime();
              Outcome outcome = writeCeiling(bootstrap, topics, writer);
              double seconds = (System.nanoTime() - start) / 1e9;
              return outcome.with(X_RAW, outcome.records() / seconds / rawRun.recordsPerSecond());
            });
      }
      BenchContext.deleteRecursively(warehouse);

      // the subject: same topics, a fresh warehouse and consumer group, graph and tables built
      // before the clock starts; cancelled once everything is committed
      Path work = ctx.tempDir().resolve("tarn-" + round.index());
      try (TarnBronzeRun job =
          TarnBronzeRun.prepare(
              cluster,
              work,
              bootstrap,
              server.url(),
              topics,
              commitInterval,
              "bench-b3-" + round.index())) {
        ctx.measure(
            tarn,
            round,
            () -> {
              Outcome outcome = job.run(rawRun.records(), rawRun.bytes());
              double seconds = outcome.ownElapsed().toNanos() / 1e9;
              return outcome.with(X_RAW, outcome.records() / seconds / rawRun.recordsPerSecond());
            });
      }
      BenchContext.deleteRecursively(work);
    }
  }

  private static String interval(Duration interval) {
    return interval.toMillis() % 1000 == 0
        ? interval.toSeconds() + "s"
        : interval.toMillis() + "ms";
  }

  private static Outcome writeCeiling(
      String bootstrap, List<String> topics, RawIcebergWriterCeiling writer) {
    Outcome read = RawConsumer.readAll(bootstrap, topics, writer);
    writer.finish();
    if (writer.rowsCommitted() != read.records()) {
      throw new IllegalStateException(
          String.format(
              "Cannot measure the Iceberg ceiling: %,d rows committed for %,d records read",
              writer.rowsCommitted(), read.records()));
    }
    return read.withLatency(writer.commitLatency())
        .with("commits", writer.commits())
        .with("data_files", writer.dataFiles())
        .with("file_mb", writer.dataBytes() / 1e6)
        .with("empty_snapshots", writer.emptySnapshots());
  }
}
