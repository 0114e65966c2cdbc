package io.tarn.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * What one capture under test handed over, in arrival order: snapshot rows ({@code op = r}) and
 * streamed changes with their source commit time. Fed by one reader thread, read by the harness.
 */
final class ChangeArrivals {
  private long snapshotRows;
  private long firstSnapshotAt = -1;
  private long lastSnapshotAt = -1;
  private long[] sourceMillis = new long[1024];
  private long[] arrivedMillis = new long[1024];
  private int streamed;
  private volatile RuntimeException failure;

  synchronized void snapshot(long rows, long atMillis) {
    if (rows <= 0) {
      return;
    }
    if (firstSnapshotAt < 0) {
      firstSnapshotAt = atMillis;
    }
    snapshotRows += rows;
    lastSnapshotAt = atMillis;
    notifyAll();
  }

  synchronized void streamed(long sourceCommitMillis, long atMillis) {
    if (streamed == sourceMillis.length) {
      sourceMillis = Arrays.copyOf(sourceMillis, streamed * 2);
      arrivedMillis = Arrays.copyOf(arrivedMillis, streamed * 2);
    }
    sourceMillis[streamed] = sourceCommitMillis;
    arrivedMillis[streamed] = atMillis;
    streamed += 1;
    notifyAll();
  }

  /** The reader failed: waits end with this. */
  void fail(RuntimeException e) {
    failure = e;
    synchronized (this) {
      notifyAll();
    }
  }

  synchronized long snapshotRows() {
    return snapshotRows;
  }

  synchronized long lastSnapshotAt() {
    return lastSnapshotAt;
  }

  synchronized long firstSnapshotAt() {
    return firstSnapshotAt;
  }

  synchronized int streamedCount() {
    return streamed;
  }

  synchronized long sourceMillis(int index) {
    return sourceMillis[index];
  }

  synchronized long arrivedMillis(int index) {
    return arrivedMillis[index];
  }

  /** Waits until at least {@code rows} snapshot rows arrived. */
  void awaitSnapshot(long rows, Duration timeout, Supplier<String> state) {
    await(() -> snapshotRows >= rows, timeout, "snapshot rows " + rows, state);
  }

  /** Waits until at least {@code count} streamed changes arrived. */
  void awaitStreamed(int count, Duration timeout, Supplier<String> state) {
    await(() -> streamed >= count, timeout, "streamed changes " + count, state);
  }

  private synchronized void await(
      Supplier<Boolean> done, Duration timeout, String what, Supplier<String> state) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.get()) {
      if (failure != null) {
        throw new IllegalStateException("Cannot wait for " + what + ": " + failure, failure);
      }
      String problem = state.get();
      long left = deadline - System.nanoTime();
      if (problem != null || left <= 0) {
        throw new IllegalStateException(
            String.format(
                "Cannot wait for %s: %s (have %d snapshot rows, %d streamed)",
                what,
                problem != null ? problem : "timed out after " + timeout,
                snapshotRows,
                streamed));
      }
      try {
        wait(Math.min(200, Math.max(1, left / 1_000_000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Cannot wait for " + what + ": interrupted", e);
      }
    }
  }
}
