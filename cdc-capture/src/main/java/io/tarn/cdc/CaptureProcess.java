package io.tarn.cdc;

import io.tarn.kafka.broker.ChildJvm;
import io.tarn.kafka.broker.ChildProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@link CaptureMain} in a child JVM on cdc-capture's own class path (Debezium and Kafka 4.1 stay
 * apart from the Flink jobs' Kafka 4.2), bound to the life of the JVM that started it. This class
 * uses only the JDK and {@link ChildJvm}, so callers need none of Debezium on their class path.
 */
public final class CaptureProcess implements AutoCloseable {
  /** How long the engine gets to flush its offsets and stop before it is killed. */
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);

  private final ChildProcess process;
  private final Path log;

  private CaptureProcess(ChildProcess process, Path log) {
    this.process = process;
    this.log = log;
  }

  /**
   * Starts {@code CaptureMain} with {@code args} ({@code --config file --key value ...}) from the
   * build output in {@code target} (the module's jar and {@code lib/}), appending its output to
   * {@code log}.
   */
  public static CaptureProcess start(Path target, List<String> args, Path log) {
    return start(target, CaptureMain.class.getName(), args, log);
  }

  /**
   * Starts another main class of cdc-capture the same way, e.g. {@code
   * io.tarn.cdc.EngineBaselineMain}, the Debezium-only peer of benchmark B2.
   */
  public static CaptureProcess start(Path target, String mainClass, List<String> args, Path log) {
    List<String> classPath = runtimeClassPath(target);
    try {
      Files.createDirectories(log.toAbsolutePath().getParent());
      Files.writeString(
          log,
          "---- starting " + mainClass + " " + Instant.now() + "\n",
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      Process process =
          ChildJvm.builder(
                  classPath, mainClass, List.of("-Xmx384m", "-XX:TieredStopAtLevel=1"), args)
              .redirectErrorStream(true)
              .redirectOutput(Redirect.appendTo(log.toFile()))
              .start();
      return new CaptureProcess(ChildProcess.bind("cdc-capture", process, STOP_GRACE), log);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the CDC capture: " + e.getMessage(), e);
    }
  }

  /** The jar and {@code lib/*} that {@code package} writes into cdc-capture's target folder. */
  static List<String> runtimeClassPath(Path target) {
    Path lib = target.resolve("lib");
    Path jar;
    try (Stream<Path> files = Files.list(target)) {
      jar =
          files
              .filter(
                  p ->
                      p.getFileName()
                          .toString()
                          .matches("tarn-cdc-capture-[^-]+(-SNAPSHOT)?\\.jar"))
              .findFirst()
              .orElse(null);
    } catch (IOException e) {
      jar = null;
    }
    if (jar == null || !Files.isDirectory(lib)) {
      throw new IllegalStateException(
          "Cannot find the cdc-capture runtime (tarn-cdc-capture-*.jar and lib/) in "
              + target.toAbsolutePath().normalize()
              + ": build it with ./mvnw -pl cdc-capture -am package");
    }
    List<String> classPath = new ArrayList<>();
    classPath.add(jar.toString());
    classPath.add(lib.resolve("*").toString());
    return classPath;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public Path log() {
    return log;
  }

  /** "running" or "exited N", for messages. */
  public String state() {
    return process.isAlive() ? "running" : "exited " + process.exitValue();
  }

  /** kill -9: no shutdown hook runs, offsets not yet flushed are lost (and replayed on start). */
  public void kill() {
    process.kill();
  }

  /** SIGTERM, so the engine flushes its offsets and stops; kill -9 after 30 s. */
  @Override
  public void close() {
    process.close();
  }
}
