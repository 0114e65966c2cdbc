package io.tarn.bench;

import io.tarn.jobs.lake.Lake;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;

/**
 * Watches a silver upsert table for source ids above a threshold: every 100 ms it reads the data
 * files each new snapshot added (an upsert adds the new row as data) and notes, per id, the commit
 * timestamp of the first snapshot holding it. The poll interval does not add to a latency measured
 * from that timestamp.
 */
final class SilverVisibility implements AutoCloseable {
  private static final long POLL_MILLIS = 100;

  private final Catalog catalog;
  private final TableIdentifier id;
  private final long watchAbove;
  private final Map<Long, Long> visibleAt = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile RuntimeException failure;
  private volatile boolean closed;

  SilverVisibility(Catalog catalog, TableIdentifier id, long watchAbove) {
    this.catalog = catalog;
    this.id = id;
    this.watchAbove = watchAbove;
    this.thread = new Thread(this::watch, "tarn-bench-silver-visibility");
    thread.setDaemon(true);
    thread.start();
  }

  private void watch() {
    try {
      Table table = null;
      Long lastSeen = null;
      while (!closed) {
        if (table == null) {
          try {
            table = catalog.loadTable(id);
          } catch (NoSuchTableException e) {
            Thread.sleep(POLL_MILLIS);
            continue;
          }
        }
        table.refresh();
        List<Snapshot> fresh = Snapshots.since(table, lastSeen);
        Schema projection = table.schema().select("id");
        for (Snapshot s : fresh) {
          Snapshots.readAdded(
              table,
              s,
              projection,
              row -> {
                long key = ((Number) row.getField("id")).longValue();
                if (key > watchAbove) {
                  visibleAt.putIfAbsent(key, s.timestampMillis());
                }
              });
          lastSeen = s.snapshotId();
        }
        Thread.sleep(POLL_MILLIS);
      }
    } catch (RuntimeException e) {
      failure = e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The commit time of the first snapshot holding {@code key}, or -1. */
  long visibleAt(long key) {
    check();
    return visibleAt.getOrDefault(key, -1L);
  }

  /** Waits until every id in [from, to] is visible; false on timeout. */
  boolean awaitAll(long from, long to, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (long key = from; key <= to; key += 1) {
      while (visibleAt(key) < 0) {
        if (System.nanoTime() > deadline) {
          return false;
        }
        Thread.sleep(POLL_MILLIS);
      }
    }
    return true;
  }

  private void check() {
    if (failure != null) {
      throw new IllegalStateException("Cannot watch " + id + ": " + failure, failure);
    }
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    thread.join(10_000);
    Lake.closeQuietly(catalog);
  }
}
