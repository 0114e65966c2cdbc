package io.tarn.local;

import io.tarn.jobs.config.ConfigException;
import io.tarn.kafka.broker.ChildJvm;
import io.tarn.kafka.broker.ChildProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code ./tarn local --with-trino}: {@code ./tarn trino} over the same lake, run as a child JVM
 * from the trino module's build output (its jar and {@code lib/} under {@code tarn.home}), so
 * Trino's launcher stays off the pipeline's class path. Its output goes to {@code logs/trino.out};
 * it stops with the pipeline, or by itself when this JVM dies.
 */
final class LocalTrino implements AutoCloseable {
  private static final String MAIN_CLASS = "io.tarn.trino.TrinoMain";
  private static final String READY = "Trino is ready";
  private static final Duration START_TIMEOUT = Duration.ofMinutes(4);

  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(45);

  private final ChildProcess process;
  private final Path out;

  private LocalTrino(ChildProcess process, Path out) {
    this.process = process;
    this.out = out;
  }

  /**
   * Starts Trino over {@code dataDir}'s lake, its queries audited through {@code bootstrapServers},
   * and waits until it accepts queries.
   */
  static LocalTrino start(DataDir dataDir, String bootstrapServers) {
    Path target = Path.of(System.getProperty("tarn.home", "")).resolve("trino/target");
    Path jar = launcherJar(target);
    Path out = dataDir.logs().resolve("trino.out");
    Process process;
    try {
      Files.createDirectories(out.getParent());
      process =
          ChildJvm.builder(
                  List.of(jar.toString(), target.resolve("lib").resolve("*").toString()),
                  MAIN_CLASS,
                  List.of("-Xmx256m", "-Dtarn.log.dir=" + dataDir.logs()),
                  List.of(
                      "--data-dir", dataDir.root().toString(), "--audit-kafka", bootstrapServers))
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
    } catch (IOException e) {
      throw new ConfigException("Cannot start Trino from %s: %s", target, e.getMessage());
    }
    LocalTrino trino = new LocalTrino(ChildProcess.bind("trino", process, STOP_TIMEOUT), out);
    trino.awaitReady();
    return trino;
  }

  private static Path launcherJar(Path target) {
    try (Stream<Path> files = Files.list(target)) {
      Path jar =
          files
              .filter(f -> f.getFileName().toString().matches("tarn-trino-[^-]+(-SNAPSHOT)?\\.jar"))
              .findFirst()
              .orElse(null);
      if (jar != null && Files.isDirectory(target.resolve("lib"))) {
        return jar;
      }
    } catch (IOException e) {
      // reported below
    }
    throw new ConfigException(
        "Cannot start Trino: no build of the trino module in %s (./tarn local --with-trino builds"
            + " it, or run ./mvnw -q -DskipTests install -pl trino -am)",
        target);
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!output().contains(READY)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        String why =
            process.isAlive() ? "not ready within " + START_TIMEOUT.toMinutes() + " min" : "exited";
        close();
        throw new ConfigException(
            "Cannot start Trino (%s); %s ends with:%n%s",
            why, out, String.join("\n", ChildProcess.tail(out, 15)));
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        close();
        throw new ConfigException("Cannot start Trino: interrupted");
      }
    }
  }

  /** How to connect, as Trino's launcher printed it: the indented lines after it was ready. */
  List<String> connectionLines() {
    String text = output();
    return text.substring(text.indexOf(READY))
        .lines()
        .skip(1)
        .filter(l -> l.startsWith("  "))
        .toList();
  }

  Path out() {
    return out;
  }

  private String output() {
    try {
      return Files.readString(out);
    } catch (IOException e) {
      return "";
    }
  }

  /** Stops Trino and its REST catalog (SIGTERM runs the launcher's shutdown hook). */
  @Override
  public void close() {
    process.close();
  }
}
