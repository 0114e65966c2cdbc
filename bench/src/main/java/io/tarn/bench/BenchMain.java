package io.tarn.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./tarn bench <id> [options]}: runs one benchmark, prints progress and a summary, and
 * writes {@code bench/results/<id>-<time>.json} plus the rebuilt {@code bench/results/<id>.md}.
 * {@code list} shows the benchmarks, {@code <id> --help} their options.
 */
public final class BenchMain {
  static final String LOG4J_CONFIG = "tarn-bench-log4j2.properties";

  private BenchMain() {}

  public static void main(String[] args) {
    // before any class that logs is loaded: library INFO logging would bury the progress lines
    if (System.getProperty("log4j2.configurationFile") == null) {
      System.setProperty("log4j2.configurationFile", LOG4J_CONFIG);
    }
    System.exit(run(args, System.out, System.err));
  }

  static List<Benchmark> benchmarks() {
    return List.of(
        new KafkaCeilingBenchmark(),
        new DecodeBenchmark(),
        new BronzeBenchmark(),
        new FreshnessBenchmark(),
        new PiiBenchmark(),
        new CatalogBenchmark(),
        new CdcBenchmark(),
        new UpsertBenchmark(),
        new SilverPiiBenchmark());
  }

  /** Runs the command line and returns the exit status: 0 done, 1 failed, 2 usage error. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || "list".equals(args[0]) || "--help".equals(args[0])) {
      usage(args.length == 0 ? err : out);
      return args.length == 0 ? 2 : 0;
    }

    Benchmark benchmark = find(args[0]);
    if (benchmark == null) {
      err.println("Cannot run benchmark " + args[0] + ": no such benchmark");
      usage(err);
      return 2;
    }

    List<BenchOption> known = new ArrayList<>(BenchContext.COMMON_OPTIONS);
    known.addAll(benchmark.options());
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    if (rest.contains("--help")) {
      options(benchmark, known, out);
      return 0;
    }

    Options options;
    try {
      options = Options.parse(benchmark.id(), rest, known);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return 2;
    }

    Path repoRoot = repoRoot(Path.of("").toAbsolutePath());
    Path resultsDir = repoRoot.resolve(options.get(BenchContext.RESULTS_DIR));
    try (BenchContext ctx = new BenchContext(benchmark, options, out)) {
      RunInfo runInfo = RunInfo.collect(repoRoot);
      ctx.progress(
          "%s %s: %s (git %s; Kafka %s, Flink %s, Iceberg %s; %s cores)",
          benchmark.code(),
          benchmark.id(),
          benchmark.title(),
          runInfo.git(),
          runInfo.versions().get("kafka"),
          runInfo.versions().get("flink"),
          runInfo.versions().get("iceberg"),
          runInfo.machine().get("cores"));
      if (ctx.repetitions() < 3) {
        ctx.progress("fewer than 3 repetitions: a smoke run, not a result to quote");
      }

      benchmark.run(ctx);

      BenchResult result = ctx.result(runInfo);
      Path json = new ResultWriter(resultsDir).write(result);
      summary(result, out);
      ctx.progress("wrote %s and %s", json, resultsDir.resolve(benchmark.id() + ".md"));
      return 0;
    } catch (Exception e) {
      err.println("Benchmark " + benchmark.id() + " failed: " + e.getMessage());
      e.printStackTrace(err);
      return 1;
    }
  }

  private static Benchmark find(String name) {
    for (Benchmark benchmark : benchmarks()) {
      if (benchmark.id().equals(name) || benchmark.code().equalsIgnoreCase(name)) {
        return benchmark;
      }
    }
    return null;
  }

  /** The folder holding {@code bench/pom.xml}, searched upwards; else the working directory. */
  static Path repoRoot(Path start) {
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("bench").resolve("pom.xml"))) {
        return dir;
      }
    }
    return start;
  }

  private static void summary(BenchResult result, PrintStream out) {
    out.println();
    out.printf(
        Locale.ROOT,
        "%-22s %14s %22s %26s  %s%n",
        "peer",
        "records/s",
        "[min-max]",
        "vs reference",
        "CPU-s per M records");
    for (PeerSummary row : result.rows()) {
      StringBuilder cpu = new StringBuilder();
      row.cpuSecondsPerMillion()
          .forEach(
              (process, stat) ->
                  cpu.append(String.format(Locale.ROOT, "%s %.2f  ", process, stat.median())));
      String ratio =
          row.ratioToReference() == null
              ? "-"
              : String.format(Locale.ROOT, "%.2f x %s", row.ratioToReference(), row.reference());
      out.printf(
          Locale.ROOT,
          "%-22s %,14.0f %22s %26s  %s%n",
          row.peer(),
          row.recordsPerSecond().median(),
          String.format(
              Locale.ROOT,
              "[%,.0f-%,.0f]",
              row.recordsPerSecond().min(),
              row.recordsPerSecond().max()),
          ratio,
          cpu.toString().trim());
    }
    out.println();
  }

  private static void usage(PrintStream out) {
    out.println("Usage: ./tarn bench <id> [--option value ...]   (./tarn bench <id> --help)");
    out.println();
    for (Benchmark benchmark : benchmarks()) {
      out.printf(
          Locale.ROOT, "  %-8s %-3s %s%n", benchmark.id(), benchmark.code(), benchmark.title());
    }
  }

  private static void options(Benchmark benchmark, List<BenchOption> known, PrintStream out) {
    out.printf(Locale.ROOT, "%s %s: %s%n%n", benchmark.code(), benchmark.id(), benchmark.title());
    for (BenchOption option : known) {
      out.printf(
          Locale.ROOT,
          "  --%-18s %s (default: %s)%n",
          option.name(),
          option.description(),
          option.defaultValue());
    }
  }
}
