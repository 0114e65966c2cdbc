package io.tarn.trino;

import io.tarn.catalog.server.RestCatalogServer;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./tarn trino}: a local Trino over the local lake until Ctrl-C. It reads the lake through
 * an Iceberg REST catalog server of its own over the lake's SQLite catalog (Trino cannot open
 * SQLite), so it works whether {@code ./tarn local} is running or not.
 *
 * <p>The lake layout ({@code catalog.db}, {@code warehouse/}, catalog name {@code tarn}) is the one
 * of {@code io.tarn.local.DataDir}.
 */
public final class TrinoMain {
  private static final String USAGE =
      """
      Usage: ./tarn trino [--data-dir .tarn] [--access-rules rules.json] [--audit-kafka host:port]
        Start Trino over the local lake (tables tarn.bronze.*, tarn.silver.*, tarn.gold.*) until Ctrl-C.
        --access-rules: enforce Trino file-based access control rules, e.g. those of
          ./tarn access render --policy deploy/policy/tarn-policy.yaml > rules.json
          (without it every user may read and write everything).
        --audit-kafka: publish every completed query to the audit table through this Kafka
          (the broker ./tarn local prints); its audit job chains them into audit.events.
        Trino needs Java 24+: set TARN_TRINO_JAVA to its home if it is not under /usr/lib/jvm.
      """;

  /** The Iceberg catalog name the local jobs write under (JobConfig's catalog.name default). */
  static final String LAKE_CATALOG = "tarn";

  private TrinoMain() {}

  public static void main(String[] args) throws InterruptedException {
    Path dataDir = Path.of(".tarn");
    AccessControl accessControl = null;
    QueryAudit queryAudit = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--data-dir") && i + 1 < args.length) {
        dataDir = Path.of(args[++i]);
      } else if (args[i].equals("--access-rules") && i + 1 < args.length) {
        accessControl = AccessControl.file(Path.of(args[++i]));
      } else if (args[i].equals("--audit-kafka") && i + 1 < args.length) {
        queryAudit = QueryAudit.to(args[++i]);
      } else if (args[i].equals("--help") || args[i].equals("-h")) {
        System.out.print(USAGE);
        return;
      } else {
        System.err.println("Cannot start Trino: unknown argument " + args[i] + "\n");
        System.err.print(USAGE);
        System.exit(2);
      }
    }
    Path root = dataDir.toAbsolutePath().normalize();
    if (!Files.isRegularFile(root.resolve("catalog.db"))) {
      System.err.println(
          "Cannot start Trino: no lake at "
              + root
              + " (run ./tarn local first, or pass --data-dir)");
      System.exit(2);
    }
    try {
      run(root, accessControl, queryAudit, System.out);
    } catch (IllegalStateException | IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(1);
    }
  }

  /**
   * Records the rules in force as a {@code policy.change} if they differ from the last recorded,
   * then checks again every 10 s: Trino re-reads the file while it runs.
   */
  private static void watchPolicy(
      AccessControl accessControl, QueryAudit queryAudit, Path lastHash, PrintStream out) {
    PolicyAudit policy = new PolicyAudit(accessControl.rulesFile(), lastHash);
    Runnable check =
        () ->
            policy
                .check()
                .ifPresent(
                    change -> {
                      PolicyAudit.publish(queryAudit.bootstrapServers(), change);
                      policy.recorded(change);
                      out.println(
                          "  Policy:  recorded change of "
                              + change.target()
                              + " (sha256 "
                              + change.details().get("sha256")
                              + ")");
                    });
    check.run();
    java.util.concurrent.ScheduledExecutorService timer =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "tarn-policy-audit");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(
        () -> {
          try {
            check.run();
          } catch (RuntimeException e) {
            // the next check retries: the hash is remembered only once published
            out.println("  Policy:  " + e.getMessage());
          }
        },
        10,
        10,
        java.util.concurrent.TimeUnit.SECONDS);
  }

  private static void run(
      Path root, AccessControl accessControl, QueryAudit queryAudit, PrintStream out)
      throws InterruptedException {
    String warehouse = "file:" + root.resolve("warehouse");
    Map<String, String> lake =
        Map.of(
            "uri",
            "jdbc:sqlite:" + root.resolve("catalog.db"),
            "warehouse",
            warehouse,
            "jdbc.schema-version",
            "V1");
    out.println("Starting Trino " + TrinoServer.version() + " over the lake in " + root + " ...");
    long started = System.nanoTime();
    try (RestCatalogServer rest =
            RestCatalogServer.start(root.resolve("trino/rest-catalog"), LAKE_CATALOG, lake);
        TrinoServer trino =
            TrinoServer.start(
                root.resolve("trino/server"),
                List.of(
                    TrinoCatalog.iceberg(
                        LAKE_CATALOG,
                        LAKE_CATALOG,
                        Map.of(
                            "uri", rest.uri().toString(),
                            "token", rest.token(),
                            "warehouse", warehouse))),
                accessControl,
                queryAudit)) {
      long seconds = (System.nanoTime() - started) / 1_000_000_000L;
      out.printf(
          "Trino is ready (%d s): catalog '%s' holds bronze, silver, gold%n%n",
          seconds, LAKE_CATALOG);
      out.println(
          "  CLI:     java -jar "
              + cliJar()
              + " --server "
              + trino.uri()
              + " --catalog "
              + LAKE_CATALOG);
      out.println(
          "  JDBC:    "
              + trino.jdbcUrl()
              + "/"
              + LAKE_CATALOG
              + (accessControl == null
                  ? "  (any user name, no password)"
                  : "  (users of the rules " + accessControl.rulesFile() + ", no password)"));
      out.println("  Web UI:  " + trino.uri() + "/ui/");
      out.println(
          "  Try:     SELECT * FROM gold.revenue_per_category_minute ORDER BY window_start DESC LIMIT 10;");
      out.println(
          "           SELECT snapshot_id FROM gold.\"revenue_per_category_minute$snapshots\";  -- then FOR VERSION AS OF <id>");
      out.println("  Logs:    " + trino.dataDir().resolve("server.log"));
      if (queryAudit != null) {
        out.println("  Audit:   every query to " + queryAudit.topic() + " (audit.events)");
        if (accessControl != null) {
          watchPolicy(accessControl, queryAudit, root.resolve("trino/policy.sha256"), out);
        }
      }
      out.println("Stop:      Ctrl-C");
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    out.println("\nStopping Trino and the REST catalog ...");
                    trino.close();
                    rest.close();
                    stopped.countDown();
                  }));
      stopped.await();
    }
  }

  /** The CLI jar the build copied next to the module's jar (Maven Central's trino-cli). */
  private static Path cliJar() {
    Path cli =
        TrinoServer.home().resolveSibling("trino-cli-" + TrinoServer.version() + "-executable.jar");
    Path relative = Path.of("").toAbsolutePath().relativize(cli);
    return relative.startsWith("..") ? cli : relative;
  }
}
