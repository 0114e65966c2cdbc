package io.tarn.local.erasure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.RewriteFiles;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericDeleteFilter;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes a subject's rows from one table so that no live file holds them: every partition with a
 * data file or equality-delete file that physically contains the subject is rewritten (all its data
 * files, deletes applied and the subject's rows left out) and its delete files are dropped, in one
 * optimistic {@code RewriteFiles} commit.
 *
 * <p>A row-level delete alone would leave the bytes in the old data file, and an upsert table's
 * equality deletes themselves hold key values, so both kinds of file are replaced. The new files
 * keep the starting snapshot's data sequence number, so equality deletes that streaming upserts
 * commit meanwhile still apply to them and do not conflict; a conflicting commit (new position
 * deletes against a rewritten file) makes the whole table's pass start again from the new state.
 */
final class TableEraser {
  private static final Logger LOG = LoggerFactory.getLogger(TableEraser.class);
  private static final int MAX_ATTEMPTS = 5;

  /** What the erasure did to one table. */
  record Result(
      String table,
      long rowsDeleted,
      int dataFilesRewritten,
      int deleteFilesRemoved,
      int dataFilesWritten,
      int attempts) {}

  private final String name;
  private final Table table;
  private final SubjectMatch match;
  private final String erasureId;

  TableEraser(String name, Table table, SubjectMatch match, String erasureId) {
    this.name = name;
    this.table = table;
    this.match = match;
    this.erasureId = erasureId;
  }

  Result erase() {
    for (int attempt = 1; ; attempt++) {
      table.refresh();
      Snapshot start = table.currentSnapshot();
      if (start == null) {
        return new Result(name, 0, 0, 0, 0, attempt);
      }
      Plan plan = plan(start);
      if (plan.isEmpty()) {
        return new Result(name, 0, 0, 0, 0, attempt);
      }
      List<DataFile> written = new ArrayList<>();
      try {
        long rows = rewrite(start, plan, written);
        return new Result(
            name, rows, plan.dataTasks.size(), plan.deleteFiles.size(), written.size(), attempt);
      } catch (ValidationException | CommitFailedException conflict) {
        written.forEach(file -> table.io().deleteFile(file.location()));
        if (attempt >= MAX_ATTEMPTS) {
          throw new IllegalStateException(
              "Cannot erase from "
                  + name
                  + ": concurrent commits conflicted "
                  + attempt
                  + " times; retry, or stop the jobs writing it",
              conflict);
        }
        LOG.info(
            "Erasure {} on {} conflicted with a concurrent commit, retrying: {}",
            erasureId,
            name,
            conflict.getMessage());
      }
    }
  }

  /** The partitions holding the subject, with every data and delete file in them. */
  private static final class Plan {
    final Set<String> partitions = new HashSet<>();
    final List<FileScanTask> dataTasks = new ArrayList<>();
    final List<DeleteFile> deleteFiles = new ArrayList<>();

    boolean isEmpty() {
      return partitions.isEmpty();
    }
  }

  private Plan plan(Snapshot start) {
    Plan plan = new Plan();
    List<FileScanTask> tasks = new ArrayList<>();
    try (CloseableIterable<FileScanTask> planned =
        table.newScan().useSnapshot(start.snapshotId()).planFiles()) {
      planned.forEach(tasks::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (FileScanTask task : tasks) {
      if (containsSubject(task.file(), table.schema())) {
        plan.partitions.add(partitionOf(task.file()));
      }
    }
    Map<String, DeleteFile> deletes = new LinkedHashMap<>();
    for (ManifestFile manifest : start.deleteManifests(table.io())) {
      try (ManifestReader<DeleteFile> reader =
          ManifestFiles.readDeleteManifest(manifest, table.io(), table.specs())) {
        for (DeleteFile file : reader) {
          DeleteFile copy = file.copyWithoutStats();
          deletes.put(copy.location(), copy);
          if (file.content() == FileContent.EQUALITY_DELETES
              && containsSubject(
                  file, TypeUtil.select(table.schema(), new HashSet<>(file.equalityFieldIds())))) {
            plan.partitions.add(partitionOf(file));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    for (FileScanTask task : tasks) {
      if (plan.partitions.contains(partitionOf(task.file()))) {
        plan.dataTasks.add(task);
      }
    }
    for (DeleteFile file : deletes.values()) {
      if (plan.partitions.contains(partitionOf(file))) {
        plan.deleteFiles.add(file);
      }
    }
    return plan;
  }

  private boolean containsSubject(ContentFile<?> file, Schema schema) {
    try (CloseableIterable<Record> rows = RawFiles.read(table.io(), file, schema)) {
      for (Record row : rows) {
        if (match.matches(schema, row)) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String partitionOf(ContentFile<?> file) {
    PartitionSpec spec = table.specs().get(file.specId());
    return file.specId() + "/" + spec.partitionToPath(file.partition());
  }

  /** Writes the partitions' live rows without the subject's and commits the swap. */
  private long rewrite(Snapshot start, Plan plan, List<DataFile> written) {
    Schema schema = table.schema();
    GenericFileWriterFactory writers =
        new GenericFileWriterFactory.Builder(table)
            .dataFileFormat(FileFormat.PARQUET)
            .dataSchema(schema)
            .build();
    OutputFileFactory files =
        OutputFileFactory.builderFor(table, 0, start.snapshotId())
            .format(FileFormat.PARQUET)
            .operationId("erasure-" + erasureId)
            .build();
    long removed = 0;
    for (FileScanTask task : plan.dataTasks) {
      GenericDeleteFilter deletes = new GenericDeleteFilter(table.io(), task, schema, schema);
      Schema readSchema = deletes.requiredSchema();
      PartitionSpec spec = task.spec();
      DataWriter<Record> writer =
          writers.newDataWriter(
              files.newOutputFile(spec, task.file().partition()), spec, task.file().partition());
      long kept = 0;
      try (CloseableIterable<Record> rows =
          deletes.filter(RawFiles.read(table.io(), task.file(), readSchema))) {
        for (Record row : rows) {
          if (match.matches(schema, row)) {
            removed++;
          } else {
            writer.write(copyOf(schema, row));
            kept++;
          }
        }
        writer.close();
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot rewrite " + task.file().location(), e);
      }
      if (kept > 0) {
        written.add(writer.toDataFile());
      } else {
        table.io().deleteFile(writer.toDataFile().location());
      }
    }
    RewriteFiles commit =
        table
            .newRewrite()
            .validateFromSnapshot(start.snapshotId())
            .dataSequenceNumber(start.sequenceNumber());
    plan.dataTasks.forEach(task -> commit.deleteFile(task.file()));
    plan.deleteFiles.forEach(commit::deleteFile);
    written.forEach(commit::addFile);
    commit.set("tarn.erasure-id", erasureId);
    commit.commit();
    return removed;
  }

  private static Record copyOf(Schema schema, Record row) {
    GenericRecord copy = GenericRecord.create(schema);
    for (Types.NestedField field : schema.columns()) {
      copy.setField(field.name(), row.getField(field.name()));
    }
    return copy;
  }
}
