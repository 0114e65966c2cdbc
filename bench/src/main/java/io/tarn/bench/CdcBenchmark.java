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
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.apache.flink.api.common.JobID;

/**
 * B2: change data capture from PostgreSQL. Each round captures a fresh seeded table twice, once
 * with Debezium's embedded engine alone ({@code io.tarn.cdc.EngineBaselineMain}, no Tarn code) and
 * once with Tarn's capture ({@code CaptureMain}: Avro envelopes through the schema registry into
 * Kafka), both in a child JVM on cdc-capture's class path with the same Debezium settings. Per run:
 * the snapshot, a paced phase of single-row transactions (commit → hand-over latency) and a bulk
 * phase of multi-row transactions (events/s). After the capture's run the bronze and silver jobs
 * start on its topic and, once caught up, a second paced phase measures source commit → visible in
 * a committed silver snapshot.
 */
public final class CdcBenchmark implements Benchmark {
  static final String ROWS = "rows";
  static final String PACED = "paced";
  static final String RATE = "rate";
  static final String BULK = "bulk";
  static final String BULK_TX = "bulk-tx";
  static final String CHECKPOINT_INTERVAL = "checkpoint-interval";
  static final String SILVER = "silver";
  static final String CAPTURE_TARGET = "capture-target";

  /** Process label of the capture child JVM under test (the engine's or Tarn's). */
  static final String CDC_PROCESS = "cdc-jvm";

  static final String ENGINE_MAIN = "io.tarn.cdc.EngineBaselineMain";
  static final String CAPTURE_MAIN = "io.tarn.cdc.CaptureMain";

  /** BENCHMARKS.md B2: p99 source commit → Kafka below 1 s. */
  static final long GOAL_LAG_P99_MS = 1_000;

  /** Issue 3: source commit → silver-visible p95 below 3 s at 1 s checkpoints. */
  static final long GOAL_SILVER_P95_MS = 3_000;

  /** Approximate bytes of a row of {@link CdcSourceTable} (id, v, 32-char name, amount, time). */
  static final int ROW_BYTES = 64;

  @Override
  public String id() {
    return "cdc";
  }

  @Override
  public String code() {
    return "B2";
  }

  @Override
  public String title() {
    return "CDC: snapshot rows/s, streaming events/s, commit → Kafka and → silver latency";
  }

  @Override
  public String description() {
    return "A PostgreSQL 15 table (bigint key, 4 value columns, ~"
        + ROW_BYTES
        + " B a row; pgoutput, a fresh table, slot and publication per run; the benchmark's sessions"
        + " commit with synchronous_commit=on) is captured in"
        + " each round by two child JVMs on cdc-capture's class path with the same Debezium"
        + " 3.5 settings: `engine-*`, Debezium's embedded engine alone (`EngineBaselineMain`:"
        + " the handler reads `op` and `source.ts_ms` and marks the batch processed; no Tarn"
        + " code), and `capture-*`, Tarn's `CaptureMain` (Avro envelopes, schema registry, Kafka"
        + " with acks=all, read back from the topic). Per run: `*-snapshot` rows/s from the first"
        + " to the last snapshot row handed over (JVM and connector start-up excluded);"
        + " `*-paced` single-row insert transactions at a fixed rate, latency = hand-over time"
        + " (the engine's handler; the Kafka record timestamp) − the source commit time"
        + " (`source.ts_ms` / `event_time`); `*-bulk` rows updated in multi-row transactions as"
        + " fast as the source commits them, events/s from the first update sent to the last"
        + " change handed over. `rows_per_cpu_s` is the rows or events per CPU-second of the"
        + " child JVM during that phase (goal ≥ 25k rows/s per core for the snapshot)."
        + " `silver-paced`: after the capture's run the bronze and silver jobs (one graph, one"
        + " MiniCluster in the harness JVM, parallelism 1) read its topic; once a marker row is"
        + " in silver (`catch_up_s` after submission, snapshot and bulk included) the paced"
        + " inserts run again and each is timed from just before its commit to the commit time"
        + " of the first `silver.public_<table>` snapshot holding it (polled every 100 ms). Goals:"
        + " capture p99 commit → Kafka < 1 s; silver p95 < 3 s at 1 s checkpoints. CPU-s/M"
        + " columns: `cdc-jvm` is the child JVM under test, `bench` the harness (Kafka reader,"
        + " and for silver the Flink jobs), `broker` Kafka. PostgreSQL's CPU is not counted."
        + " Runs on a shared, loaded 2-core machine: compare peers within a run (`vs`), not"
        + " absolute numbers across runs.";
  }

  @Override
  public List<BenchOption> options() {
    return List.of(
        new BenchOption(ROWS, "100000", "rows seeded in the table, read by the snapshot"),
        new BenchOption(PACED, "1500", "single-row insert transactions in a paced phase"),
        new BenchOption(RATE, "250", "transactions per second of a paced phase"),
        new BenchOption(BULK, "30000", "rows updated in the bulk phase (at most --rows)"),
        new BenchOption(BULK_TX, "1000", "rows per transaction in the bulk phase"),
        new BenchOption(CHECKPOINT_INTERVAL, "1s", "checkpoint = commit interval of the jobs"),
        new BenchOption(SILVER, "true", "measure commit → silver with the bronze+silver jobs"),
        new BenchOption(
            CAPTURE_TARGET,
            "cdc-capture/target",
            "cdc-capture's build output (jar + lib/), relative to the repository root"));
  }

  private record Settings(
      long rows,
      int paced,
      double rate,
      int bulk,
      int bulkTx,
      Duration interval,
      boolean silver,
      Path target) {}

  private record Peers(Peer snapshot, Peer paced, Peer bulk) {}

  @Override
  public void run(BenchContext ctx) throws Exception {
    Settings s = settings(ctx);
    Peers engine =
        new Peers(
            ctx.peer("engine-snapshot", "Debezium engine alone: snapshot", null),
            ctx.peer("engine-paced", "Debezium engine alone: paced single-row transactions", null),
            ctx.peer("engine-bulk", "Debezium engine alone: bulk multi-row transactions", null));
    Peers capture =
        new Peers(
            ctx.peer("capture-snapshot", "Tarn CaptureMain → Kafka: snapshot", "engine-snapshot"),
            ctx.peer(
                "capture-paced",
                "Tarn CaptureMain → Kafka: paced single-row transactions",
                "engine-paced"),
            ctx.peer(
                "capture-bulk",
                "Tarn CaptureMain → Kafka: bulk multi-row transactions",
                "engine-bulk"));
    Peer silver =
        s.silver()
            ? ctx.peer(
                "silver-paced",
                "source commit → committed silver snapshot (capture + bronze/silver jobs)",
                null)
            : null;
    String interval =
        s.interval().toMillis() % 1000 == 0
            ? s.interval().toSeconds() + "s"
            : s.interval().toMillis() + "ms";
    for (Peer peer :
        List.of(
            engine.snapshot(),
            engine.paced(),
            engine.bulk(),
            capture.snapshot(),
            capture.paced(),
            capture.bulk())) {
      peer.setup(Peer.RECORD_BYTES, "~" + ROW_BYTES + " (source row)").setup(Peer.PARTITIONS, 1);
    }
    if (silver != null) {
      silver
          .setup(Peer.RECORD_BYTES, "~" + ROW_BYTES + " (source row)")
          .setup(Peer.PARTITIONS, 1)
          .setup(Peer.PARALLELISM, 1)
          .setup(Peer.CHECKPOINT_INTERVAL, interval);
    }

    ctx.progress("starting PostgreSQL 15");
    PostgresServer postgres = ctx.closeAtEnd(PostgresServer.start());
    ctx.progress("PostgreSQL ready on port %d", postgres.port());
    KafkaBroker broker = ctx.startBroker();
    SchemaRegistryServer registry = ctx.startRegistry();
    FlinkCluster cluster = null;
    if (silver != null) {
      ctx.progress("starting Flink MiniCluster");
      cluster = ctx.closeAtEnd(FlinkCluster.start(4));
    }
    Servers servers = new Servers(postgres, broker, registry, cluster);

    for (Round round : ctx.rounds()) {
      runOnce(ctx, round, s, servers, engine, null, "e" + round.index(), ENGINE_MAIN);
      runOnce(ctx, round, s, servers, capture, silver, "c" + round.index(), CAPTURE_MAIN);
    }
  }

  private record Servers(
      PostgresServer postgres,
      KafkaBroker broker,
      SchemaRegistryServer registry,
      FlinkCluster cluster) {}

  private static Settings settings(BenchContext ctx) {
    Options o = ctx.options();
    long rows = o.getInt(ROWS);
    int paced = o.getInt(PACED);
    double rate = Double.parseDouble(o.get(RATE));
    int bulk = o.getInt(BULK);
    int bulkTx = o.getInt(BULK_TX);
    Duration interval = o.getDuration(CHECKPOINT_INTERVAL);
    if (rows < 1 || paced < 1 || !(rate > 0) || bulk < 1 || bulkTx < 1 || interval.isZero()) {
      throw new IllegalArgumentException(
          "Cannot run cdc: rows, paced, rate, bulk, bulk-tx and checkpoint-interval must be"
              + " positive");
    }
    if (bulk > rows) {
      throw new IllegalArgumentException(
          "Cannot run cdc: --bulk " + bulk + " updates more rows than --rows " + rows + " seeds");
    }
    Path target = Path.of(o.get(CAPTURE_TARGET));
    if (!target.isAbsolute()) {
      target = BenchMain.repoRoot(Path.of("").toAbsolutePath()).resolve(target).normalize();
    }
    return new Settings(rows, paced, rate, bulk, bulkTx, interval, o.getBoolean(SILVER), target);
  }

  /** One capture run of one peer family on a fresh table: snapshot, paced, bulk (and silver). */
  private static void runOnce(
      BenchContext ctx,
      Round round,
      Settings s,
      Servers servers,
      Peers peers,
      Peer silver,
      String tag,
      String mainClass)
      throws Exception {
    CdcSourceTable table = new CdcSourceTable(servers.postgres()::connect, "b2_" + tag);
    table.create(s.rows());
    String prefix = "b2" + tag;
    String topic = prefix + "." + table.qualified();
    Path dir = ctx.tempDir().resolve(tag);
    Files.createDirectories(dir);
    Path config = captureConfig(dir, servers, table, prefix);
    Path log = dir.resolve("capture.log");
    ChangeArrivals arrivals = new ChangeArrivals();
    ctx.progress(
        "%s: %s capturing %s (%,d rows)", round.label(), mainClass, table.qualified(), s.rows());
    long launched = System.currentTimeMillis();
    CaptureProcess process =
        CaptureProcess.start(s.target(), mainClass, List.of("--config", config.toString()), log);
    AutoCloseable reader =
        mainClass.equals(ENGINE_MAIN)
            ? new EngineOutput(log, arrivals)
            : new TopicChanges(
                servers.broker().bootstrapServers(), servers.registry().url(), topic, arrivals);
    Supplier<String> state =
        () ->
            process.isAlive()
                ? null
                : "the capture JVM " + process.state() + "; log:\n" + Processes.tail(log, 40);
    try {
      ctx.trackProcess(CDC_PROCESS, process.pid());
      Duration timeout = Duration.ofSeconds(Math.max(120, s.rows() / 1000));
      arrivals.awaitSnapshot(1, timeout, state); // start-up and the first batch: not timed
      ctx.measure(
          peers.snapshot(),
          round,
          () -> withLoad(snapshot(arrivals, process.pid(), s.rows(), launched, timeout, state)));
      ctx.measure(peers.paced(), round, () -> withLoad(paced(arrivals, table, s, state)));
      ctx.measure(
          peers.bulk(), round, () -> withLoad(bulk(arrivals, process.pid(), table, s, state)));
      if (silver != null) {
        silver(ctx, round, s, servers, silver, table, topic, dir, state);
      }
    } finally {
      process.close();
      reader.close();
      servers.postgres().dropSlot("tarn_" + prefix);
      table.drop();
    }
  }

  private static Path captureConfig(Path dir, Servers servers, CdcSourceTable table, String prefix)
      throws IOException {
    Properties p = new Properties();
    PostgresServer postgres = servers.postgres();
    p.setProperty("source.kind", "postgres");
    p.setProperty("source.host", postgres.host());
    p.setProperty("source.port", String.valueOf(postgres.port()));
    p.setProperty("source.database", postgres.database());
    p.setProperty("source.user", PostgresServer.USER);
    p.setProperty("source.password", PostgresServer.PASSWORD);
    p.setProperty("source.tables", table.qualified());
    p.setProperty("topic.prefix", prefix);
    p.setProperty("topic.partitions", "1");
    p.setProperty("kafka.bootstrap.servers", servers.broker().bootstrapServers());
    p.setProperty("registry.url", servers.registry().url());
    p.setProperty("data.dir", dir.resolve("data").toString());
    Path file = dir.resolve("capture.properties");
    try (Writer out = Files.newBufferedWriter(file)) {
      p.store(out, "B2 " + prefix);
    }
    return file;
  }

  private static Outcome snapshot(
      ChangeArrivals arrivals,
      long pid,
      long rows,
      long launched,
      Duration timeout,
      Supplier<String> state) {
    long rows0 = arrivals.snapshotRows();
    long at0 = arrivals.lastSnapshotAt();
    ProcessCpu.Sample cpu0 = ProcessCpu.sample(pid);
    arrivals.awaitSnapshot(rows, timeout, state);
    double cpu = ProcessCpu.sample(pid).ownSecondsSince(cpu0);
    long last = arrivals.lastSnapshotAt();
    long timed = rows - rows0;
    long millis = last - at0;
    if (timed < 1 || millis < 1) {
      // everything came in one hand-over (tiny tables): time it from the first row instead
      timed = rows;
      millis = Math.max(1, last - arrivals.firstSnapshotAt());
    }
    Outcome outcome =
        Outcome.of(timed, timed * ROW_BYTES)
            .withOwnElapsed(Duration.ofMillis(millis))
            .with("launch_to_last_row_s", (last - launched) / 1000.0);
    return cpu > 0 ? outcome.with("rows_per_cpu_s", Math.round(timed / cpu)) : outcome;
  }

  private static Outcome paced(
      ChangeArrivals arrivals, CdcSourceTable table, Settings s, Supplier<String> state)
      throws Exception {
    int before = arrivals.streamedCount();
    table.pacedInserts(s.rows() + 1, s.paced(), s.rate());
    arrivals.awaitStreamed(before + s.paced(), Duration.ofSeconds(120), state);
    Histogram micros = Latency.newMicrosHistogram();
    for (int i = before; i < before + s.paced(); i += 1) {
      long lag = arrivals.arrivedMillis(i) - arrivals.sourceMillis(i);
      micros.recordValue(Math.max(0, lag) * 1000);
    }
    Latency latency = Latency.ofMicros("commit→hand-over", micros);
    return Outcome.of(s.paced(), (long) s.paced() * ROW_BYTES)
        .withLatency(latency)
        .with("max_ms", latency.maxMs())
        .with("goal_p99_ms", GOAL_LAG_P99_MS)
        .with("meets_goal", latency.p99Ms() < GOAL_LAG_P99_MS ? 1 : 0);
  }

  private static Outcome bulk(
      ChangeArrivals arrivals, long pid, CdcSourceTable table, Settings s, Supplier<String> state)
      throws Exception {
    int before = arrivals.streamedCount();
    ProcessCpu.Sample cpu0 = ProcessCpu.sample(pid);
    long start = System.currentTimeMillis();
    Duration source = table.bulkUpdates(s.bulk(), s.bulkTx());
    arrivals.awaitStreamed(before + s.bulk(), Duration.ofSeconds(300), state);
    double cpu = ProcessCpu.sample(pid).ownSecondsSince(cpu0);
    long last = arrivals.arrivedMillis(before + s.bulk() - 1);
    Outcome outcome =
        Outcome.of(s.bulk(), (long) s.bulk() * ROW_BYTES)
            .withOwnElapsed(Duration.ofMillis(Math.max(1, last - start)))
            .with("source_write_s", source.toMillis() / 1000.0);
    return cpu > 0 ? outcome.with("events_per_cpu_s", Math.round(s.bulk() / cpu)) : outcome;
  }

  private static void silver(
      BenchContext ctx,
      Round round,
      Settings s,
      Servers servers,
      Peer peer,
      CdcSourceTable table,
      String topic,
      Path dir,
      Supplier<String> state)
      throws Exception {
    Map<String, String> settings = new HashMap<>();
    settings.put(JobConfig.KAFKA_BOOTSTRAP.name(), servers.broker().bootstrapServers());
    settings.put(JobConfig.KAFKA_TOPICS.name(), "");
    settings.put(JobConfig.CDC_TOPIC_PATTERN.name(), topic.replace(".", "\\."));
    settings.put(JobConfig.REGISTRY_URL.name(), servers.registry().url());
    settings.put(
        JobConfig.CATALOG_URI.name(),
        "jdbc:sqlite:" + ctx.tempDir().resolve("catalog.db").toAbsolutePath());
    settings.put(
        JobConfig.WAREHOUSE.name(), ctx.tempDir().resolve("warehouse").toAbsolutePath().toString());
    settings.put(JobConfig.CHECKPOINT_INTERVAL.name(), s.interval().toMillis() + "ms");
    settings.put(JobConfig.PARALLELISM.name(), "1");
    JobConfig config = JobConfig.of(settings);

    FlinkCluster cluster = servers.cluster();
    long submitted = System.currentTimeMillis();
    JobID job =
        cluster.submit(
            FlinkCluster.graph(
                "tarn-cdc-pipeline",
                config,
                dir.resolve("checkpoints"),
                (env, c) -> {
                  BronzeJob.addTo(env, c);
                  SilverJob.addTo(env, c);
                }));
    long marker = s.rows() + s.paced() + 1;
    try (SilverVisibility visibility =
        new SilverVisibility(
            new Lake(config).catalogLoader().loadCatalog(),
            TableNames.of("silver", TableNames.forChangeTopic(topic)),
            s.rows() + s.paced())) {
      // catch up with the snapshot and the bulk phase first: the marker is the last change
      table.pacedInserts(marker, 1, 1);
      Duration catchUp = Duration.ofSeconds(Math.max(180, s.rows() / 500));
      if (!visibility.awaitAll(marker, marker, catchUp)) {
        cluster.checkRunning(job, "tarn-cdc-pipeline");
        throw new IllegalStateException(
            "Cannot measure silver: the marker row is not in silver after " + catchUp);
      }
      double catchUpSeconds = (visibility.visibleAt(marker) - submitted) / 1000.0;
      ctx.progress(
          "%s: silver caught up %.1f s after the jobs were submitted",
          round.label(), catchUpSeconds);
      ctx.measure(
          peer,
          round,
          () ->
              withLoad(
                  silverProbes(s, table, visibility, marker, catchUpSeconds, job, state, cluster)));
    } finally {
      cluster.cancel(job);
    }
  }

  private static Outcome silverProbes(
      Settings s,
      CdcSourceTable table,
      SilverVisibility visibility,
      long marker,
      double catchUpSeconds,
      JobID job,
      Supplier<String> state,
      FlinkCluster cluster)
      throws Exception {
    long first = marker + 1;
    long[] sent = table.pacedInserts(first, s.paced(), s.rate());
    Duration drain = Duration.ofSeconds(Math.max(60, 8 * s.interval().toSeconds()));
    visibility.awaitAll(first, first + s.paced() - 1, drain);
    String problem = state.get();
    if (problem != null) {
      throw new IllegalStateException("Cannot measure silver: " + problem);
    }
    cluster.checkRunning(job, "tarn-cdc-pipeline");
    Histogram micros = Latency.newMicrosHistogram();
    long missing = 0;
    for (int i = 0; i < s.paced(); i += 1) {
      long visible = visibility.visibleAt(first + i);
      if (visible < 0) {
        missing += 1;
      } else {
        micros.recordValue(Math.max(0, visible - sent[i]) * 1000);
      }
    }
    Outcome outcome =
        Outcome.of(s.paced(), (long) s.paced() * ROW_BYTES)
            .with("probes", micros.getTotalCount())
            .with("missing", missing)
            .with("catch_up_s", catchUpSeconds)
            .with("goal_p95_ms", GOAL_SILVER_P95_MS);
    if (micros.getTotalCount() == 0) {
      return outcome.with("meets_goal", 0);
    }
    Latency latency = Latency.ofMicros("commit→silver", micros);
    return outcome
        .withLatency(latency)
        .with("max_ms", latency.maxMs())
        .with("p95_x_interval", Math.round(latency.p95Ms() / s.interval().toMillis() * 100) / 100.0)
        .with("meets_goal", missing == 0 && latency.p95Ms() < GOAL_SILVER_P95_MS ? 1 : 0);
  }

  /**
   * Adds the machine's 1-minute load average at the end of the phase: the box is shared, and a load
   * above its cores says the figures were taken under contention.
   */
  static Outcome withLoad(Outcome outcome) {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" +");
      return outcome.with("load_1m", Double.parseDouble(fields[0]));
    } catch (IOException | RuntimeException e) {
      return outcome; // not Linux: no load figure
    }
  }
}
