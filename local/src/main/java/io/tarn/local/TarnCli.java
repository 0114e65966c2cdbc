package io.tarn.local;

import io.tarn.jobs.audit.AuditTableReader;
import io.tarn.jobs.audit.AuditVerifier;
import io.tarn.jobs.config.ConfigException;
import io.tarn.jobs.config.JobConfig;
import io.tarn.jobs.lake.BucketSetup;
import io.tarn.jobs.lineage.LineageGraph;
import io.tarn.jobs.lineage.LineageTable;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;

/** The {@code ./tarn} command: {@code local}, {@code sql}, {@code tables}, {@code config}. */
public final class TarnCli {
  private static final String USAGE =
      """
      Usage:
        ./tarn local [--duration 60s] [--rate 200] [--events n] [--data-dir .tarn] [--set key=value]...
                     [--config file] [--cdc capture.properties] [--with-trino]
            Run the whole pipeline on this machine until Ctrl-C or --duration; a second run resumes.
            --events produces n events, then stops once bronze holds them all.
            --with-trino also starts Trino (Java 24+) over the lake, as ./tarn trino does.
            --cdc also captures a PostgreSQL or MariaDB database into it (cdc-capture/README.md).
        ./tarn sql "SELECT ..." [--data-dir .tarn]
            Run Flink SQL (batch) over the lake; tables are bronze.*, silver.*, gold.*.
        ./tarn tables [--data-dir .tarn]
            List every table with its zone, owner, classification, rows, files, size and last commit.
        ./tarn lineage <table> [--data-dir .tarn]
            Upstream and downstream of a table or topic (e.g. silver.orders), and where each of its
            columns comes from, from the jobs' OpenLineage events in ops.lineage.
        ./tarn erase --subject <customer id> [--data-dir .tarn] [--bootstrap host:port]
                     [--orphan-min-age 10m]
            Erase a customer's records from every table so no file holds them, print a certificate
            and keep it under <data dir>/erasures/; --bootstrap also publishes the audit event.
        ./tarn config
            Print the configuration reference.
        ./tarn s3 setup --config tarn.properties [--key value]...
            Create the s3:// warehouse bucket and its zone folders, lifecycle rules and default
            encryption; safe to run again (see flink-jobs/README-s3.md).
        ./tarn cdc --config capture.properties [--key value]...
            Capture a PostgreSQL or MariaDB database into Kafka (see cdc-capture/README.md).
        ./tarn trino [--data-dir .tarn]
            Start Trino (Java 24+) over the lake until Ctrl-C (see trino/README.md).
        ./tarn audit verify [--data-dir .tarn]
            Recompute the audit table's hash chain: OK with the count, or the first broken seq
            and why (exit 1).
        ./tarn pii detect|corpus|score ...   ./tarn access check|render|explain ...
            PII detection and the access policy rendered for Trino (see governance/README.md).
        ./tarn bench <id> [options]
            Run a benchmark (see bench/README.md).
      """;

  private TarnCli() {}

  public static void main(String[] args) {
    PrintStream out = System.out;
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
      out.print(USAGE);
      return;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    try {
      switch (args[0]) {
        case "local" -> runLocal(LocalOptions.parse(rest), out);
        case "sql" -> runSql(rest);
        case "tables" -> {
          DataDir dataDir = dataDirOf(rest, List.of());
          requireLake(dataDir);
          out.print(LakeTables.format(LakeTables.read(dataDir.lake(), true)));
        }
        case "lineage" -> runLineage(rest, out);
        case "config" -> out.println(JobConfig.reference());
        case "audit" -> {
          if (rest.length == 0 || !rest[0].equals("verify")) {
            throw new ConfigException(
                "Cannot run tarn audit: expected 'verify [--data-dir dir]', e.g. ./tarn audit"
                    + " verify");
          }
          DataDir dataDir = dataDirOf(Arrays.copyOfRange(rest, 1, rest.length), List.of());
          requireLake(dataDir);
          AuditVerifier.Result result = AuditVerifier.verify(AuditTableReader.read(dataDir.lake()));
          out.println(result);
          System.exit(result.ok() ? 0 : 1);
        }
        case "erase" -> EraseCommand.run(EraseCommand.Options.parse(rest), out);
        case "s3" -> runS3(rest, out);
        default -> {
          System.err.println("Unknown command '" + args[0] + "'.\n");
          System.err.print(USAGE);
          System.exit(2);
        }
      }
      System.exit(0);
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      System.exit(2);
    } catch (Exception e) {
      System.err.println("tarn " + args[0] + " failed: " + e);
      e.printStackTrace();
      System.exit(1);
    }
  }

  private static void runS3(String[] args, PrintStream out) {
    if (args.length == 0 || !args[0].equals("setup")) {
      throw new ConfigException(
          "Cannot run tarn s3: expected 'setup --config <file>', e.g. ./tarn s3 setup --config"
              + " tarn.properties");
    }
    JobConfig config = JobConfig.fromArgs(Arrays.copyOfRange(args, 1, args.length));
    new BucketSetup(config).apply().forEach(out::println);
  }

  private static void runSql(String[] args) {
    List<String> positional = new ArrayList<>();
    DataDir dataDir = dataDirOf(args, positional);
    if (positional.size() != 1) {
      throw new ConfigException(
          "Cannot run SQL: expected one quoted statement, e.g. ./tarn sql \"SELECT 1\"");
    }
    requireLake(dataDir);
    SqlShell.run(dataDir, positional.get(0));
  }

  private static void runLineage(String[] args, PrintStream out) {
    List<String> positional = new ArrayList<>();
    DataDir dataDir = dataDirOf(args, positional);
    if (positional.size() != 1) {
      throw new ConfigException(
          "Cannot show lineage: expected one table or topic, e.g. ./tarn lineage silver.orders");
    }
    requireLake(dataDir);
    out.print(lineage(dataDir, positional.get(0)));
  }

  /** What {@code ./tarn lineage <dataset>} prints, from the lake's {@code ops.lineage}. */
  static String lineage(DataDir dataDir, String dataset) {
    LineageGraph graph = new LineageGraph(LineageTable.read(dataDir.lake()));
    if (!graph.knows(dataset)) {
      throw new ConfigException(
          "Cannot show lineage of %s: no job reported it (known: %s)",
          dataset, graph.datasets().isEmpty() ? "none yet" : String.join(", ", graph.datasets()));
    }
    return graph.render(dataset);
  }

  private static DataDir dataDirOf(String[] args, List<String> positional) {
    Path dir = Path.of(".tarn");
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--data-dir") && i + 1 < args.length) {
        dir = Path.of(args[++i]);
      } else if (args[i].startsWith("--")) {
        throw new ConfigException("Cannot run: unknown option %s (expected --data-dir)", args[i]);
      } else {
        positional.add(args[i]);
      }
    }
    return new DataDir(dir);
  }

  private static void requireLake(DataDir dataDir) {
    if (!dataDir.exists()) {
      throw new ConfigException(
          "Cannot open the lake: no catalog at %s (run ./tarn local first, or pass --data-dir)",
          dataDir.catalogDb());
    }
  }

  /** Whether bronze committed, in this run, at least every acknowledged event (one row each). */
  private static boolean bronzeHoldsAll(StatusLine status, long acknowledged) {
    long bronze =
        status.committedThisRun().entrySet().stream()
            .filter(e -> e.getKey().startsWith("bronze."))
            .mapToLong(Map.Entry::getValue)
            .sum();
    return bronze >= acknowledged;
  }

  private static void runLocal(LocalOptions options, PrintStream out) throws Exception {
    DataDir dataDir = new DataDir(options.dataDir());
    out.println(
        "Tarn local pipeline in " + dataDir.root() + (dataDir.exists() ? " (resuming)" : ""));
    Progress progress = new Progress(out);
    CountDownLatch stop = new CountDownLatch(1);
    Signal.handle(new Signal("INT"), s -> stop.countDown());
    Signal.handle(new Signal("TERM"), s -> stop.countDown());
    Map<String, Long> recordsAtStart = StatusLine.records(dataDir);
    LocalTrino trino = null;
    try (LocalPipeline pipeline = new LocalPipeline(dataDir, options)) {
      pipeline.start(progress);
      if (options.withTrino()) {
        progress.step("Starting Trino (Java 24+)");
        trino = LocalTrino.start(dataDir, pipeline.broker().bootstrapServers());
        progress.done("log: " + dataDir.root().relativize(trino.out()));
      }
      out.println();
      if (trino != null) {
        out.println(
            "Trino over the lake (catalog tarn: tarn.bronze.*, tarn.silver.*, tarn.gold.*):");
        trino.connectionLines().forEach(out::println);
        out.println();
      }
      out.println(
          "Query while it runs:  ./tarn sql \"SELECT * FROM gold.revenue_per_category_minute\"");
      out.println("Tables:               ./tarn tables");
      out.println(
          "Iceberg REST catalog: "
              + pipeline.catalogServer().uri()
              + " (token in "
              + pipeline.catalogServer().tokenFile()
              + ")");
      if (options.cdc() == null) {
        out.println(
            "Capture a database:   ./tarn cdc --config capture.properties --kafka.bootstrap.servers "
                + pipeline.broker().bootstrapServers()
                + " --registry.url "
                + pipeline.registry().url());
      }
      out.println(
          "Trino, audited:       ./tarn trino --audit-kafka "
              + pipeline.broker().bootstrapServers());
      out.println("Audit chain:          ./tarn audit verify");
      out.println(
          "Stop:                 Ctrl-C"
              + (options.duration() == null
                  ? ""
                  : " (or wait " + options.duration().toSeconds() + " s)")
              + (options.events() < 0
                  ? ""
                  : " (or wait until bronze holds all " + options.events() + " events)"));
      out.println();
      StatusLine status = new StatusLine(pipeline, dataDir.lake(), out, recordsAtStart);
      // no --duration: a deadline far enough, yet in milliseconds' range (Instant.MAX is not)
      Instant deadline =
          Instant.now()
              .plus(options.duration() == null ? Duration.ofDays(36500) : options.duration());
      Map<String, Long> beforeStop;
      // a bounded run (--events) looks every second whether bronze holds everything
      long tick = options.events() < 0 ? 5000 : 1000;
      long lastPrint = System.nanoTime();
      while (true) {
        long waitMillis =
            Math.min(tick, Math.max(0, Duration.between(Instant.now(), deadline).toMillis()));
        if (stop.await(waitMillis, TimeUnit.MILLISECONDS) || !Instant.now().isBefore(deadline)) {
          break;
        }
        if (System.nanoTime() - lastPrint >= TimeUnit.MILLISECONDS.toNanos(4900)) {
          status.print();
          lastPrint = System.nanoTime();
        }
        if (pipeline.producerFailure().isPresent()) {
          out.println("Workload producer failed: " + pipeline.producerFailure().get().getMessage());
          break;
        }
        if (pipeline.producerDone() && bronzeHoldsAll(status, pipeline.producer().acknowledged())) {
          out.printf("Bronze holds all %,d events produced%n", pipeline.producer().acknowledged());
          break;
        }
      }
      out.println();
      out.println("Stopping:");
      if (trino != null) {
        progress.step("Stopping Trino");
        trino.close();
        trino = null;
        progress.done("stopped");
      }
      pipeline.stop(progress);
      beforeStop = status.committedThisRun();
      out.println();
      out.println("Summary of this run");
      long produced = pipeline.producer() == null ? 0 : pipeline.producer().acknowledged();
      out.printf("  events produced: %,d%n%n", produced);
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"table", "rows committed this run"});
      beforeStop.forEach((table, n) -> rows.add(new String[] {table, String.format("%,d", n)}));
      out.print(TextTable.render(rows));
      out.println();
      out.print(LakeTables.format(LakeTables.read(dataDir.lake(), true)));
    } finally {
      if (trino != null) {
        trino.close();
      }
    }
  }
}
