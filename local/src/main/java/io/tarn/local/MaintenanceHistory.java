package io.tarn.local;

import io.tarn.schemas.audit.AuditEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/**
 * Finds the maintenance job's actions in the tables' own history, for the audit log: a new {@code
 * replace} snapshot is a compaction ({@code maintenance.compact}, with the files it rewrote), and
 * snapshots gone since the last look were expired ({@code maintenance.expire}). Iceberg's Flink
 * maintenance tasks report no results outside their job, but their commits are in the table.
 *
 * <p>The first look at a table only learns its snapshots: what happened while nobody watched is not
 * reported (event ids are derived from the snapshot ids, so a repeat is recorded once anyway).
 */
final class MaintenanceHistory {
  static final String ACTOR = "job:tarn-maintenance";
  private static final List<String> COMPACTION_FACTS =
      List.of(
          "deleted-data-files",
          "added-data-files",
          "removed-delete-files",
          "removed-equality-delete-files",
          "removed-position-delete-files",
          "deleted-records",
          "added-records");

  private final Map<String, Set<Long>> known = new HashMap<>();

  /** What maintenance did to {@code table} (named {@code name}) since the last call. */
  List<AuditEvent> changes(String name, Table table) {
    Set<Long> now = new HashSet<>();
    Map<Long, Snapshot> snapshots = new HashMap<>();
    for (Snapshot s : table.snapshots()) {
      now.add(s.snapshotId());
      snapshots.put(s.snapshotId(), s);
    }
    Set<Long> before = known.put(name, now);
    List<AuditEvent> events = new ArrayList<>();
    if (before == null) {
      return events;
    }
    for (Long id : now) {
      Snapshot s = snapshots.get(id);
      if (!before.contains(id) && "replace".equals(s.operation())) {
        Map<String, String> details = new TreeMap<>();
        details.put("snapshot_id", String.valueOf(id));
        for (String fact : COMPACTION_FACTS) {
          String value = s.summary().get(fact);
          if (value != null) {
            details.put(fact, value);
          }
        }
        events.add(
            new AuditEvent(
                "maintenance:compact:" + name + ":" + id,
                Instant.ofEpochMilli(s.timestampMillis()),
                ACTOR,
                "maintenance.compact",
                name,
                AuditEvent.SUCCESS,
                details));
      }
    }
    Set<Long> expired = new HashSet<>(before);
    expired.removeAll(now);
    if (!expired.isEmpty()) {
      long oldest = expired.stream().mapToLong(Long::longValue).min().getAsLong();
      events.add(
          new AuditEvent(
              "maintenance:expire:" + name + ":" + oldest + ":" + expired.size(),
              Instant.now(),
              ACTOR,
              "maintenance.expire",
              name,
              AuditEvent.SUCCESS,
              Map.of(
                  "expired_snapshots",
                  String.valueOf(expired.size()),
                  "remaining_snapshots",
                  String.valueOf(now.size()))));
    }
    return events;
  }
}
