package io.tarn.bench;

import io.tarn.jobs.bronze.BronzeJob;
import io.tarn.jobs.config.JobConfig;
import io.tarn.jobs.gold.GoldJob;
import io.tarn.jobs.silver.SilverJob;
import io.tarn.kafka.broker.KafkaBroker;
import io.tarn.schemas.registry.RestSchemaRegistry;
import io.tarn.schemas.registry.SchemaRegistryServer;
import io.tarn.workload.WorkloadProducer;
import io.tarn.workload.WorkloadSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.HdrHistogram.Histogram;
import org.apache.flink.api.common.JobID;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * B4: freshness, produced → visible to a reader, per zone. Bronze, silver and gold run together on
 * one MiniCluster at the given checkpoint interval under a steady background workload; a {@link
 * FreshnessProbes prober} produces one order line every probe interval and watches the tables'
 * commits for it. A round is one probe window (then a drain until every probe is visible); the jobs
 * keep running across rounds, the warm-up round absorbing their start-up and catch-up.
 */
public final class FreshnessBenchmark implements Benchmark {
  static final String CHECKPOINT_INTERVAL = "checkpoint-interval";
  static final String RATE = "rate";
  static final String WINDOW = "window";
  static final String PROBE_INTERVAL = "probe-interval";
  static final String PARTITIONS = "partitions";

  static final List<String> ZONES = List.of("bronze", "silver", "gold");

  @Override
  public String id() {
    return "freshness";
  }

  @Override
  public String code() {
    return "B4";
  }

  @Override
  public String title() {
    return "freshness: produced → visible per zone";
  }

  @Override
  public String description() {
    return "Bronze, silver and gold jobs run together on one Flink MiniCluster in the harness JVM"
        + " (parallelism 1 each, the given checkpoint interval, gold flushing every 1 s) while"
        + " the workload generator produces a steady stream (default mix: duplicates, late,"
        + " malformed and invalid events included). Every probe interval a probe order line with"
        + " a unique event id is produced to `shop.order_items`; it is visible in bronze when a"
        + " committed snapshot of `bronze.order_items` holds its record (by its unique key), in silver when"
        + " one of `silver.order_items` holds its event id, and in gold when"
        + " `gold.revenue_per_category_minute` has its (category, window) row (each probe has its"
        + " own minute, 18 h in the past, within the dedupe horizon). Tables are polled every"
        + " 100 ms, reading only the data files each new snapshot added (an upsert adds the new row as"
        + " data in gold too). Latency = the snapshot's commit timestamp − the probe's send time,"
        + " so the poll interval does not count. Rows: one per zone; records/s is the background"
        + " workload's rate and CPU-s/M the whole pipeline's cost per million produced events"
        + " (shared by the three rows). Goals: silver p95 ≤ interval + 1 s, gold p95 ≤ 2 ×"
        + " interval (`goal_p95_ms`, `meets_goal`; `p95_x_interval` is p95 ÷ interval).";
  }

  @Override
  public List<BenchOption> options() {
    return List.of(
        new BenchOption(
            CHECKPOINT_INTERVAL, "5s", "checkpoint = commit interval of every job (try 2s too)"),
        new BenchOption(RATE, "300", "background workload events per second"),
        new BenchOption(WINDOW, "40s", "probe window of each round"),
        new BenchOption(PROBE_INTERVAL, "500ms", "one probe per this interval"),
        new BenchOption(PARTITIONS, "3", "partitions of each domain topic"));
  }

  @Override
  public void run(BenchContext ctx) throws Exception {
    Duration interval = ctx.options().getDuration(CHECKPOINT_INTERVAL);
    double rate = Double.parseDouble(ctx.options().get(RATE));
    Duration window = ctx.options().getDuration(WINDOW);
    Duration probeInterval = ctx.options().getDuration(PROBE_INTERVAL);
    int partitions = ctx.options().getInt(PARTITIONS);
    if (interval.isZero() || window.isZero() || probeInterval.isZero() || !(rate >= 0)) {
      throw new IllegalArgumentException(
          "Cannot run freshness: interval, window and probe interval must be positive, rate ≥ 0");
    }
    String intervalText =
        interval.toMillis() % 1000 == 0 ? interval.toSeconds() + "s" : interval.toMillis() + "ms";

    Map<String, Peer> peers = new LinkedHashMap<>();
    peers.put(
        "bronze",
        ctx.peer(
            "bronze",
            "`bronze.order_items` snapshot holding the probe's Kafka record, found by its unique key (BronzeJob)",
            null));
    peers.put(
        "silver",
        ctx.peer(
            "silver",
            "`silver.order_items` snapshot holding the probe's event id (SilverJob: decode, dedupe,"
                + " quality)",
            null));
    peers.put(
        "gold",
        ctx.peer(
            "gold",
            "`gold.revenue_per_category_minute` snapshot holding the probe's (category, minute)"
                + " row (GoldJob: streaming read of silver, 1 s monitor interval, 1 s flush,"
                + " upsert)",
            null));

    KafkaBroker broker = ctx.startBroker();
    SchemaRegistryServer server = ctx.startRegistry();
    RestSchemaRegistry registry = ctx.closeAtEnd(new RestSchemaRegistry(server.url()));
    String bootstrap = broker.bootstrapServers();
    Topics.create(bootstrap, WorkloadFill.topics(), partitions);

    // the background workload: registers the schemas, then produces at a steady rate
    WorkloadSpec spec =
        WorkloadSpec.defaults().withEventsPerSecond(rate).withSeed(System.currentTimeMillis());
    AtomicLong acked = new AtomicLong();
    AtomicLong ackedBytes = new AtomicLong();
    WorkloadProducer producer =
        new WorkloadProducer(bootstrap, registry, spec, Map.of(), partitions);
    Thread producing =
        new Thread(
            () ->
                producer.run(
                    r -> {
                      acked.incrementAndGet();
                      ackedBytes.addAndGet(
                          r.event().key().getBytes(StandardCharsets.UTF_8).length
                              + r.event().payload().length);
                    }),
            "tarn-bench-workload");
    producing.setDaemon(true);
    ctx.closeAtEnd(
        () -> {
          producer.stop();
          producing.join(30_000);
          producer.close();
        });
    if (rate > 0) {
      producing.start();
      ctx.progress("background workload: %.0f events/s", rate);
    }

    Path work = ctx.tempDir();
    Map<String, String> settings = new HashMap<>();
    settings.put(JobConfig.KAFKA_BOOTSTRAP.name(), bootstrap);
    settings.put(JobConfig.REGISTRY_URL.name(), server.url());
    settings.put(
        JobConfig.CATALOG_URI.name(), "jdbc:sqlite:" + work.resolve("catalog.db").toAbsolutePath());
    settings.put(JobConfig.WAREHOUSE.name(), work.resolve("warehouse").toAbsolutePath().toString());
    settings.put(JobConfig.CHECKPOINT_INTERVAL.name(), interval.toMillis() + "ms");
    settings.put(JobConfig.PARALLELISM.name(), "1");
    JobConfig config = JobConfig.of(settings);

    ctx.progress("starting Flink MiniCluster with the bronze, silver and gold jobs");
    FlinkCluster cluster = ctx.closeAtEnd(FlinkCluster.start(4));
    Map<String, BiConsumer<StreamExecutionEnvironment, JobConfig>> jobs = new LinkedHashMap<>();
    jobs.put(BronzeJob.NAME, BronzeJob::addTo);
    jobs.put(SilverJob.NAME, SilverJob::addTo);
    jobs.put(GoldJob.NAME, GoldJob::addTo);
    Map<String, JobID> running = new LinkedHashMap<>();
    for (Map.Entry<String, BiConsumer<StreamExecutionEnvironment, JobConfig>> job :
        jobs.entrySet()) {
      Path checkpoints = work.resolve("checkpoints").resolve(job.getKey());
      running.put(
          job.getKey(),
          cluster.submit(FlinkCluster.graph(job.getKey(), config, checkpoints, job.getValue())));
    }
    ctx.progress("jobs submitted: %s", running.keySet());
    // cancelled before the cluster closes, so their tasks stop cleanly
    ctx.closeAtEnd(
        () -> {
          for (JobID id : running.values()) {
            cluster.cancel(id);
          }
        });

    FreshnessProbes probes =
        ctx.closeAtEnd(new FreshnessProbes(config, bootstrap, registry, ctx::progress));
    Runnable checkJobs =
        () -> {
          for (Map.Entry<String, JobID> job : running.entrySet()) {
            try {
              cluster.checkRunning(job.getValue(), job.getKey());
            } catch (RuntimeException e) {
              throw e;
            } catch (Exception e) {
              throw new IllegalStateException("Cannot check job " + job.getKey() + ": " + e, e);
            }
          }
        };

    Duration drainTimeout = Duration.ofSeconds(Math.max(60, interval.toSeconds() * 8));
    List<Histogram> pooled = new ArrayList<>();
    ZONES.forEach(z -> pooled.add(Latency.newMicrosHistogram()));
    for (Round round : ctx.rounds()) {
      for (Peer peer : peers.values()) {
        peer.setup(Peer.PARTITIONS, partitions)
            .setup(Peer.PARALLELISM, 1)
            .setup(Peer.CHECKPOINT_INTERVAL, intervalText);
      }
      ctx.measureTogether(
          List.copyOf(peers.values()),
          round,
          () -> {
            long records0 = acked.get();
            long bytes0 = ackedBytes.get();
            long start = System.nanoTime();
            List<FreshnessProbes.Probe> sent =
                probes.window(
                    window,
                    probeInterval,
                    round.warmup() ? drainTimeout.multipliedBy(2) : drainTimeout,
                    checkJobs);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            long records = acked.get() - records0 + sent.size();
            long bytes = ackedBytes.get() - bytes0;
            if (records > 0 && bytes > 0) {
              long recordBytes = Math.round(bytes / (double) (records - sent.size()));
              peers.values().forEach(p -> p.setup(Peer.RECORD_BYTES, "~" + recordBytes + " (mix)"));
            }
            Map<String, Outcome> outcomes = new LinkedHashMap<>();
            for (int z = 0; z < ZONES.size(); z += 1) {
              String zone = ZONES.get(z);
              Histogram micros = Latency.newMicrosHistogram();
              long missing = 0;
              for (FreshnessProbes.Probe probe : sent) {
                long visible = probe.visibleMillis(z);
                if (visible < 0) {
                  missing += 1;
                } else {
                  micros.recordValue(Math.max(0, visible - probe.producedMillis()) * 1000);
                }
              }
              if (!round.warmup()) {
                pooled.get(z).add(micros);
              }
              outcomes.put(
                  zone, zoneOutcome(zone, records, bytes, elapsed, micros, missing, interval));
            }
            report(ctx, round.label(), interval, outcomes);
            return outcomes;
          });
    }

    ctx.progress("all measured probes pooled (%s):", intervalText);
    for (int z = 0; z < ZONES.size(); z += 1) {
      Latency all = Latency.ofMicros("freshness", pooled.get(z));
      ctx.progress(
          "  %-6s %d probes: p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms; p95 = %.2f ×"
              + " interval",
          ZONES.get(z),
          all.count(),
          all.p50Ms(),
          all.p95Ms(),
          all.p99Ms(),
          all.maxMs(),
          all.p95Ms() / interval.toMillis());
    }
  }

  /** The goal on a zone's p95 in ms (BENCHMARKS.md), or -1 where there is none (bronze). */
  static long goalP95Millis(String zone, Duration interval) {
    return switch (zone) {
      case "silver" -> interval.toMillis() + 1000;
      case "gold" -> 2 * interval.toMillis();
      default -> -1;
    };
  }

  private static Outcome zoneOutcome(
      String zone,
      long records,
      long bytes,
      Duration elapsed,
      Histogram micros,
      long missing,
      Duration interval) {
    Outcome outcome =
        Outcome.of(records, bytes)
            .withOwnElapsed(elapsed)
            .with("probes", micros.getTotalCount())
            .with("missing", missing);
    if (micros.getTotalCount() == 0) {
      return outcome;
    }
    Latency latency = Latency.ofMicros("freshness", micros);
    double intervalMs = interval.toMillis();
    outcome =
        outcome
            .withLatency(latency)
            .with("max_ms", latency.maxMs())
            .with("p50_x_interval", round2(latency.p50Ms() / intervalMs))
            .with("p95_x_interval", round2(latency.p95Ms() / intervalMs))
            .with("p99_x_interval", round2(latency.p99Ms() / intervalMs));
    long goal = goalP95Millis(zone, interval);
    if (goal > 0) {
      outcome =
          outcome
              .with("goal_p95_ms", goal)
              .with("meets_goal", missing == 0 && latency.p95Ms() <= goal ? 1 : 0);
    }
    return outcome;
  }

  private static double round2(double value) {
    return Math.round(value * 100) / 100.0;
  }

  private static void report(
      BenchContext ctx, String label, Duration interval, Map<String, Outcome> outcomes) {
    for (Map.Entry<String, Outcome> zone : outcomes.entrySet()) {
      Latency l = zone.getValue().latency();
      double missing = zone.getValue().extra().get("missing");
      if (l == null) {
        ctx.progress("%s %s: no probe visible (%.0f missing)", label, zone.getKey(), missing);
        continue;
      }
      long goal = goalP95Millis(zone.getKey(), interval);
      ctx.progress(
          "%s %s: %d probes, freshness p50/p95/p99/max %.0f/%.0f/%.0f/%.0f ms = p95 %.2f ×"
              + " interval%s%s",
          label,
          zone.getKey(),
          l.count(),
          l.p50Ms(),
          l.p95Ms(),
          l.p99Ms(),
          l.maxMs(),
          l.p95Ms() / interval.toMillis(),
          goal > 0
              ? String.format(
                  Locale.ROOT,
                  " (goal p95 ≤ %d ms: %s)",
                  goal,
                  l.p95Ms() <= goal && missing == 0 ? "met" : "missed")
              : "",
          missing > 0 ? String.format(Locale.ROOT, "; %.0f probes never visible", missing) : "");
    }
  }
}
