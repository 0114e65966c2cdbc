package io.tarn.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.jobs.lake.Lake;
import io.tarn.testing.db.PostgresServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./tarn local --cdc capture.properties}: the launcher runs the capture next to the jobs,
 * and a PostgreSQL table appears in silver with its current state, changes included.
 */
class LocalCdcIT {
  @TempDir Path dir;

  @Test
  void aCapturedTableReachesSilverThroughTheLocalPipeline() throws Exception {
    // the launcher finds cdc-capture's build output under tarn.home (the repository root)
    System.setProperty("tarn.home", Path.of("").toAbsolutePath().getParent().toString());
    try (PostgresServer postgres = PostgresServer.start()) {
      try (Connection c = postgres.connect();
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE public.items (id bigint PRIMARY KEY, name text)");
        s.execute("ALTER TABLE public.items REPLICA IDENTITY FULL");
        s.execute("INSERT INTO public.items SELECT g, 'item ' || g FROM generate_series(1, 50) g");
      }
      Path config =
          Files.writeString(
              dir.resolve("capture.properties"),
              String.join(
                  "\n",
                  "source.kind=postgres",
                  "source.host=" + postgres.host(),
                  "source.port=" + postgres.port(),
                  "source.database=" + postgres.database(),
                  "source.user=" + PostgresServer.USER,
                  "source.password=" + PostgresServer.PASSWORD,
                  "source.tables=public.items",
                  "poll.interval.ms=50",
                  ""));
      DataDir dataDir = new DataDir(dir.resolve("lake"));
      LocalOptions options =
          LocalOptions.parse(
              new String[] {
                "--data-dir", dataDir.root().toString(),
                "--rate", "0",
                "--cdc", config.toString(),
                "--set", "checkpoint.interval=1s",
                "--set", "job.parallelism=1"
              });
      Progress progress = new Progress(new PrintStream(new ByteArrayOutputStream()));
      try (LocalPipeline pipeline = new LocalPipeline(dataDir, options)) {
        pipeline.start(progress);
        try (Connection c = postgres.connect();
            Statement s = c.createStatement()) {
          s.execute("UPDATE public.items SET name = 'renamed ' || id WHERE id % 5 = 0");
          s.execute("DELETE FROM public.items WHERE id > 45");
          s.execute("INSERT INTO public.items VALUES (100, 'late')");
        }
        Map<Long, String> source = sourceRows(postgres);
        Map<Long, String> silver = Map.of();
        long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
        while (System.nanoTime() < deadline && !silver.equals(source)) {
          Thread.sleep(1_000);
          silver = silverRows(dataDir);
        }
        assertThat(silver).isEqualTo(source).hasSize(46);
        pipeline.stop(progress);
      }
      assertThat(dataDir.cdc().resolve("offsets.dat"))
          .as("the capture kept its offsets in the lake folder")
          .exists();
    }
  }

  private static Map<Long, String> sourceRows(PostgresServer postgres) throws Exception {
    Map<Long, String> rows = new TreeMap<>();
    try (Connection c = postgres.connect();
        PreparedStatement ps = c.prepareStatement("SELECT id, name FROM public.items");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        rows.put(rs.getLong(1), rs.getString(2));
      }
    }
    return rows;
  }

  private static Map<Long, String> silverRows(DataDir dataDir) {
    Map<Long, String> rows = new TreeMap<>();
    Catalog catalog = dataDir.lake().catalogLoader().loadCatalog();
    try {
      TableIdentifier id = TableIdentifier.of("silver", "public_items");
      if (!catalog.tableExists(id)) {
        return rows;
      }
      try (CloseableIterable<Record> records =
          IcebergGenerics.read(catalog.loadTable(id)).build()) {
        for (Record r : records) {
          rows.put((Long) r.getField("id"), String.valueOf(r.getField("name")));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      Lake.closeQuietly(catalog);
    }
    return rows;
  }
}
