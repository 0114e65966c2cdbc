package io.tarn.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.iceberg.metrics.CommitMetricsResult;
import org.apache.iceberg.metrics.CommitReport;
import org.apache.iceberg.metrics.MetricsReport;
import org.apache.iceberg.metrics.MetricsReporter;
import org.apache.iceberg.metrics.TimerResult;

/**
 * Collects the duration of every Iceberg commit a Tarn job makes in this JVM, from Iceberg's own
 * commit reports: give a job's catalog {@code catalog.properties.metrics-reporter-impl =
 * io.tarn.bench.CommitTimings}. The figure is {@code CommitMetricsResult.totalDuration()}, the time
 * of {@code commit()} including manifest writing and retries, as the ceiling times its commits.
 */
public final class CommitTimings implements MetricsReporter {
  /** The catalog property that installs this reporter, as a Tarn job setting. */
  static final String SETTING = "catalog.properties.metrics-reporter-impl";

  /** One commit: the table ({@code <catalog>.<namespace>.<table>}) and how long it took. */
  record Commit(String table, long micros, long attempts) {}

  private static final ConcurrentLinkedQueue<Commit> COMMITS = new ConcurrentLinkedQueue<>();

  public CommitTimings() {}

  @Override
  public void report(MetricsReport report) {
    if (report instanceof CommitReport commit) {
      CommitMetricsResult metrics = commit.commitMetrics();
      TimerResult total = metrics == null ? null : metrics.totalDuration();
      if (total != null && total.count() > 0) {
        long attempts = metrics.attempts() == null ? 1 : metrics.attempts().value();
        COMMITS.add(
            new Commit(commit.tableName(), total.totalDuration().toNanos() / 1000, attempts));
      }
    }
  }

  /** Removes and returns every commit reported so far. */
  static List<Commit> drain() {
    List<Commit> commits = new ArrayList<>();
    for (Commit c; (c = COMMITS.poll()) != null; ) {
      commits.add(c);
    }
    return commits;
  }
}
