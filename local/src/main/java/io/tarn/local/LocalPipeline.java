package io.tarn.local;

import io.tarn.catalog.server.RestCatalogServer;
import io.tarn.cdc.CaptureProcess;
import io.tarn.jobs.JobEnvironment;
import io.tarn.jobs.LatestCheckpoint;
import io.tarn.jobs.audit.AuditJob;
import io.tarn.jobs.audit.KafkaAuditLog;
import io.tarn.jobs.config.JobConfig;
import io.tarn.jobs.lake.Lake;
import io.tarn.jobs.lineage.LineageHook;
import io.tarn.kafka.broker.KafkaBroker;
import io.tarn.schemas.audit.AuditEvent;
import io.tarn.schemas.registry.RestSchemaRegistry;
import io.tarn.schemas.registry.SchemaRegistryServer;
import io.tarn.workload.WorkloadProducer;
import io.tarn.workload.WorkloadSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline on one machine: a Kafka broker (child JVM), the schema registry, a Flink
 * MiniCluster running every job over a SQLite-backed Iceberg catalog, the Iceberg REST catalog over
 * that same catalog (child JVM) for other engines, and the workload producer. Jobs resume from
 * their newest checkpoint or savepoint, so a second run continues the first.
 */
final class LocalPipeline implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalPipeline.class);

  private final DataDir dataDir;
  private final LocalOptions options;
  private KafkaBroker broker;
  private SchemaRegistryServer registry;
  private RestCatalogServer catalogServer;
  private MiniCluster cluster;
  private JobConfig config;
  private final Map<LocalJob, JobID> jobs = new EnumMap<>(LocalJob.class);
  private CaptureProcess capture;
  private KafkaAuditLog audit;
  private JobWatch watch;
  private WorkloadProducer producer;
  private Thread producerThread;
  private volatile Throwable producerFailure;

  LocalPipeline(DataDir dataDir, LocalOptions options) {
    this.dataDir = dataDir;
    this.options = options;
  }

  JobConfig config() {
    return config;
  }

  KafkaBroker broker() {
    return broker;
  }

  SchemaRegistryServer registry() {
    return registry;
  }

  RestCatalogServer catalogServer() {
    return catalogServer;
  }

  MiniCluster cluster() {
    return cluster;
  }

  Map<LocalJob, JobID> jobs() {
    return jobs;
  }

  WorkloadProducer producer() {
    return producer;
  }

  /** Whether the producer produced every event it was asked for (never without --events). */
  boolean producerDone() {
    return producerThread != null && !producerThread.isAlive() && producerFailure == null;
  }

  Optional<Throwable> producerFailure() {
    return Optional.ofNullable(producerFailure);
  }

  void start(Progress progress) throws Exception {
    dataDir.create();
    progress.step("Starting Kafka broker");
    broker = KafkaBroker.start(dataDir.kafka());
    progress.done(broker.bootstrapServers());

    progress.step("Starting schema registry");
    registry =
        SchemaRegistryServer.start("127.0.0.1", options.registryPort(), dataDir.registryStore());
    progress.done(registry.url());

    Map<String, String> settings = new HashMap<>();
    settings.put("kafka.bootstrap.servers", broker.bootstrapServers());
    settings.put("registry.url", registry.url());
    settings.put("catalog.uri", "jdbc:sqlite:" + dataDir.catalogDb());
    settings.put("catalog.warehouse", dataDir.warehouse().toString());
    settings.put("checkpoint.interval", "5s");
    // change events from ./tarn cdc (not its _quarantine topic) are picked up within 30 s
    settings.put(
        "cdc.topic-pattern",
        options.cdc() == null ? "cdc\\.(?!_).*" : options.cdc().topicPattern());
    // silver protects PII as the shipped policy says (a --set pii.policy=... overrides it)
    Path policy =
        Path.of(System.getProperty("tarn.home", "")).resolve("deploy/policy/tarn-policy.yaml");
    if (Files.isRegularFile(policy)) {
      settings.put("pii.policy", policy.toAbsolutePath().toString());
      settings.put("pii.token-key", dataDir.piiTokenKey());
    }
    settings.put("maintenance.interval", "1m");
    settings.put("maintenance.orphan.min-age", "10m");
    settings.put("maintenance.snapshot.max-age", "10m");
    config = options.jobConfig(settings);

    // the platform's own acts go to the audit log from here on (the audit job chains them)
    AuditJob.createTopics(config, List.of(AuditEvent.TOPIC, AuditJob.TRINO_TOPIC));
    audit = new KafkaAuditLog(broker.bootstrapServers());
    registry.listen(new AuditedRegistry(audit));

    progress.step("Starting Iceberg REST catalog");
    catalogServer =
        RestCatalogServer.start(
            dataDir.restCatalog(),
            config.get(JobConfig.CATALOG_NAME),
            Lake.catalogProperties(config));
    progress.done(catalogServer.uri().toString());

    // the jobs refuse to start on missing topics: create the domain topics up front
    WorkloadProducer.createTopics(broker.bootstrapServers(), 3);

    if (options.cdc() != null) {
      // before the jobs, so the change topics exist when their sources first look
      progress.step("Starting CDC capture");
      capture = options.cdc().start(broker.bootstrapServers(), registry.url(), dataDir);
      progress.done("log: " + dataDir.root().relativize(capture.log()));
    }

    progress.step("Starting Flink MiniCluster");
    Configuration clusterConf = new Configuration();
    clusterConf.set(
        org.apache.flink.configuration.TaskManagerOptions.MANAGED_MEMORY_SIZE,
        org.apache.flink.configuration.MemorySize.parse("128m"));
    cluster =
        new MiniCluster(
            new MiniClusterConfiguration.Builder()
                .setConfiguration(clusterConf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(10)
                .build());
    cluster.start();
    progress.done("10 slots");

    for (LocalJob job : LocalJob.values()) {
      progress.step("Submitting " + job.jobName);
      Map<String, String> jobSettings = new HashMap<>(JobEnvironment.settings(config));
      jobSettings.put("execution.checkpointing.dir", "file:" + dataDir.checkpoints(job.jobName));
      jobSettings.put("pipeline.name", job.jobName);
      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.getExecutionEnvironment(Configuration.fromMap(jobSettings));
      env.setParallelism(config.get(JobConfig.PARALLELISM));
      job.graph.addTo(env, config);
      StreamGraph graph = env.getStreamGraph();
      graph.setJobName(job.jobName);
      LineageHook.attach(graph, config, job.lineage.apply(config));
      Optional<Path> restore =
          LatestCheckpoint.in(dataDir.checkpoints(job.jobName), dataDir.savepoints(job.jobName));
      restore.ifPresent(
          p ->
              graph.setSavepointRestoreSettings(
                  SavepointRestoreSettings.forPath(p.toString(), true)));
      JobID id = cluster.submitJob(graph).get().getJobID();
      jobs.put(job, id);
      audit.record(
          AuditEvent.of(
              "job:" + job.jobName,
              "job.start",
              job.jobName,
              AuditEvent.SUCCESS,
              Map.of("restored_from", restore.map(Path::toString).orElse("none"))));
      progress.done(restore.map(p -> "resumed from " + dataDir.root().relativize(p)).orElse("new"));
    }
    watch = new JobWatch(cluster, jobs, audit, new Lake(config));
    watch.start();

    if (options.rate() > 0) {
      progress.step("Starting workload producer");
      WorkloadSpec d = WorkloadSpec.defaults();
      WorkloadSpec spec =
          new WorkloadSpec(
              options.events(),
              options.rate(),
              d.duplicateFraction(),
              d.lateFraction(),
              d.maxLateness(),
              d.malformedFraction(),
              d.invalidFraction(),
              System.currentTimeMillis(),
              d.customers());
      producer =
          new WorkloadProducer(
              broker.bootstrapServers(), new RestSchemaRegistry(registry.url()), spec, Map.of());
      producerThread =
          new Thread(
              () -> {
                try {
                  producer.run(r -> {});
                } catch (Throwable t) {
                  producerFailure = t;
                }
              },
              "tarn-workload");
      producerThread.setDaemon(true);
      producerThread.start();
      progress.done(
          options.rate()
              + " events/s"
              + (options.events() < 0 ? "" : ", " + options.events() + " events in all"));
    }
  }

  JobStatus status(LocalJob job) {
    try {
      return cluster.getJobStatus(jobs.get(job)).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      return JobStatus.FAILING;
    }
  }

  /** Stops producing, then stops every job with a savepoint so the next run resumes exactly. */
  void stop(Progress progress) {
    if (watch != null) {
      watch.close();
    }
    if (producer != null) {
      progress.step("Stopping workload producer");
      producer.stop();
      try {
        producerThread.join(Duration.ofSeconds(30).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      progress.done(producer.acknowledged() + " events acknowledged");
    }
    if (capture != null) {
      progress.step("Stopping CDC capture");
      capture.close();
      progress.done(capture.state());
    }
    // the audit job last, so it takes in the other jobs' stop events before its savepoint
    List<LocalJob> order = new java.util.ArrayList<>(List.of(LocalJob.values()));
    order.remove(LocalJob.AUDIT);
    order.add(LocalJob.AUDIT);
    for (LocalJob job : order) {
      JobID id = jobs.get(job);
      if (id == null) {
        continue;
      }
      progress.step("Stopping " + job.jobName + " with a savepoint");
      JobStatus status = settledStatus(job, Duration.ofSeconds(60));
      if (status.isGloballyTerminalState()) {
        progress.done(status + " already: will resume from its last checkpoint");
        continue;
      }
      try {
        String path =
            cluster
                .stopWithSavepoint(
                    id,
                    "file:" + dataDir.savepoints(job.jobName),
                    false,
                    SavepointFormatType.CANONICAL)
                .get(2, TimeUnit.MINUTES);
        // the savepoint completes before its commits do: the sinks commit on its notification,
        // and only then does the job finish, so wait for that before anyone reads the tables
        cluster.requestJobResult(id).get(2, TimeUnit.MINUTES);
        progress.done(
            dataDir.root().relativize(Path.of(path.replaceFirst("^file:", ""))).toString());
        audit.record(
            AuditEvent.of(
                "job:" + job.jobName,
                "job.stop",
                job.jobName,
                AuditEvent.SUCCESS,
                Map.of("savepoint", path)));
      } catch (Exception e) {
        // a job left restarting would go on committing after stop returns
        cancel(id);
        progress.done(
            "failed ("
                + e.getMessage()
                + "), cancelled instead: will resume from its last checkpoint");
        audit.record(
            AuditEvent.of(
                "job:" + job.jobName,
                "job.stop",
                job.jobName,
                AuditEvent.FAILURE,
                Map.of("error", JobWatch.firstLine(String.valueOf(e.getMessage())))));
      }
    }
  }

  /** The job's status once it is no longer starting or restarting, or after {@code timeout}. */
  private JobStatus settledStatus(LocalJob job, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    JobStatus status = status(job);
    while (!status.isGloballyTerminalState()
        && status != JobStatus.RUNNING
        && System.nanoTime() < deadline) {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      status = status(job);
    }
    return status;
  }

  private void cancel(JobID id) {
    try {
      cluster.cancelJob(id).get(1, TimeUnit.MINUTES);
      cluster.requestJobResult(id).get(2, TimeUnit.MINUTES);
    } catch (Exception e) {
      LOG.warn("Cannot cancel job {}: {}", id, e.toString());
    }
  }

  @Override
  public void close() throws Exception {
    if (watch != null) {
      watch.close();
    }
    if (audit != null) {
      audit.close();
    }
    if (cluster != null) {
      cluster.closeAsync().get(1, TimeUnit.MINUTES);
    }
    if (producer != null) {
      producer.close();
    }
    if (capture != null) {
      capture.close();
    }
    if (catalogServer != null) {
      catalogServer.close();
    }
    if (registry != null) {
      registry.close();
    }
    if (broker != null) {
      broker.close();
    }
  }
}
