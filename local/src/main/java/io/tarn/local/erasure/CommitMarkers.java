package io.tarn.local.erasure;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/**
 * The Flink sinks' commit markers ({@code flink.job-id}, {@code flink.operator-id}, {@code
 * flink.max-committed-checkpoint-id} in snapshot summaries). A restarted sink walks the current
 * snapshot's ancestors for its marker to learn which checkpoints are already committed; expiring
 * the snapshots that carry it would make the sink commit its last checkpoint's files again (rows
 * twice, or files the erasure deleted). So the newest marker of each sink is read before expiry and
 * put back, on an empty commit, if the remaining ancestry no longer has it.
 */
final class CommitMarkers {
  static final String JOB_ID = "flink.job-id";
  static final String OPERATOR_ID = "flink.operator-id";
  static final String CHECKPOINT_ID = "flink.max-committed-checkpoint-id";

  /** The newest marker of one sink. */
  record Marker(String jobId, String operatorId, long checkpointId, long sequenceNumber) {}

  private CommitMarkers() {}

  /** The newest marker of each sink (operator id) among all of the table's snapshots. */
  static List<Marker> newest(Table table) {
    Map<String, Marker> byOperator = new HashMap<>();
    for (Snapshot snapshot : table.snapshots()) {
      Marker marker = markerOf(snapshot);
      if (marker != null) {
        byOperator.merge(
            marker.operatorId(),
            marker,
            (a, b) -> a.sequenceNumber() >= b.sequenceNumber() ? a : b);
      }
    }
    List<Marker> markers = new ArrayList<>(byOperator.values());
    markers.sort((a, b) -> Long.compare(a.sequenceNumber(), b.sequenceNumber()));
    return markers;
  }

  /** Commits an empty snapshot for each marker the current ancestry has lost; returns how many. */
  static int restore(Table table, List<Marker> markers) {
    table.refresh();
    Set<String> seenOperators = new HashSet<>();
    for (Snapshot s = table.currentSnapshot();
        s != null;
        s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
      Marker marker = markerOf(s);
      if (marker != null) {
        // a sink's marker left in the ancestry is newer than any expired one
        seenOperators.add(marker.operatorId());
      }
    }
    int restored = 0;
    for (Marker marker : markers) {
      if (seenOperators.contains(marker.operatorId())) {
        continue;
      }
      table
          .newFastAppend()
          .set(JOB_ID, marker.jobId())
          .set(OPERATOR_ID, marker.operatorId())
          .set(CHECKPOINT_ID, String.valueOf(marker.checkpointId()))
          .commit();
      restored++;
    }
    return restored;
  }

  private static Marker markerOf(Snapshot snapshot) {
    Map<String, String> summary = snapshot.summary();
    String job = summary.get(JOB_ID);
    String operator = summary.get(OPERATOR_ID);
    String checkpoint = summary.get(CHECKPOINT_ID);
    if (job == null || operator == null || checkpoint == null) {
      return null;
    }
    try {
      return new Marker(job, operator, Long.parseLong(checkpoint), snapshot.sequenceNumber());
    } catch (NumberFormatException notOurs) {
      return null;
    }
  }
}
