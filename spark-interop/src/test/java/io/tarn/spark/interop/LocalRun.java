package io.tarn.spark.interop;

import io.tarn.kafka.broker.ChildJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bounded {@code ./tarn local} run (broker, registry, Flink MiniCluster with bronze, silver, gold
 * and maintenance) in a child JVM from the local module's jar and {@code target/lib}, as the {@code
 * tarn} script runs it. A child, because the Flink jobs' Jackson and Scala clash with Spark's.
 *
 * @param dataDir the lake it wrote
 * @param produced the events its producer had acknowledged, from the run's summary
 */
record LocalRun(Path dataDir, long produced) {
  private static final Pattern PRODUCED = Pattern.compile("events produced: (\\S+)");

  /** The JVM options of the {@code tarn} script, which Flink needs on Java 17. */
  private static final List<String> OPENS =
      List.of(
          "java.lang",
          "java.util",
          "java.lang.reflect",
          "java.io",
          "java.net",
          "java.nio",
          "sun.nio.ch",
          "java.util.concurrent",
          "java.util.concurrent.atomic",
          "java.time",
          "java.text");

  /**
   * Runs {@code ./tarn local --events <events>} into {@code dataDir} with {@code settings} ({@code
   * key=value}), waits until it has stopped by itself, and fails with its output if it did not exit
   * cleanly within {@code timeout}.
   */
  static LocalRun events(Path dataDir, long events, List<String> settings, Duration timeout) {
    Path target = Path.of(System.getProperty("tarn.local.target", "../local/target"));
    Path jar = target.resolve(System.getProperty("tarn.local.jar", "tarn-local.jar"));
    if (!Files.isRegularFile(jar) || !Files.isDirectory(target.resolve("lib"))) {
      throw new IllegalStateException(
          "Cannot run ./tarn local: " + jar + " or its lib/ is missing (build the local module)");
    }
    List<String> jvm =
        new ArrayList<>(List.of("-Xmx1536m", "-Dtarn.log.dir=" + dataDir.resolve("logs")));
    OPENS.forEach(p -> jvm.add("--add-opens=java.base/" + p + "=ALL-UNNAMED"));
    jvm.add("--add-opens=java.sql/java.sql=ALL-UNNAMED");
    List<String> args =
        new ArrayList<>(
            List.of(
                "local",
                "--data-dir",
                dataDir.toString(),
                "--events",
                Long.toString(events),
                "--rate",
                "1000",
                // a cap: the run stops by itself once bronze holds every event
                "--duration",
                timeout.toSeconds() + "s"));
    settings.forEach(s -> args.addAll(List.of("--set", s)));
    Path out = dataDir.resolveSibling(dataDir.getFileName() + "-tarn-local.out");
    Process process;
    try {
      process =
          ChildJvm.builder(
                  List.of(jar.toString(), target.resolve("lib").resolve("*").toString()),
                  "io.tarn.local.TarnCli",
                  jvm,
                  args)
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      // the run's own cap plus time to stop with savepoints
      if (!process.waitFor(timeout.plusSeconds(60).toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
        throw new AssertionError("./tarn local did not stop by itself:\n" + Files.readString(out));
      }
      String output = Files.readString(out);
      if (process.exitValue() != 0) {
        throw new AssertionError(
            "./tarn local exited with " + process.exitValue() + ":\n" + output);
      }
      Matcher produced = PRODUCED.matcher(output);
      if (!produced.find()) {
        throw new AssertionError("./tarn local printed no summary:\n" + output);
      }
      return new LocalRun(dataDir, Long.parseLong(produced.group(1).replaceAll("[^0-9]", "")));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot run ./tarn local into " + dataDir, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Cannot run ./tarn local: interrupted", e);
    }
  }
}
