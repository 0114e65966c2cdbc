package io.tarn.bench;

import io.tarn.kafka.broker.KafkaBroker;
import io.tarn.schemas.registry.SchemaRegistryServer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Callable;

/**
 * What a benchmark runs in: its options, a temporary folder, the rounds to run, the servers it
 * started (closed at the end) and the processes whose CPU time every measurement reads.
 *
 * <p>Peers are measured interleaved, one of each per round, rather than all repetitions of one peer
 * and then the next: on a shared, noisy machine a slow minute then hurts every peer alike.
 */
public final class BenchContext implements AutoCloseable {
  public static final String REPS = "reps";
  public static final String WARMUPS = "warmups";
  public static final String KEEP = "keep";
  public static final String TMP_DIR = "tmp-dir";
  public static final String RESULTS_DIR = "results-dir";

  /** Options every benchmark takes. */
  public static final List<BenchOption> COMMON_OPTIONS =
      List.of(
          new BenchOption(
              REPS, "3", "measured repetitions of every peer (at least 3 for a result)"),
          new BenchOption(
              WARMUPS, "1", "unmeasured rounds first (JIT, page cache, topic creation)"),
          new BenchOption(
              RESULTS_DIR, "bench/results", "where the JSON and Markdown results are written"),
          new BenchOption(
              TMP_DIR, System.getProperty("java.io.tmpdir"), "parent of the work folder"),
          new BenchOption(KEEP, "false", "keep the work folder (broker data, tables) afterwards"));

  /** Process label of this JVM, which runs the in-process peers. */
  public static final String BENCH_PROCESS = "bench";

  /** Process label of the Kafka broker's child JVM. */
  public static final String BROKER_PROCESS = "broker";

  /**
   * Process label of child processes this JVM waited for during a measurement: Kafka's perf tools,
   * and anything a library forks (Hadoop's local file system runs shell commands).
   */
  public static final String CHILDREN_PROCESS = "children";

  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

  private final Benchmark benchmark;
  private final Options options;
  private final Path tempDir;
  private final PrintStream out;
  private final Map<String, Peer> peers = new LinkedHashMap<>();
  private final List<Measurement> measurements = new ArrayList<>();
  private final Map<String, Long> processes = new LinkedHashMap<>();
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();

  public BenchContext(Benchmark benchmark, Options options, PrintStream out) {
    this.benchmark = benchmark;
    this.options = options;
    this.out = out;
    try {
      Path parent = Path.of(options.get(TMP_DIR));
      Files.createDirectories(parent);
      this.tempDir = Files.createTempDirectory(parent, "tarn-bench-" + benchmark.id() + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot create work folder for benchmark " + benchmark.id(), e);
    }
    processes.put(BENCH_PROCESS, ProcessHandle.current().pid());
  }

  public Options options() {
    return options;
  }

  /** A fresh folder for this run, deleted at the end unless {@code --keep}. */
  public Path tempDir() {
    return tempDir;
  }

  public int repetitions() {
    return options.getInt(REPS);
  }

  public int warmups() {
    return options.getInt(WARMUPS);
  }

  /** The warm-up rounds, then the measured ones. */
  public List<Round> rounds() {
    List<Round> rounds = new ArrayList<>();
    for (int i = 0; i < warmups(); i += 1) {
      rounds.add(new Round(rounds.size(), true, "warm-up" + (warmups() > 1 ? " " + (i + 1) : "")));
    }
    for (int i = 1; i <= repetitions(); i += 1) {
      rounds.add(new Round(rounds.size(), false, "rep " + i + "/" + repetitions()));
    }
    return rounds;
  }

  /** Declares a peer; {@code reference} names the peer its rate is compared with, or is null. */
  public Peer peer(String name, String description, String reference) {
    Peer peer = new Peer(name, description, reference);
    if (peers.putIfAbsent(name, peer) != null) {
      throw new IllegalArgumentException("Cannot declare peer " + name + ": declared twice");
    }
    return peer;
  }

  /** Counts {@code pid}'s CPU time under {@code label} in every following measurement. */
  public void trackProcess(String label, long pid) {
    processes.put(label, pid);
  }

  /** Closes {@code resource} when the benchmark ends, in reverse order of registration. */
  public <T extends AutoCloseable> T closeAtEnd(T resource) {
    resources.push(resource);
    return resource;
  }

  /** A broker in the work folder, its CPU tracked as {@code broker}, closed at the end. */
  public KafkaBroker startBroker() {
    progress("starting Kafka broker");
    KafkaBroker broker = closeAtEnd(KafkaBroker.start(tempDir.resolve("kafka")));
    trackProcess(BROKER_PROCESS, broker.pid());
    progress("Kafka broker %s ready (pid %d)", broker.bootstrapServers(), broker.pid());
    return broker;
  }

  /** An in-memory schema registry in this JVM (its CPU counts as {@code bench}). */
  public SchemaRegistryServer startRegistry() {
    SchemaRegistryServer registry = closeAtEnd(SchemaRegistryServer.start());
    progress("schema registry %s ready", registry.url());
    return registry;
  }

  /**
   * Runs {@code work} once as {@code peer}'s measurement in {@code round}, reading the wall clock
   * and the CPU time of every tracked process around it.
   */
  public Measurement measure(Peer peer, Round round, Callable<Outcome> work) throws Exception {
    if (!peers.containsKey(peer.name())) {
      throw new IllegalArgumentException("Cannot measure peer " + peer.name() + ": not declared");
    }
    Map<String, ProcessCpu.Sample> before = sampleAll();
    long start = System.nanoTime();
    Outcome outcome = work.call();
    long end = System.nanoTime();
    Map<String, ProcessCpu.Sample> after = sampleAll();
    return record(peer, round, outcome, before, after, end - start);
  }

  /**
   * Runs {@code work} once as the measurement of several peers observed in the same window (e.g.
   * the zones of one pipeline): each peer gets its own outcome from the returned map, and all share
   * the wall-clock time and the CPU time of every tracked process.
   */
  public List<Measurement> measureTogether(
      List<Peer> together, Round round, Callable<Map<String, Outcome>> work) throws Exception {
    for (Peer peer : together) {
      if (!peers.containsKey(peer.name())) {
        throw new IllegalArgumentException("Cannot measure peer " + peer.name() + ": not declared");
      }
    }
    Map<String, ProcessCpu.Sample> before = sampleAll();
    long start = System.nanoTime();
    Map<String, Outcome> outcomes = work.call();
    long end = System.nanoTime();
    Map<String, ProcessCpu.Sample> after = sampleAll();
    List<Measurement> result = new ArrayList<>();
    for (Peer peer : together) {
      Outcome outcome = outcomes.get(peer.name());
      if (outcome == null) {
        throw new IllegalStateException("Cannot measure peer " + peer.name() + ": no outcome");
      }
      result.add(record(peer, round, outcome, before, after, end - start));
    }
    return result;
  }

  private Measurement record(
      Peer peer,
      Round round,
      Outcome outcome,
      Map<String, ProcessCpu.Sample> before,
      Map<String, ProcessCpu.Sample> after,
      long wallNanos) {
    Map<String, Double> cpu = new LinkedHashMap<>();
    before.forEach((label, sample) -> cpu.put(label, after.get(label).ownSecondsSince(sample)));
    double children = after.get(BENCH_PROCESS).childSecondsSince(before.get(BENCH_PROCESS));
    if (children > 0) {
      cpu.put(CHILDREN_PROCESS, children);
    }

    double wall = wallNanos / 1e9;
    Duration own = outcome.ownElapsed();
    double seconds = own != null ? own.toNanos() / 1e9 : wall;
    if (!(seconds > 0)) {
      throw new IllegalStateException(
          String.format("Cannot measure peer %s: elapsed time is %s s", peer.name(), seconds));
    }
    Measurement measurement =
        new Measurement(
            peer.name(),
            round.index(),
            round.warmup(),
            outcome.records(),
            outcome.bytes(),
            seconds,
            wall,
            cpu,
            outcome.latency(),
            outcome.extra());
    measurements.add(measurement);
    progress("%s %s: %s", round.label(), peer.name(), describe(measurement));
    return measurement;
  }

  private Map<String, ProcessCpu.Sample> sampleAll() {
    Map<String, ProcessCpu.Sample> samples = new LinkedHashMap<>();
    processes.forEach((label, pid) -> samples.put(label, ProcessCpu.sample(pid)));
    return samples;
  }

  static String describe(Measurement m) {
    StringJoiner cpu = new StringJoiner(", ");
    for (String process : m.cpuSeconds().keySet()) {
      cpu.add(String.format(Locale.ROOT, "%s %.2f", process, m.cpuSecondsPerMillion(process)));
    }
    String text =
        String.format(
            Locale.ROOT,
            "%,d records in %.2f s = %,.0f records/s, %.1f MB/s; CPU-s per M records: %s",
            m.records(),
            m.seconds(),
            m.recordsPerSecond(),
            m.megabytesPerSecond(),
            cpu);
    if (m.latency() != null) {
      text +=
          String.format(
              Locale.ROOT,
              "; %s latency p50/p95/p99 %.1f/%.1f/%.1f ms",
              m.latency().kind(),
              m.latency().p50Ms(),
              m.latency().p95Ms(),
              m.latency().p99Ms());
    }
    return text;
  }

  /** Prints a progress line, prefixed with the time and the benchmark id. */
  public void progress(String format, Object... args) {
    out.printf(
        Locale.ROOT,
        "%s [%s] %s%n",
        CLOCK.format(LocalTime.now()),
        benchmark.id(),
        String.format(Locale.ROOT, format, args));
    out.flush();
  }

  public List<Measurement> measurements() {
    return Collections.unmodifiableList(measurements);
  }

  /** The summary of what was measured, for {@link ResultWriter}. */
  public BenchResult result(RunInfo run) {
    return new BenchResult(
        benchmark.id(),
        benchmark.code(),
        benchmark.title(),
        benchmark.description(),
        run,
        options.asMap(),
        warmups(),
        repetitions(),
        PeerSummary.of(List.copyOf(peers.values()), measurements),
        List.copyOf(measurements));
  }

  @Override
  public void close() {
    RuntimeException failure = null;
    while (!resources.isEmpty()) {
      try {
        resources.pop().close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException("Cannot close benchmark resources cleanly", e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (options.getBoolean(KEEP)) {
      progress("work folder kept: %s", tempDir);
    } else {
      deleteRecursively(tempDir);
    }
    if (failure != null) {
      throw failure;
    }
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
              Files.delete(d);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete work folder " + dir, e);
    }
  }
}
