package io.tarn.local;

import static org.apache.iceberg.types.Types.NestedField.required;
import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.schemas.audit.AuditEvent;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.hadoop.HadoopTables;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On a real Iceberg table: a compaction commit and a snapshot expiry become audit events. */
class MaintenanceHistoryTest {
  @TempDir Path dir;

  private static DataFile file(Table table, int n, long rows) {
    return DataFiles.builder(table.spec())
        .withPath(table.location() + "/data/f" + n + ".parquet")
        .withFileSizeInBytes(100)
        .withRecordCount(rows)
        .build();
  }

  @Test
  void reportsCompactionsAndExpiriesSinceTheLastLook() {
    Table table =
        new HadoopTables(new org.apache.hadoop.conf.Configuration())
            .create(
                new Schema(required(1, "id", Types.LongType.get())),
                PartitionSpec.unpartitioned(),
                Map.of("format-version", "2"),
                dir.resolve("t").toString());
    DataFile a = file(table, 1, 10);
    DataFile b = file(table, 2, 5);
    table.newAppend().appendFile(a).commit();
    table.newAppend().appendFile(b).commit();
    MaintenanceHistory history = new MaintenanceHistory();
    assertThat(history.changes("silver.orders", table)).isEmpty(); // first look: learns only

    table.newAppend().appendFile(file(table, 3, 1)).commit();
    assertThat(history.changes("silver.orders", table)).isEmpty(); // an append is no maintenance

    DataFile merged = file(table, 4, 15);
    table.newRewrite().rewriteFiles(Set.of(a, b), Set.of(merged)).commit();
    long compaction = table.currentSnapshot().snapshotId();
    List<AuditEvent> compacted = history.changes("silver.orders", table);
    assertThat(compacted).hasSize(1);
    AuditEvent e = compacted.get(0);
    assertThat(e.action()).isEqualTo("maintenance.compact");
    assertThat(e.target()).isEqualTo("silver.orders");
    assertThat(e.eventId()).isEqualTo("maintenance:compact:silver.orders:" + compaction);
    assertThat(e.details())
        .containsEntry("deleted-data-files", "2")
        .containsEntry("added-data-files", "1")
        .containsEntry("snapshot_id", String.valueOf(compaction));
    assertThat(history.changes("silver.orders", table)).isEmpty();

    table.expireSnapshots().expireOlderThan(Long.MAX_VALUE).retainLast(1).commit();
    List<AuditEvent> expired = history.changes("silver.orders", table);
    assertThat(expired).hasSize(1);
    assertThat(expired.get(0).action()).isEqualTo("maintenance.expire");
    assertThat(expired.get(0).details())
        .containsEntry("expired_snapshots", "3")
        .containsEntry("remaining_snapshots", "1");
  }
}
