package io.tarn.jobs.audit;

import io.tarn.jobs.lake.Lake;
import io.tarn.schemas.audit.AuditEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.io.CloseableIterable;

/** Reads {@code audit.events} back into {@link AuditRecord}s, as stored (no check). */
public final class AuditTableReader {
  private AuditTableReader() {}

  /** Every record of the lake's audit table; empty when the audit job never wrote one. */
  public static List<AuditRecord> read(Lake lake) {
    return read(lake.catalogLoader());
  }

  public static List<AuditRecord> read(org.apache.iceberg.flink.CatalogLoader loader) {
    Catalog catalog = loader.loadCatalog();
    try {
      return read(catalog.loadTable(AuditTable.ID));
    } catch (NoSuchTableException absent) {
      return List.of();
    } finally {
      Lake.closeQuietly(catalog);
    }
  }

  /** The record with the highest seq, or null when there is none (or no table yet). */
  public static AuditRecord last(org.apache.iceberg.flink.CatalogLoader loader) {
    Catalog catalog = loader.loadCatalog();
    try {
      AuditRecord last = null;
      for (AuditRecord r : read(catalog.loadTable(AuditTable.ID))) {
        if (last == null || r.seq() > last.seq()) {
          last = r;
        }
      }
      return last;
    } catch (NoSuchTableException absent) {
      return null;
    } finally {
      Lake.closeQuietly(catalog);
    }
  }

  public static List<AuditRecord> read(Table table) {
    List<AuditRecord> records = new ArrayList<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
      for (Record row : rows) {
        records.add(toRecord(row));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + table.name(), e);
    }
    return records;
  }

  static AuditRecord toRecord(Record row) {
    Map<String, String> details = new TreeMap<>();
    Map<?, ?> stored = (Map<?, ?>) row.getField("details");
    if (stored != null) {
      stored.forEach((k, v) -> details.put(String.valueOf(k), String.valueOf(v)));
    }
    AuditEvent event;
    String problem = null;
    try {
      event =
          new AuditEvent(
              (String) row.getField("event_id"),
              ((OffsetDateTime) row.getField("time")).toInstant(),
              (String) row.getField("actor"),
              (String) row.getField("action"),
              (String) row.getField("target"),
              (String) row.getField("outcome"),
              details);
    } catch (IllegalArgumentException | NullPointerException e) {
      event = null;
      problem = e.getMessage();
    }
    return new AuditRecord(
        (Long) row.getField("seq"),
        event,
        (String) row.getField("prev_hash"),
        (String) row.getField("hash"),
        problem);
  }
}
