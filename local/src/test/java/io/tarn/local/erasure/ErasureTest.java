package io.tarn.local.erasure;

import static org.apache.iceberg.types.Types.NestedField.required;
import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.jobs.lake.Lake;
import io.tarn.jobs.lake.TableNames;
import io.tarn.local.DataDir;
import io.tarn.local.WarehouseScan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.deletes.EqualityDeleteWriter;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Erasure on a real Iceberg table (JDBC catalog, local warehouse) with an upsert history: the
 * subject's old e-mail lives only in a row an equality delete hides, and the delete file itself
 * holds the subject's id. Afterwards neither is in any file.
 */
class ErasureTest {
  private static final Schema SCHEMA =
      new Schema(
          List.of(
              required(1, "customer_id", Types.StringType.get()),
              required(2, "email", Types.StringType.get())),
          Set.of(1));
  private static final TableIdentifier ID = TableNames.of("silver", "people");

  @TempDir Path dir;
  private Catalog catalog;

  @org.junit.jupiter.api.AfterEach
  void closeCatalog() {
    Lake.closeQuietly(catalog);
  }

  @Test
  void erasesLiveAndDeadRowsAndTheDeleteFilesThatNameTheSubject() {
    DataDir dataDir = new DataDir(dir).create();
    Lake lake = dataDir.lake();
    lake.createIfAbsent(ID, SCHEMA, PartitionSpec.unpartitioned(), Map.of());
    Table table = load(lake);
    table
        .newAppend()
        .appendFile(
            data(
                table,
                row("C0000001", "ann.old@example.org"),
                row("C0000002", "bob@example.org"),
                row("C0000003", "cyd@example.org")))
        .set(CommitMarkers.JOB_ID, "job-1")
        .set(CommitMarkers.OPERATOR_ID, "sink-1")
        .set(CommitMarkers.CHECKPOINT_ID, "1")
        .commit();
    // an upsert of C0000001: equality delete on the key, then the new row
    table
        .newRowDelta()
        .addDeletes(equalityDelete(table, "C0000001"))
        .addRows(data(table, row("C0000001", "ann.new@example.org")))
        .set(CommitMarkers.JOB_ID, "job-1")
        .set(CommitMarkers.OPERATOR_ID, "sink-1")
        .set(CommitMarkers.CHECKPOINT_ID, "2")
        .commit();
    table.newAppend().appendFile(data(table, row("C0000004", "dee@example.org"))).commit();
    List<String> needles = List.of("C0000001", "ann.old@example.org", "ann.new@example.org");
    assertThat(WarehouseScan.find(dataDir.warehouse(), needles))
        .extracting(WarehouseScan.Hit::needle)
        .containsAll(needles);

    Certificate certificate =
        new Erasure(lake, new SubjectHash(new byte[16]), Duration.ZERO).erase("C0000001");

    assertThat(emails(load(lake)))
        .containsExactlyInAnyOrder("bob@example.org", "cyd@example.org", "dee@example.org");
    Certificate.TableEntry entry = certificate.tables().get(0);
    assertThat(entry.table()).isEqualTo("silver.people");
    assertThat(entry.rowsDeleted()).isEqualTo(1);
    assertThat(entry.deleteFilesRemoved()).isEqualTo(1);
    assertThat(entry.snapshotsExpired()).isPositive();
    assertThat(WarehouseScan.find(dataDir.warehouse(), needles)).isEmpty();
    assertThat(WarehouseScan.find(dataDir.warehouse(), List.of("bob@example.org"))).isNotEmpty();
    // the sink's newest commit marker is still in the ancestry, so a restarted job does not
    // commit its last checkpoint twice
    Table erased = load(lake);
    Map<String, String> marker = null;
    for (org.apache.iceberg.Snapshot s = erased.currentSnapshot(); s != null && marker == null; ) {
      if (s.summary().containsKey(CommitMarkers.OPERATOR_ID)) {
        marker = s.summary();
      }
      s = s.parentId() == null ? null : erased.snapshot(s.parentId());
    }
    assertThat(marker).isNotNull().containsEntry(CommitMarkers.CHECKPOINT_ID, "2");
    assertThat(marker).containsEntry(CommitMarkers.JOB_ID, "job-1");

    Certificate again =
        new Erasure(lake, new SubjectHash(new byte[16]), Duration.ZERO).erase("C0000001");
    assertThat(again.rowsDeleted()).isZero();
    assertThat(again.subjectHash()).isEqualTo(certificate.subjectHash());
  }

  @Test
  void rowsAPositionDeleteHidesStayHiddenInTheRewrittenFiles() {
    DataDir dataDir = new DataDir(dir).create();
    Lake lake = dataDir.lake();
    lake.createIfAbsent(ID, SCHEMA, PartitionSpec.unpartitioned(), Map.of());
    Table table = load(lake);
    // an upsert sink that sees a key twice in one checkpoint writes both rows to one file and
    // deletes the first by position
    DataFile file =
        data(
            table,
            row("C0000001", "ann@example.org"),
            row("C0000002", "bob.first@example.org"),
            row("C0000002", "bob.second@example.org"));
    table
        .newRowDelta()
        .addRows(file)
        .addDeletes(positionDelete(table, file.location(), 1))
        .commit();

    Certificate certificate =
        new Erasure(lake, new SubjectHash(new byte[16]), Duration.ZERO).erase("C0000001");

    assertThat(certificate.rowsDeleted()).isEqualTo(1);
    assertThat(emails(load(lake))).containsExactly("bob.second@example.org");
  }

  @Test
  void aTableWithoutTheSubjectIsLeftAsItWasButForHistory() {
    DataDir dataDir = new DataDir(dir).create();
    Lake lake = dataDir.lake();
    lake.createIfAbsent(ID, SCHEMA, PartitionSpec.unpartitioned(), Map.of());
    Table table = load(lake);
    table.newAppend().appendFile(data(table, row("C0000002", "bob@example.org"))).commit();
    table.newAppend().appendFile(data(table, row("C0000003", "cyd@example.org"))).commit();
    List<String> filesBefore = dataFiles(table);

    Certificate certificate =
        new Erasure(lake, new SubjectHash(new byte[16]), Duration.ZERO).erase("C0000009");

    assertThat(certificate.rowsDeleted()).isZero();
    assertThat(certificate.tables().get(0).dataFilesRewritten()).isZero();
    assertThat(emails(load(lake))).containsExactlyInAnyOrder("bob@example.org", "cyd@example.org");
    assertThat(dataFiles(load(lake))).isEqualTo(filesBefore);
  }

  @Test
  void upsertsCommittedWhileTheErasureRunsAreKept() throws Exception {
    DataDir dataDir = new DataDir(dir).create();
    Lake lake = dataDir.lake();
    lake.createIfAbsent(ID, SCHEMA, PartitionSpec.unpartitioned(), Map.of());
    Table table = load(lake);
    for (int file = 0; file < 4; file++) {
      table
          .newAppend()
          .appendFile(
              data(
                  table,
                  row("C0000001", "ann" + file + "@example.org"),
                  row("C000000" + (file + 2), "first" + file + "@example.org")))
          .commit();
    }
    // a streaming upsert job keeps committing the other customers' new e-mails meanwhile
    Map<String, String> latest = new java.util.concurrent.ConcurrentHashMap<>();
    for (int file = 0; file < 4; file++) {
      latest.put("C000000" + (file + 2), "first" + file + "@example.org");
    }
    java.util.concurrent.atomic.AtomicBoolean erasing =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    java.util.concurrent.atomic.AtomicInteger during =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
    Thread writer =
        new Thread(
            () -> {
              Catalog own = lake.catalogLoader().loadCatalog();
              try {
                Table upserted = own.loadTable(ID);
                for (int i = 0; erasing.get() || i < 3; i++) {
                  String id = "C000000" + (2 + i % 4);
                  String email = "v" + i + "." + id + "@example.org";
                  upserted
                      .newRowDelta()
                      .addDeletes(equalityDelete(upserted, id))
                      .addRows(data(upserted, row(id, email)))
                      .commit();
                  latest.put(id, email);
                  if (erasing.get()) {
                    during.incrementAndGet();
                  }
                  started.countDown();
                  // a sink commits once per checkpoint, not in a tight loop
                  sleep(Duration.ofMillis(200));
                }
              } finally {
                Lake.closeQuietly(own);
              }
            });
    writer.start();
    started.await();

    Certificate certificate =
        new Erasure(lake, new SubjectHash(new byte[16]), Duration.ofMinutes(10)).erase("C0000001");
    erasing.set(false);
    writer.join();

    assertThat(during.get()).as("upserts committed during the erasure").isPositive();
    assertThat(certificate.rowsDeleted()).isEqualTo(4);
    assertThat(emails(load(lake))).containsExactlyInAnyOrderElementsOf(latest.values());
    assertThat(
            WarehouseScan.find(
                dataDir.warehouse(), List.of("ann0@example.org", "ann3@example.org")))
        .isEmpty();
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private Table load(Lake lake) {
    if (catalog == null) {
      catalog = lake.catalogLoader().loadCatalog();
    }
    return catalog.loadTable(ID);
  }

  private static Record row(String id, String email) {
    GenericRecord row = GenericRecord.create(SCHEMA);
    row.setField("customer_id", id);
    row.setField("email", email);
    return row;
  }

  private static DataFile data(Table table, Record... rows) {
    DataWriter<Record> writer =
        writers(table).newDataWriter(files(table).newOutputFile(), table.spec(), null);
    try (writer) {
      for (Record row : rows) {
        writer.write(row);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return writer.toDataFile();
  }

  private static DeleteFile equalityDelete(Table table, String id) {
    Schema keySchema = SCHEMA.select("customer_id");
    GenericFileWriterFactory writers =
        new GenericFileWriterFactory.Builder(table)
            .dataFileFormat(FileFormat.PARQUET)
            .equalityFieldIds(new int[] {1})
            .equalityDeleteRowSchema(keySchema)
            .build();
    EqualityDeleteWriter<Record> writer =
        writers.newEqualityDeleteWriter(files(table).newOutputFile(), table.spec(), null);
    GenericRecord key = GenericRecord.create(keySchema);
    key.setField("customer_id", id);
    try (writer) {
      writer.write(key);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return writer.toDeleteFile();
  }

  private static DeleteFile positionDelete(Table table, String dataFile, long position) {
    org.apache.iceberg.deletes.PositionDeleteWriter<Record> writer =
        writers(table).newPositionDeleteWriter(files(table).newOutputFile(), table.spec(), null);
    try (writer) {
      writer.write(
          org.apache.iceberg.deletes.PositionDelete.<Record>create().set(dataFile, position, null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return writer.toDeleteFile();
  }

  private static GenericFileWriterFactory writers(Table table) {
    return new GenericFileWriterFactory.Builder(table).dataFileFormat(FileFormat.PARQUET).build();
  }

  private static OutputFileFactory files(Table table) {
    return OutputFileFactory.builderFor(table, 1, System.nanoTime())
        .format(FileFormat.PARQUET)
        .build();
  }

  private static List<String> dataFiles(Table table) {
    List<String> files = new ArrayList<>();
    try (CloseableIterable<org.apache.iceberg.FileScanTask> tasks = table.newScan().planFiles()) {
      tasks.forEach(task -> files.add(task.file().location()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files.stream().sorted().toList();
  }

  private static List<String> emails(Table table) {
    List<String> emails = new ArrayList<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
      rows.forEach(r -> emails.add(r.getField("email").toString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return emails;
  }
}
