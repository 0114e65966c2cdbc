package io.tarn.bench;

import io.tarn.catalog.server.RestCatalogServer;
import io.tarn.jobs.lake.Lake;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;

/**
 * B9: the Iceberg REST catalog of the embedded default (a child JVM over the SQLite JDBC catalog)
 * answering {@code loadTable} and {@code listTables} to 1, 100 and 1000 concurrent clients, beside
 * the same calls on the JDBC catalog in-process (no HTTP, one caller), same run, same file.
 */
public final class CatalogBenchmark implements Benchmark {
  static final String CLIENTS = "clients";
  static final String REQUESTS = "requests";
  static final String TABLES = "tables";
  static final String SNAPSHOTS = "snapshots";

  static final String NAMESPACE = "bench";
  static final String CATALOG_PROCESS = "catalog";

  @Override
  public String id() {
    return "catalog";
  }

  @Override
  public String code() {
    return "B9";
  }

  @Override
  public String title() {
    return "REST catalog loadTable/listTables latency at 1/100/1000 clients";
  }

  @Override
  public String description() {
    return "Tarn's Iceberg REST catalog (`RestCatalogServer`: a child JVM running Iceberg's"
        + " `RESTCatalogServlet` on Jetty, 16 request threads, over the SQLite JDBC catalog) and"
        + " `--tables` tables of `--snapshots` snapshots each (metadata-only appends). Peers"
        + " `rest-<op>-c<N>`: N concurrent clients (platform threads sharing one JDK HttpClient,"
        + " a connection each) sending `GET /v1/namespaces/bench/tables/<t>` (loadTable) or `GET"
        + " /v1/namespaces/bench/tables` (listTables) with a bearer token, each request timed"
        + " send to last byte; `jdbc-<op>` is the same call on the JDBC catalog in the harness"
        + " JVM (no HTTP, one caller), the floor the REST rates are divided by. Goal: p99 < 50 ms."
        + " On 2 shared cores, 1000 clients mostly measure queueing: latency ≈ clients ÷"
        + " throughput.";
  }

  @Override
  public List<BenchOption> options() {
    return List.of(
        new BenchOption(CLIENTS, "1,100,1000", "concurrent client counts, comma-separated"),
        new BenchOption(REQUESTS, "3000", "requests per measurement (at least 2 per client)"),
        new BenchOption(TABLES, "20", "tables in the namespace"),
        new BenchOption(SNAPSHOTS, "10", "snapshots per table"));
  }

  @Override
  public void run(BenchContext ctx) throws Exception {
    int tables = ctx.options().getInt(TABLES);
    int requests = ctx.options().getInt(REQUESTS);
    List<Integer> clientCounts =
        Arrays.stream(ctx.options().get(CLIENTS).split(","))
            .map(String::strip)
            .map(Integer::parseInt)
            .toList();

    Map<String, String> props =
        Map.of(
            "uri", "jdbc:sqlite:" + ctx.tempDir().resolve("catalog.db"),
            "warehouse", "file:" + ctx.tempDir().resolve("warehouse"),
            "jdbc.schema-version", "V1");
    Catalog jdbc = new Lake("tarn", props).catalogLoader().loadCatalog();
    ctx.closeAtEnd(() -> Lake.closeQuietly(jdbc));
    List<TableIdentifier> ids = createTables(ctx, jdbc, tables, ctx.options().getInt(SNAPSHOTS));

    ctx.progress("starting Iceberg REST catalog");
    RestCatalogServer server =
        ctx.closeAtEnd(
            RestCatalogServer.start(ctx.tempDir().resolve("rest-catalog"), "tarn", props));
    ctx.trackProcess(CATALOG_PROCESS, server.pid());
    ctx.progress("Iceberg REST catalog %s ready (pid %d)", server.uri(), server.pid());
    CatalogLoad load = new CatalogLoad(server.token());
    URI tablesUri = server.uri().resolve("v1/namespaces/" + NAMESPACE + "/tables");
    List<URI> tableUris =
        ids.stream()
            .map(id -> server.uri().resolve(tablesUri.getPath() + "/" + id.name()))
            .toList();

    Peer jdbcLoad = ctx.peer("jdbc-loadTable", "`JdbcCatalog.loadTable` in-process", null);
    Peer jdbcList = ctx.peer("jdbc-listTables", "`JdbcCatalog.listTables` in-process", null);
    List<Peer> restLoads = new ArrayList<>();
    List<Peer> restLists = new ArrayList<>();
    for (int clients : clientCounts) {
      restLoads.add(
          ctx.peer(
                  "rest-loadTable-c" + clients,
                  clients + " clients, `GET .../tables/<t>`, tables round-robin",
                  jdbcLoad.name())
              .setup(Peer.PARALLELISM, clients));
      restLists.add(
          ctx.peer(
                  "rest-listTables-c" + clients,
                  clients + " clients, `GET .../tables`",
                  jdbcList.name())
              .setup(Peer.PARALLELISM, clients));
    }

    int directCalls = Math.min(requests, 1000);
    for (Round round : ctx.rounds()) {
      ctx.measure(
          jdbcLoad, round, () -> direct(directCalls, i -> jdbc.loadTable(ids.get(i % tables))));
      ctx.measure(
          jdbcList,
          round,
          () -> direct(directCalls, i -> jdbc.listTables(Namespace.of(NAMESPACE))));
      for (int c = 0; c < clientCounts.size(); c += 1) {
        int clients = clientCounts.get(c);
        int perClient = Math.max(2, requests / clients);
        ctx.measure(
            restLoads.get(c),
            round,
            () -> load.run(clients, perClient, i -> tableUris.get(i % tables)));
        ctx.measure(restLists.get(c), round, () -> load.run(clients, perClient, i -> tablesUri));
      }
    }
  }

  private static List<TableIdentifier> createTables(
      BenchContext ctx, Catalog catalog, int tables, int snapshots) {
    ctx.progress("creating %d tables of %d snapshots", tables, snapshots);
    ((SupportsNamespaces) catalog).createNamespace(Namespace.of(NAMESPACE));
    Schema schema =
        new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "payload", Types.StringType.get()),
            Types.NestedField.optional(3, "event_time", Types.TimestampType.withZone()));
    List<TableIdentifier> ids = new ArrayList<>();
    for (int t = 0; t < tables; t += 1) {
      TableIdentifier id = TableIdentifier.of(NAMESPACE, "table_" + t);
      Table table =
          catalog.createTable(id, schema, PartitionSpec.unpartitioned(), Lake.TABLE_PROPERTIES);
      for (int s = 0; s < snapshots; s += 1) {
        // metadata-only appends: loadTable reads metadata, never these (absent) data files
        table
            .newFastAppend()
            .appendFile(
                DataFiles.builder(table.spec())
                    .withPath(table.location() + "/data/" + s + ".parquet")
                    .withFormat(FileFormat.PARQUET)
                    .withFileSizeInBytes(1_000_000)
                    .withRecordCount(10_000)
                    .build())
            .commit();
      }
      ids.add(id);
    }
    return ids;
  }

  /** {@code calls} calls of {@code call} in this thread, each timed. */
  private static Outcome direct(int calls, java.util.function.IntConsumer call) {
    Histogram micros = Latency.newMicrosHistogram();
    long start = System.nanoTime();
    for (int i = 0; i < calls; i += 1) {
      long t = System.nanoTime();
      call.accept(i);
      micros.recordValue(Math.max(1, (System.nanoTime() - t) / 1000));
    }
    return Outcome.of(calls, 0)
        .withOwnElapsed(Duration.ofNanos(System.nanoTime() - start))
        .withLatency(Latency.ofMicros("call", micros))
        .with("clients", 1);
  }
}
