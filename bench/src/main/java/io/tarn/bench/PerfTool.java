package io.tarn.bench;

import io.tarn.kafka.broker.KafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs one of Kafka's own tools in its child JVM (see {@link KafkaBroker#startTool}). */
public final class PerfTool {
  public static final String PRODUCER_PERFORMANCE = "org.apache.kafka.tools.ProducerPerformance";
  public static final String CONSUMER_PERFORMANCE = "org.apache.kafka.tools.ConsumerPerformance";

  private PerfTool() {}

  /** Runs {@code mainClass} to completion and returns its output lines. */
  public static List<String> run(
      String mainClass, List<String> args, Path logFile, Duration timeout) {
    Process process = KafkaBroker.startTool(mainClass, args, logFile);
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
        throw new IllegalStateException(
            String.format(
                "Cannot run %s: not done within %d s%s",
                mainClass, timeout.toSeconds(), tail(logFile)));
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Cannot run " + mainClass + ": interrupted", e);
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          String.format(
              "Cannot run %s: it exited with code %d%s",
              mainClass, process.exitValue(), tail(logFile)));
    }
    try {
      return Files.readAllLines(logFile);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read output of " + mainClass + " from " + logFile, e);
    }
  }

  private static String tail(Path logFile) {
    try {
      List<String> lines = Files.readAllLines(logFile);
      return "\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return " (no output in " + logFile + ")";
    }
  }
}
