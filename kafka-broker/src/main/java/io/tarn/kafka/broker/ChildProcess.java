package io.tarn.kafka.broker;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server we started as a child process (Kafka broker, REST catalog, Trino, S3Proxy, CDC capture),
 * bound to this JVM: {@link #close} stops it gracefully (SIGTERM, then SIGKILL after the grace
 * period), and a shutdown hook does the same if this JVM exits first, so no server outlives us.
 */
public final class ChildProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChildProcess.class);
  private static final int TAIL_BYTES = 64 * 1024;

  private final String name;
  private final Process process;
  private final Duration grace;
  private final Runnable afterStop;
  private final Thread shutdownHook;
  private boolean stopped = false;

  private ChildProcess(String name, Process process, Duration grace, Runnable afterStop) {
    this.name = name;
    this.process = process;
    this.grace = grace;
    this.afterStop = afterStop;
    this.shutdownHook = new Thread(() -> stop(false), "tarn-" + name + "-shutdown-" + pid());
  }

  /** Binds a started process to this JVM's life; {@code name} is for logs and thread names. */
  public static ChildProcess bind(String name, Process process, Duration grace) {
    return bind(name, process, grace, () -> {});
  }

  /**
   * As {@link #bind(String, Process, Duration)}, and runs {@code afterStop} once the process has
   * stopped, also from the shutdown hook (e.g. to delete the server's temporary storage).
   */
  public static ChildProcess bind(
      String name, Process process, Duration grace, Runnable afterStop) {
    ChildProcess child = new ChildProcess(name, process, grace, afterStop);
    Runtime.getRuntime().addShutdownHook(child.shutdownHook);
    return child;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The exit code; only once the process has exited. */
  public int exitValue() {
    return process.exitValue();
  }

  /** Waits up to {@code timeout} for the process to exit on its own; returns whether it did. */
  public boolean awaitExit(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }

  /** Stops the process (SIGTERM), or kills it if it has not exited within the grace period. */
  @Override
  public void close() {
    if (stop(false)) {
      removeShutdownHook();
    }
  }

  /** Kills the process at once (SIGKILL), like a crash; for failure-injection tests. */
  public void kill() {
    if (stop(true)) {
      removeShutdownHook();
    }
  }

  /** Returns whether this call did the stopping. */
  private boolean stop(boolean kill) {
    synchronized (this) {
      if (stopped) {
        return false;
      }
      stopped = true;
    }
    if (kill) {
      process.destroyForcibly();
    } else {
      process.destroy();
    }
    if (!awaitExit(grace)) {
      LOG.warn("{} (pid {}) did not stop within {}: killing it", name, pid(), grace);
      process.destroyForcibly();
      awaitExit(grace);
    }
    afterStop.run();
    return true;
  }

  private void removeShutdownHook() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down already, and the hook may be what is stopping the process
    }
  }

  /** The last {@code count} lines of a log file (empty if there is none), for error messages. */
  public static List<String> tail(Path file, int count) {
    if (!Files.exists(file)) {
      return List.of();
    }
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long length = in.length();
      int size = (int) Math.min(length, TAIL_BYTES);
      byte[] bytes = new byte[size];
      in.seek(length - size);
      in.readFully(bytes);
      List<String> lines = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\n"));
      return List.copyOf(lines.subList(Math.max(0, lines.size() - count), lines.size()));
    } catch (IOException e) {
      return List.of("(cannot read " + file + ": " + e + ")");
    }
  }

  /** {@link #tail} under a header naming the file, or "" if there is nothing to show. */
  public static String tailSection(Path file, int count) {
    List<String> lines = tail(file, count);
    return lines.isEmpty()
        ? ""
        : "\n--- last lines of " + file + " ---\n" + String.join("\n", lines);
  }

  @Override
  public String toString() {
    return name + " (pid " + pid() + ")";
  }
}
