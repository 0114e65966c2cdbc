package io.tarn.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;

/**
 * Waits for a job under measurement to commit an expected number of records to its tables, by
 * polling their snapshot summaries ({@code total-records}); fails when none arrive for 90 s, when
 * the job stops, or when more than expected are committed.
 */
final class CommittedRecords {
  private static final long POLL_MILLIS = 100;
  private static final long IDLE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(90);

  private CommittedRecords() {}

  /** Returns once {@code tables} hold {@code expected} committed records in all. */
  static void await(
      FlinkCluster cluster, JobID job, String jobName, List<Table> tables, long expected)
      throws Exception {
    long committed = 0;
    long lastProgress = System.nanoTime();
    long lastCheck = 0;
    while (true) {
      long total = 0;
      for (Table table : tables) {
        total += total(table);
      }
      if (total >= expected) {
        committed = total;
        break;
      }
      if (total > committed) {
        committed = total;
        lastProgress = System.nanoTime();
      } else if (System.nanoTime() - lastProgress > IDLE_TIMEOUT_NANOS) {
        throw new IllegalStateException(
            String.format(
                "Cannot measure %s: %,d of %,d records committed, none for 90 s",
                jobName, committed, expected));
      }
      if (System.nanoTime() - lastCheck > TimeUnit.SECONDS.toNanos(2)) {
        cluster.checkRunning(job, jobName);
        lastCheck = System.nanoTime();
      }
      Thread.sleep(POLL_MILLIS);
    }
    if (committed != expected) {
      throw new IllegalStateException(
          String.format(
              "Cannot measure %s: %,d records committed for %,d produced",
              jobName, committed, expected));
    }
  }

  /** The table's committed records, as its current snapshot's summary counts them. */
  static long total(Table table) {
    table.refresh();
    Snapshot current = table.currentSnapshot();
    return current == null ? 0 : Snapshots.summary(current, SnapshotSummary.TOTAL_RECORDS_PROP);
  }
}
