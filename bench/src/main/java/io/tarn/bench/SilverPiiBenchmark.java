package io.tarn.bench;

import io.tarn.jobs.config.JobConfig;
import io.tarn.kafka.broker.KafkaBroker;
import io.tarn.schemas.registry.RestSchemaRegistry;
import io.tarn.schemas.registry.SchemaRegistryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The cost of silver's PII policy: the Tarn silver job over the same filled domain topics without a
 * policy and with the shipped one ({@code pii.policy} + {@code pii.token-key}: protections of the
 * annotated fields, and the detector's {@code FindingCheck} on every accepted record's unannotated
 * string columns), in the same rounds; and the same per-record work without Flink ({@link
 * QualityPath}), timed stage by stage, to say where the difference goes.
 */
public final class SilverPiiBenchmark implements Benchmark {
  static final String EVENTS = "events";
  static final String PARTITIONS = "partitions";
  static final String CHECKPOINT_INTERVAL = "checkpoint-interval";
  static final String POLICY = "policy";

  static final String SILVER = "silver";
  static final String SILVER_PII = "silver-pii";
  static final String PATH = "quality-path";
  static final String PATH_PII = "quality-path-pii";

  @Override
  public String id() {
    return "silver-pii";
  }

  @Override
  public String code() {
    return "PII-S";
  }

  @Override
  public String title() {
    return "silver throughput with the PII policy vs without";
  }

  @Override
  public String description() {
    return "The domain topics filled once by the Tarn workload generator (clean events: no"
        + " duplicates, late, malformed or invalid records), then read in full, each round, by the"
        + " Tarn silver job on a Flink MiniCluster in the harness JVM (parallelism 1, a fresh"
        + " warehouse and consumer group each time): `silver` without `pii.policy`, and"
        + " `silver-pii` with the shipped `deploy/policy/tarn-policy.yaml` and a random"
        + " `pii.token-key` (HMAC tokens and masks on the annotated fields; the PII detector on"
        + " every accepted record's unannotated string columns). The two alternate which goes"
        + " first. Their rate is the processing rate: records ÷ the span of `_processed_at` in the"
        + " silver tables (the quality operator's clock), leaving out job start-up and the wait for"
        + " the checkpoint after the last record, which no policy changes; `rate_to_commit` in the"
        + " notes includes the wait. A run ends when every record is committed to silver or"
        + " quarantine. `quality-path` and `quality-path-pii` do the quality operator's"
        + " per-record work without Flink on one thread, fed by the raw consumer: decode, quality"
        + " rules, (with the policy) the finding check, and the conversion to a silver row (where"
        + " protections apply); their notes give each stage's mean µs per record, so the"
        + " difference between the two silver rows can be traced to the detector or to the"
        + " protections.";
  }

  @Override
  public List<BenchOption> options() {
    return List.of(
        new BenchOption(EVENTS, "300000", "workload events produced once, read by every peer"),
        new BenchOption(PARTITIONS, "3", "partitions of each domain topic"),
        new BenchOption(CHECKPOINT_INTERVAL, "5s", "checkpoint = commit interval of the jobs"),
        new BenchOption(
            POLICY,
            "deploy/policy/tarn-policy.yaml",
            "policy file of the -pii peers, relative to the repository root"));
  }

  @Override
  public void run(BenchContext ctx) throws Exception {
    int partitions = ctx.options().getInt(PARTITIONS);
    Duration interval = ctx.options().getDuration(CHECKPOINT_INTERVAL);
    Path policy = Path.of(ctx.options().get(POLICY));
    if (!policy.isAbsolute()) {
      policy = BenchMain.repoRoot(Path.of("").toAbsolutePath()).resolve(policy).normalize();
    }
    if (!Files.isRegularFile(policy)) {
      throw new IllegalArgumentException("Cannot run silver-pii: no policy file " + policy);
    }
    // a fresh key each run, never printed or stored: only its presence matters to the cost
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Map<String, String> pii =
        Map.of(
            JobConfig.PII_POLICY.name(),
            policy.toString(),
            JobConfig.PII_TOKEN_KEY.name(),
            Base64.getEncoder().encodeToString(key));
    String policyName = policy.getFileName().toString();

    Peer path =
        ctx.peer(
            PATH,
            "raw consumer + the quality operator's per-record work on one thread (decode, rules,"
                + " silver row), no policy",
            null);
    Peer pathPii =
        ctx.peer(
            PATH_PII,
            "the same with " + policyName + ": finding check, then protected silver row",
            PATH);
    Peer silver =
        ctx.peer(
            SILVER,
            "Tarn `SilverJob` on a Flink MiniCluster, parallelism 1, no `pii.policy`; rate over the"
                + " span of `_processed_at`",
            null);
    Peer silverPii =
        ctx.peer(
            SILVER_PII,
            "the same job with `pii.policy` = " + policyName + " and a `pii.token-key`",
            SILVER);
    for (Peer peer : List.of(silver, silverPii)) {
      peer.setup(Peer.CHECKPOINT_INTERVAL, interval(interval));
    }

    KafkaBroker broker = ctx.startBroker();
    SchemaRegistryServer server = ctx.startRegistry();
    RestSchemaRegistry registry = ctx.closeAtEnd(new RestSchemaRegistry(server.url()));
    String bootstrap = broker.bootstrapServers();
    WorkloadFill.fill(ctx, bootstrap, registry, ctx.options().getLong(EVENTS), partitions);
    List<String> topics = WorkloadFill.topics();
    ctx.progress("starting Flink MiniCluster");
    FlinkCluster cluster = ctx.closeAtEnd(FlinkCluster.start(2));

    for (Round round : ctx.rounds()) {
      Path work = ctx.tempDir().resolve("r" + round.index());
      JobConfig plain =
          TarnSilverRun.config(
              work.resolve("plain"),
              bootstrap,
              server.url(),
              topics,
              interval,
              "bench-silver-r" + round.index(),
              Map.of());
      JobConfig withPolicy =
          TarnSilverRun.config(
              work.resolve("pii"),
              bootstrap,
              server.url(),
              topics,
              interval,
              "bench-silver-pii-r" + round.index(),
              pii);

      Measurement read =
          ctx.measure(path, round, () -> quality(bootstrap, topics, plain, registry));
      ctx.measure(pathPii, round, () -> quality(bootstrap, topics, withPolicy, registry));
      if (round.index() == 0) {
        long recordBytes = Math.round(read.bytes() / (double) read.records());
        for (Peer peer : List.of(path, pathPii, silver, silverPii)) {
          peer.setup(Peer.RECORD_BYTES, "~" + recordBytes + " (key+value)")
              .setup(Peer.PARTITIONS, partitions)
              .setup(Peer.PARALLELISM, 1);
        }
      }

      // alternate the order, so a slow minute on the shared box does not always hit the same one
      List<Peer> order =
          round.index() % 2 == 0 ? List.of(silver, silverPii) : List.of(silverPii, silver);
      for (Peer peer : order) {
        JobConfig config = peer == silver ? plain : withPolicy;
        Path jobDir = work.resolve(peer == silver ? "plain" : "pii");
        try (TarnSilverRun job = TarnSilverRun.prepare(cluster, jobDir, config)) {
          ctx.measure(peer, round, () -> job.run(read.records(), read.bytes()));
        }
      }
      BenchContext.deleteRecursively(work);
    }
  }

  private static Outcome quality(
      String bootstrap, List<String> topics, JobConfig config, RestSchemaRegistry registry) {
    QualityPath quality = new QualityPath(config, registry);
    return quality.describe(RawConsumer.readAll(bootstrap, topics, quality));
  }

  private static String interval(Duration interval) {
    return interval.toMillis() % 1000 == 0
        ? interval.toSeconds() + "s"
        : interval.toMillis() + "ms";
  }
}
