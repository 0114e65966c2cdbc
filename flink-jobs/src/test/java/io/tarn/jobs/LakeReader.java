package io.tarn.jobs;

import io.tarn.jobs.lake.Lake;
import io.tarn.jobs.lake.TableNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/** Reads whole tables of a test lake (deletes applied) for comparing with what was produced. */
public final class LakeReader {
  private final Lake lake;

  public LakeReader(Lake lake) {
    this.lake = lake;
  }

  public List<Record> rows(String zone, String table) {
    Catalog catalog = lake.catalogLoader().loadCatalog();
    try {
      if (!catalog.tableExists(TableNames.of(zone, table))) {
        return List.of();
      }
      Table t = catalog.loadTable(TableNames.of(zone, table));
      List<Record> rows = new ArrayList<>();
      try (CloseableIterable<Record> records = IcebergGenerics.read(t).build()) {
        records.forEach(r -> rows.add(r.copy()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return rows;
    } finally {
      Lake.closeQuietly(catalog);
    }
  }

  public Table table(String zone, String table) {
    Catalog catalog = lake.catalogLoader().loadCatalog();
    try {
      return catalog.loadTable(TableNames.of(zone, table));
    } finally {
      Lake.closeQuietly(catalog);
    }
  }
}
