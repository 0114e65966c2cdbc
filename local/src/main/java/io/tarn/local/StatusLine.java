package io.tarn.local;

import io.tarn.jobs.lake.Lake;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.checkpoint.CompletedCheckpointStats;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;

/**
 * The live view of {@code ./tarn local}: events/s in, rows committed per zone with its freshness
 * (now minus the newest produced-at time it holds; commit age where rows carry none), quarantined
 * rows, checkpoint age and job states.
 */
final class StatusLine {
  private final LocalPipeline pipeline;
  private final Lake lake;
  private final PrintStream out;
  private final Map<String, Long> recordsAtStart = new HashMap<>();
  private final Instant started = Instant.now();
  private long lastProduced;
  private long lastNanos = System.nanoTime();

  /**
   * @param recordsAtStart the records per table before the run started (see {@link #records}), so
   *     "this run" counts what was committed while the pipeline started too
   */
  StatusLine(LocalPipeline pipeline, Lake lake, PrintStream out, Map<String, Long> recordsAtStart) {
    this.pipeline = pipeline;
    this.lake = lake;
    this.out = out;
    this.recordsAtStart.putAll(recordsAtStart);
  }

  /** The records every table of {@code dataDir} holds now; none for a lake not yet made. */
  static Map<String, Long> records(DataDir dataDir) {
    Map<String, Long> records = new HashMap<>();
    if (dataDir.exists()) {
      for (LakeTables.Stats s : LakeTables.read(dataDir.lake(), false)) {
        records.put(s.name(), s.records());
      }
    }
    return records;
  }

  void print() {
    long produced = pipeline.producer() == null ? 0 : pipeline.producer().acknowledged();
    long now = System.nanoTime();
    double rate = (produced - lastProduced) / Math.max(1e-9, (now - lastNanos) / 1e9);
    lastProduced = produced;
    lastNanos = now;
    List<LakeTables.Stats> stats = LakeTables.read(lake, false);
    StringBuilder line = new StringBuilder();
    line.append(String.format("[%s] in %,d (%.0f/s)", elapsed(), produced, rate));
    for (String zone : Lake.ZONES) {
      long rows = 0;
      Instant last = null;
      Instant newest = null;
      for (LakeTables.Stats s : stats) {
        if (!s.zone().equals(zone) || isBookkeeping(s)) {
          continue;
        }
        rows += s.records() - recordsAtStart.getOrDefault(s.name(), 0L);
        if (s.lastCommit() != null && (last == null || s.lastCommit().isAfter(last))) {
          last = s.lastCommit();
        }
        if (s.newestData() != null && (newest == null || s.newestData().isAfter(newest))) {
          newest = s.newestData();
        }
      }
      line.append(String.format(" | %s +%,d", zone, rows));
      line.append(newest != null ? ageOf(" fresh ", newest) : ageOf(" commit ", last));
    }
    long quarantined =
        stats.stream()
            .filter(s -> s.name().equals("silver.quarantine"))
            .mapToLong(s -> s.records() - recordsAtStart.getOrDefault(s.name(), 0L))
            .sum();
    line.append(String.format(" | quarantined +%,d", quarantined));
    line.append(" | checkpoint").append(ageOf(" ", lastCheckpoint()));
    line.append(" | jobs ").append(jobStates());
    out.println(line);
  }

  /** Rows committed per table since this run started. */
  Map<String, Long> committedThisRun() {
    Map<String, Long> committed = new java.util.LinkedHashMap<>();
    for (LakeTables.Stats s : LakeTables.read(lake, false)) {
      committed.put(s.name(), s.records() - recordsAtStart.getOrDefault(s.name(), 0L));
    }
    return committed;
  }

  private static boolean isBookkeeping(LakeTables.Stats s) {
    return s.table().equals("quarantine") || s.table().equals("quality_metrics");
  }

  private String elapsed() {
    long s = Duration.between(started, Instant.now()).toSeconds();
    return String.format("%02d:%02d", s / 60, s % 60);
  }

  private static String ageOf(String prefix, Instant time) {
    if (time == null) {
      return prefix + "-";
    }
    long seconds = Math.max(0, Duration.between(time, Instant.now()).toSeconds());
    return prefix + seconds + (prefix.contains("fresh") ? "s" : "s ago");
  }

  private Instant lastCheckpoint() {
    Instant latest = null;
    for (var id : pipeline.jobs().values()) {
      try {
        AccessExecutionGraph graph = pipeline.cluster().getExecutionGraph(id).get();
        CompletedCheckpointStats completed =
            graph.getCheckpointStatsSnapshot().getHistory().getLatestCompletedCheckpoint();
        if (completed != null) {
          Instant t = Instant.ofEpochMilli(completed.getLatestAckTimestamp());
          latest = latest == null || t.isAfter(latest) ? t : latest;
        }
      } catch (Exception e) {
        // a job that is restarting has no graph for a moment
      }
    }
    return latest;
  }

  private String jobStates() {
    StringBuilder states = new StringBuilder();
    for (LocalJob job : LocalJob.values()) {
      JobStatus status = pipeline.status(job);
      states
          .append(states.length() == 0 ? "" : " ")
          .append(job.name().toLowerCase(java.util.Locale.ROOT), 0, 1)
          .append(':')
          .append(
              status == JobStatus.RUNNING
                  ? "ok"
                  : status.name().toLowerCase(java.util.Locale.ROOT));
    }
    return states.toString();
  }
}
