package io.tarn.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotChanges;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;

/** Reading what a table's commits added, the way a reader polling for new data would. */
final class Snapshots {
  private Snapshots() {}

  /**
   * The snapshots committed after {@code lastSeen} (null: all), oldest first, following the current
   * snapshot's parents.
   */
  static List<Snapshot> since(Table table, Long lastSeen) {
    List<Snapshot> fresh = new ArrayList<>();
    Snapshot s = table.currentSnapshot();
    while (s != null && !Objects.equals(s.snapshotId(), lastSeen)) {
      fresh.add(s);
      s = s.parentId() == null ? null : table.snapshot(s.parentId());
    }
    Collections.reverse(fresh);
    return fresh;
  }

  /** Hands every row of the data files {@code snapshot} added to {@code rows}, projected. */
  static void readAdded(Table table, Snapshot snapshot, Schema projection, Consumer<Record> rows) {
    for (DataFile file :
        SnapshotChanges.builderFor(table).snapshot(snapshot).build().addedDataFiles()) {
      if (file.format() != FileFormat.PARQUET) {
        throw new IllegalStateException(
            "Cannot read " + file.location() + ": only Parquet is expected");
      }
      try (CloseableIterable<Record> records =
          Parquet.read(table.io().newInputFile(file.location()))
              .project(projection)
              .createReaderFunc(
                  fileSchema -> GenericParquetReaders.buildReader(projection, fileSchema))
              .build()) {
        records.forEach(rows);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read " + file.location(), e);
      }
    }
  }

  /** A long figure of a snapshot summary, 0 when absent. */
  static long summary(Snapshot snapshot, String property) {
    String value = snapshot.summary().get(property);
    return value == null ? 0 : Long.parseLong(value);
  }

  /** Snapshots of {@code table} that added no record; BENCHMARKS.md wants none. */
  static long withoutAddedRecords(Table table) {
    long empty = 0;
    for (Snapshot snapshot : table.snapshots()) {
      if (summary(snapshot, SnapshotSummary.ADDED_RECORDS_PROP) == 0) {
        empty += 1;
      }
    }
    return empty;
  }
}
