package io.tarn.local;

import io.tarn.jobs.lake.Lake;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/** What is in the lake: every table with its zone, rows, files, size and last commit. */
final class LakeTables {
  record Stats(
      String zone,
      String table,
      String owner,
      String classification,
      long rows,
      long records,
      long dataFiles,
      long deleteFiles,
      long bytes,
      Instant lastCommit,
      Instant newestData) {
    String name() {
      return zone + "." + table;
    }
  }

  private LakeTables() {}

  /**
   * Reads table statistics from snapshot summaries; with {@code exact}, tables that have delete
   * files are scanned so {@code rows} counts live rows, not written records.
   */
  static List<Stats> read(Lake lake, boolean exact) {
    Catalog catalog = lake.catalogLoader().loadCatalog();
    try {
      List<Stats> stats = new ArrayList<>();
      for (String zone : Lake.ZONES) {
        List<TableIdentifier> ids;
        try {
          ids = catalog.listTables(Namespace.of(zone));
        } catch (NoSuchNamespaceException absent) {
          continue;
        }
        for (TableIdentifier id :
            ids.stream().sorted((a, b) -> a.name().compareTo(b.name())).toList()) {
          stats.add(statsOf(zone, catalog.loadTable(id), exact));
        }
      }
      return stats;
    } finally {
      Lake.closeQuietly(catalog);
    }
  }

  private static Stats statsOf(String zone, Table table, boolean exact) {
    Snapshot snapshot = table.currentSnapshot();
    if (snapshot == null) {
      return new Stats(
          zone,
          table.name().substring(table.name().lastIndexOf('.') + 1),
          table.properties().getOrDefault("tarn.owner", "-"),
          table.properties().getOrDefault("tarn.classification", "-"),
          0,
          0,
          0,
          0,
          0,
          null,
          null);
    }
    Map<String, String> summary = snapshot.summary();
    long records = number(summary, "total-records");
    long deleteFiles = number(summary, "total-delete-files");
    long rows = records;
    if (deleteFiles > 0 && exact) {
      rows = count(table);
    }
    return new Stats(
        zone,
        table.name().substring(table.name().lastIndexOf('.') + 1),
        table.properties().getOrDefault("tarn.owner", "-"),
        table.properties().getOrDefault("tarn.classification", "-"),
        rows,
        records,
        number(summary, "total-data-files"),
        deleteFiles,
        number(summary, "total-files-size"),
        Instant.ofEpochMilli(snapshot.timestampMillis()),
        newestData(table, snapshot));
  }

  /**
   * The newest produced-at time among the rows the current snapshot added, from the column upper
   * bounds in its manifest (no data file is read): {@code kafka_timestamp} in bronze, {@code
   * event_time} elsewhere. Now minus this is the zone's end-to-end freshness while data flows.
   */
  private static Instant newestData(Table table, Snapshot snapshot) {
    Types.NestedField field = table.schema().findField("kafka_timestamp");
    if (field == null) {
      field = table.schema().findField("event_time");
    }
    if (field == null || field.type().typeId() != Type.TypeID.TIMESTAMP) {
      return null;
    }
    long newest = Long.MIN_VALUE;
    for (DataFile file : snapshot.addedDataFiles(table.io())) {
      ByteBuffer bound =
          file.upperBounds() == null ? null : file.upperBounds().get(field.fieldId());
      if (bound != null) {
        newest = Math.max(newest, (Long) Conversions.fromByteBuffer(field.type(), bound));
      }
    }
    return newest == Long.MIN_VALUE ? null : Instant.EPOCH.plus(newest, ChronoUnit.MICROS);
  }

  private static long count(Table table) {
    long n = 0;
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).select().build()) {
      for (Record ignored : records) {
        n++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return n;
  }

  private static long number(Map<String, String> summary, String key) {
    String value = summary.get(key);
    return value == null ? 0 : Long.parseLong(value);
  }

  static String format(List<Stats> stats) {
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {
          "table",
          "zone",
          "owner",
          "classification",
          "rows",
          "data files",
          "delete files",
          "size",
          "last commit"
        });
    DateTimeFormatter time =
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
    for (Stats s : stats) {
      rows.add(
          new String[] {
            s.name(),
            s.zone(),
            s.owner(),
            s.classification(),
            String.format("%,d", s.rows()),
            String.format("%,d", s.dataFiles()),
            String.format("%,d", s.deleteFiles()),
            humanBytes(s.bytes()),
            s.lastCommit() == null ? "-" : time.format(s.lastCommit())
          });
    }
    return TextTable.render(rows);
  }

  static String humanBytes(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format("%.1f %s", value, units[unit]);
  }
}
