package io.tarn.jobs.config;

import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The typed configuration of Tarn's Flink jobs, validated in one place at startup.
 *
 * <p>Values come from a properties file ({@code --config tarn.properties}) and {@code --key value}
 * arguments, arguments winning. Unknown keys, missing required keys and values that do not parse
 * fail before any job is built, with a message naming the key and where it came from. Keys under
 * {@code kafka.properties.} and {@code catalog.properties.} pass through to the Kafka clients and
 * the Iceberg catalog.
 */
public final class JobConfig implements Serializable {
  public static final String KAFKA_PASSTHROUGH = "kafka.properties.";
  public static final String CATALOG_PASSTHROUGH = "catalog.properties.";

  public static final ConfigKey<String> KAFKA_BOOTSTRAP =
      ConfigKey.required(
          "kafka.bootstrap.servers", Parsers.HOST_PORTS, "Kafka brokers, host:port[,host:port].");
  public static final ConfigKey<List<String>> KAFKA_TOPICS =
      ConfigKey.optional(
          "kafka.topics",
          Parsers.LIST,
          "shop.customers,shop.orders,shop.order_items,shop.payments,shop.clickstream",
          "Topics to ingest; each lands in bronze.<table> (the topic without its prefix).");
  public static final ConfigKey<String> CDC_TOPIC_PATTERN =
      ConfigKey.optional(
          "cdc.topic-pattern",
          s -> {
            java.util.regex.Pattern.compile(s);
            return s;
          },
          "",
          "Regex of change-event topics from cdc-capture (e.g. cdc\\..*); each lands in"
              + " bronze.<db>_<table> and, as the current state of the source table, in"
              + " silver.<db>_<table>. Empty: no CDC.");
  public static final ConfigKey<String> KAFKA_GROUP_PREFIX =
      ConfigKey.optional(
          "kafka.group.prefix",
          Parsers.STRING,
          "tarn",
          "Consumer group prefix; each job appends its name. Offsets live in Flink checkpoints.");
  public static final ConfigKey<String> REGISTRY_URL =
      ConfigKey.required(
          "registry.url",
          Parsers.HTTP_URL,
          "Confluent-compatible schema registry (Confluent SR, Apicurio ccompat, Karapace, Tarn's"
              + " embedded one).");
  public static final ConfigKey<String> REGISTRY_AUTH =
      ConfigKey.secret("registry.basic.auth.user.info", "user:password for the schema registry.");
  public static final ConfigKey<String> CATALOG_NAME =
      ConfigKey.optional("catalog.name", Parsers.STRING, "tarn", "Iceberg catalog name.");
  public static final ConfigKey<String> CATALOG_URI =
      ConfigKey.required(
          "catalog.uri",
          Parsers.CATALOG_JDBC_URL,
          "Iceberg JDBC catalog database: jdbc:sqlite:<file> (embedded) or"
              + " jdbc:postgresql://host:port/db (shared).");
  public static final ConfigKey<String> CATALOG_USER =
      ConfigKey.optional("catalog.jdbc.user", s -> s, "", "Catalog database user.");
  public static final ConfigKey<String> CATALOG_PASSWORD =
      ConfigKey.secret(
          "catalog.jdbc.password",
          "Catalog database password (or set the TARN_CATALOG_PASSWORD environment variable).");
  public static final ConfigKey<String> WAREHOUSE =
      ConfigKey.required(
          "catalog.warehouse",
          Parsers.STRING,
          "Where table data lives: a local folder, file:/path, or s3://bucket/prefix.");
  public static final ConfigKey<String> S3_ENDPOINT =
      ConfigKey.optional(
          "s3.endpoint",
          Parsers.OPTIONAL_HTTP_URL,
          "",
          "S3-compatible endpoint for an s3:// warehouse (MinIO, Ceph: http://host:9000); empty"
              + " means AWS S3.");
  public static final ConfigKey<Boolean> S3_PATH_STYLE =
      ConfigKey.optional(
          "s3.path-style-access",
          Parsers.BOOLEAN,
          "false",
          "Address buckets as endpoint/bucket instead of bucket.endpoint (MinIO, Ceph, S3Proxy).");
  public static final ConfigKey<String> S3_REGION =
      ConfigKey.optional(
          "s3.region",
          s -> s,
          "",
          "S3 region; empty takes AWS_REGION or the AWS profile, or us-east-1 with s3.endpoint.");
  public static final ConfigKey<String> S3_ACCESS_KEY =
      ConfigKey.optional(
          "s3.access-key-id",
          s -> s,
          "",
          "S3 access key; empty takes AWS_ACCESS_KEY_ID or the default AWS credential chain"
              + " (profile, web identity, instance role).");
  public static final ConfigKey<String> S3_SECRET_KEY =
      ConfigKey.secret(
          "s3.secret-access-key",
          "S3 secret key, given together with s3.access-key-id (or set AWS_SECRET_ACCESS_KEY).");
  public static final ConfigKey<Boolean> S3_LEGACY_CHECKSUMS =
      ConfigKey.optional(
          "s3.legacy-checksums",
          Parsers.BOOLEAN,
          "false",
          "With s3.endpoint: send Content-MD5 only, no CRC checksum headers, for S3-compatible"
              + " servers that reject them (S3Proxy, older Ceph and MinIO).");
  public static final ConfigKey<Integer> S3_ARCHIVE_DAYS =
      ConfigKey.optional(
          "s3.archive.transition-days",
          Parsers.POSITIVE_INT,
          "30",
          "`./tarn s3 setup`: objects under <warehouse>/archive/ move to the cold storage class"
              + " after this many days.");
  public static final ConfigKey<String> S3_ARCHIVE_CLASS =
      ConfigKey.optional(
          "s3.archive.storage-class",
          Parsers.oneOf(
              "GLACIER_IR",
              "GLACIER",
              "DEEP_ARCHIVE",
              "STANDARD_IA",
              "ONEZONE_IA",
              "INTELLIGENT_TIERING"),
          "GLACIER_IR",
          "`./tarn s3 setup`: the cold storage class of the archive tier.");
  public static final ConfigKey<String> S3_ENCRYPTION =
      ConfigKey.optional(
          "s3.encryption",
          Parsers.oneOf("sse-s3", "sse-kms", "none"),
          "sse-s3",
          "`./tarn s3 setup`: default bucket encryption, sse-s3 (AES256), sse-kms (with"
              + " s3.encryption.kms-key-id) or none (leave the bucket's setting alone).");
  public static final ConfigKey<String> S3_KMS_KEY =
      ConfigKey.optional(
          "s3.encryption.kms-key-id",
          s -> s,
          "",
          "KMS key id or ARN for sse-kms; empty uses the AWS-managed aws/s3 key.");
  public static final ConfigKey<Duration> CHECKPOINT_INTERVAL =
      ConfigKey.optional(
          "checkpoint.interval",
          Parsers.DURATION_VALUE,
          "10s",
          "Checkpoint interval = Iceberg commit interval = freshness of each zone.");
  public static final ConfigKey<String> CHECKPOINT_DIR =
      ConfigKey.optional(
          "checkpoint.dir",
          s -> s,
          "",
          "Durable checkpoint storage (file:/path or s3://...); empty keeps Flink's default.");
  public static final ConfigKey<Integer> PARALLELISM =
      ConfigKey.optional(
          "job.parallelism", Parsers.POSITIVE_INT, "1", "Default parallelism of every job.");
  public static final ConfigKey<String> PII_POLICY =
      ConfigKey.optional(
          "pii.policy",
          s -> s,
          "",
          "Policy file (e.g. deploy/policy/tarn-policy.yaml) saying how silver stores PII-annotated"
              + " fields: token, mask, redact, generalise or drop; raw values stay in bronze. Empty:"
              + " silver keeps them as they arrive.");
  public static final ConfigKey<String> PII_TOKEN_KEY =
      ConfigKey.secret(
          "pii.token-key",
          "Base64 HMAC key (at least 32 bytes) for PII tokens, equal values giving equal tokens"
              + " (or set TARN_PII_TOKEN_KEY).");
  public static final ConfigKey<Duration> DEDUPE_RETENTION =
      ConfigKey.optional(
          "silver.dedupe.retention",
          Parsers.DURATION_VALUE,
          "24h",
          "How long (event time) an event id is remembered; a copy arriving later than this"
              + " behind the watermark is quarantined as dedupe.beyond_horizon.");
  public static final ConfigKey<Duration> OUT_OF_ORDERNESS =
      ConfigKey.optional(
          "silver.watermark.out-of-orderness",
          Parsers.DURATION_VALUE,
          "5m",
          "How far behind the newest event time the watermark trails.");
  public static final ConfigKey<Duration> GOLD_FLUSH =
      ConfigKey.optional(
          "gold.flush.interval",
          Parsers.DURATION_VALUE,
          "1s",
          "How often a changed aggregate is written; bounds upserts per key.");
  public static final ConfigKey<Duration> GOLD_STATE_TTL =
      ConfigKey.optional(
          "gold.state.ttl",
          Parsers.DURATION_VALUE,
          "7d",
          "How long an aggregate stays updatable by late events.");
  public static final ConfigKey<Duration> MAINTENANCE_INTERVAL =
      ConfigKey.optional(
          "maintenance.interval",
          Parsers.DURATION_VALUE,
          "5m",
          "Maintenance runs on a table at most this often (and after enough commits).");
  public static final ConfigKey<Integer> MAINTENANCE_COMMITS =
      ConfigKey.optional(
          "maintenance.commit-count",
          Parsers.POSITIVE_INT,
          "20",
          "Compact a table after this many new commits.");
  public static final ConfigKey<Long> TARGET_FILE_SIZE =
      ConfigKey.optional(
          "maintenance.target-file-size",
          Parsers.BYTES,
          "128mb",
          "Target data file size of compaction.");
  public static final ConfigKey<Duration> SNAPSHOT_RETENTION =
      ConfigKey.optional(
          "maintenance.snapshot.max-age",
          Parsers.DURATION_VALUE,
          "1h",
          "Snapshots older than this are expired (time travel reaches this far back).");
  public static final ConfigKey<Duration> ORPHAN_MIN_AGE =
      ConfigKey.optional(
          "maintenance.orphan.min-age",
          Parsers.DURATION_VALUE,
          "1h",
          "Unreferenced files younger than this are never deleted (in-flight writes).");

  public static final ConfigKey<String> LINEAGE_URL =
      ConfigKey.optional(
          "lineage.url",
          Parsers.OPTIONAL_HTTP_URL,
          "",
          "OpenLineage HTTP endpoint each job posts its run events to (Marquez:"
              + " http://host:5000/api/v1/lineage); empty: events go only to the ops.lineage table.");
  public static final ConfigKey<String> LINEAGE_NAMESPACE =
      ConfigKey.optional(
          "lineage.namespace",
          Parsers.STRING,
          "tarn",
          "OpenLineage job namespace of this deployment's jobs.");

  public static final List<ConfigKey<?>> KEYS =
      List.of(
          KAFKA_BOOTSTRAP,
          KAFKA_TOPICS,
          CDC_TOPIC_PATTERN,
          KAFKA_GROUP_PREFIX,
          REGISTRY_URL,
          REGISTRY_AUTH,
          CATALOG_NAME,
          CATALOG_URI,
          CATALOG_USER,
          CATALOG_PASSWORD,
          WAREHOUSE,
          S3_ENDPOINT,
          S3_PATH_STYLE,
          S3_REGION,
          S3_ACCESS_KEY,
          S3_SECRET_KEY,
          S3_LEGACY_CHECKSUMS,
          S3_ARCHIVE_DAYS,
          S3_ARCHIVE_CLASS,
          S3_ENCRYPTION,
          S3_KMS_KEY,
          CHECKPOINT_INTERVAL,
          CHECKPOINT_DIR,
          PARALLELISM,
          PII_POLICY,
          PII_TOKEN_KEY,
          DEDUPE_RETENTION,
          OUT_OF_ORDERNESS,
          GOLD_FLUSH,
          GOLD_STATE_TTL,
          MAINTENANCE_INTERVAL,
          MAINTENANCE_COMMITS,
          TARGET_FILE_SIZE,
          SNAPSHOT_RETENTION,
          ORPHAN_MIN_AGE,
          LINEAGE_URL,
          LINEAGE_NAMESPACE);

  private final Map<String, String> raw;
  private final Map<String, String> sources;
  private final Map<String, Object> values = new LinkedHashMap<>();

  private JobConfig(Map<String, String> raw, Map<String, String> sources) {
    this.raw = Collections.unmodifiableMap(new TreeMap<>(raw));
    this.sources = sources;
    validate();
  }

  /** Reads {@code --config <file>} and {@code --<key> <value>} arguments. */
  public static JobConfig fromArgs(String... args) {
    Map<String, String> raw = new LinkedHashMap<>();
    Map<String, String> sources = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--") || i + 1 >= args.length) {
        throw new ConfigException(
            "Cannot configure Tarn: expected '--config <file>' or '--<key> <value>' but got '%s'",
            arg);
      }
      String key = arg.substring(2);
      String value = args[++i];
      if (key.equals("config")) {
        readFile(Path.of(value), raw, sources);
      } else {
        raw.put(key, value);
        sources.put(key, "the command line");
      }
    }
    return new JobConfig(raw, sources);
  }

  public static JobConfig of(Map<String, String> values) {
    Map<String, String> sources = new LinkedHashMap<>();
    values.keySet().forEach(k -> sources.put(k, "the given settings"));
    return new JobConfig(values, sources);
  }

  private static void readFile(Path file, Map<String, String> raw, Map<String, String> sources) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("Cannot configure Tarn: config file %s does not exist", file);
    }
    Properties props = new Properties();
    try (Reader reader = Files.newBufferedReader(file)) {
      props.load(reader);
    } catch (IOException e) {
      throw new ConfigException("Cannot configure Tarn: cannot read %s: %s", file, e.getMessage());
    }
    for (String key : props.stringPropertyNames()) {
      raw.put(key, props.getProperty(key));
      sources.put(key, file.toString());
    }
  }

  private void validate() {
    List<String> known = KEYS.stream().map(ConfigKey::name).toList();
    for (String key : raw.keySet()) {
      boolean passthrough =
          key.startsWith(KAFKA_PASSTHROUGH) || key.startsWith(CATALOG_PASSTHROUGH);
      if (!passthrough && !known.contains(key)) {
        throw new ConfigException(
            "Cannot configure Tarn: unknown key '%s' in %s%s",
            key, sources.get(key), KeySuggestion.closest(key, known));
      }
    }
    for (ConfigKey<?> key : KEYS) {
      String value = raw.get(key.name());
      if (value == null && key.name().equals(CATALOG_PASSWORD.name())) {
        value = System.getenv("TARN_CATALOG_PASSWORD");
      }
      if (value == null && key.name().equals(S3_ACCESS_KEY.name())) {
        value = System.getenv("AWS_ACCESS_KEY_ID");
      }
      if (value == null && key.name().equals(S3_SECRET_KEY.name())) {
        value = System.getenv("AWS_SECRET_ACCESS_KEY");
      }
      if (value == null && key.name().equals(PII_TOKEN_KEY.name())) {
        value = System.getenv("TARN_PII_TOKEN_KEY");
      }
      if (value == null) {
        value = key.defaultValue();
      }
      if (value == null) {
        if (key.required()) {
          throw new ConfigException(
              "Cannot configure Tarn: missing required key '%s' (%s)",
              key.name(), key.description());
        }
        continue;
      }
      values.put(key.name(), key.parse(value, sources.getOrDefault(key.name(), "the defaults")));
    }
    LocalPaths.checkCatalogUri(get(CATALOG_URI));
    LocalPaths.checkWarehouse(get(WAREHOUSE));
    checkS3Keys();
  }

  /** Key combinations that cannot work, caught before anything connects. */
  private void checkS3Keys() {
    boolean hasAccessKey = !get(S3_ACCESS_KEY).isEmpty();
    boolean hasSecretKey = get(S3_SECRET_KEY) != null && !get(S3_SECRET_KEY).isEmpty();
    if (hasAccessKey != hasSecretKey) {
      throw new ConfigException(
          "Cannot configure Tarn: key '%s' is set but '%s' is not: give both, or neither to use"
              + " the default AWS credential chain",
          hasAccessKey ? S3_ACCESS_KEY.name() : S3_SECRET_KEY.name(),
          hasAccessKey ? S3_SECRET_KEY.name() : S3_ACCESS_KEY.name());
    }
    if (!get(S3_KMS_KEY).isEmpty() && !get(S3_ENCRYPTION).equals("sse-kms")) {
      throw new ConfigException(
          "Cannot configure Tarn: key '%s' is set but '%s' is '%s', not sse-kms",
          S3_KMS_KEY.name(), S3_ENCRYPTION.name(), get(S3_ENCRYPTION));
    }
  }

  @SuppressWarnings("unchecked")
  public <T> T get(ConfigKey<T> key) {
    return (T) values.get(key.name());
  }

  /** The pass-through properties under {@code prefix}, with the prefix removed. */
  public Map<String, String> withPrefix(String prefix) {
    Map<String, String> result = new LinkedHashMap<>();
    raw.forEach(
        (k, v) -> {
          if (k.startsWith(prefix)) {
            result.put(k.substring(prefix.length()), v);
          }
        });
    return result;
  }

  /** The settings as given, for handing to another process; includes secrets. */
  public Map<String, String> asMap() {
    return raw;
  }

  /** A copy with some settings replaced, validated again. */
  public JobConfig with(Map<String, String> overrides) {
    Map<String, String> merged = new LinkedHashMap<>(raw);
    merged.putAll(overrides);
    return of(merged);
  }

  /** The configuration reference as a Markdown table, from the key definitions. */
  public static String reference() {
    List<String> lines = new ArrayList<>();
    lines.add("| key | default | description |");
    lines.add("|---|---|---|");
    for (ConfigKey<?> key : KEYS) {
      String dflt =
          key.required() ? "(required)" : key.defaultValue() == null ? "" : key.defaultValue();
      lines.add(
          "| `"
              + key.name()
              + "` | "
              + (dflt.isEmpty() ? "" : "`" + dflt + "`")
              + " | "
              + key.description()
              + " |");
    }
    return String.join("\n", lines);
  }
}
