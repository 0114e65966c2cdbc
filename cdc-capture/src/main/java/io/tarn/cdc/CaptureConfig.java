package io.tarn.cdc;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The typed, validated configuration of a {@link ChangeCapture}.
 *
 * <p>Read from a properties file ({@code --config capture.properties}) and/or {@code --key value}
 * arguments (arguments win). Every key is listed in {@link #KEYS} with its default and description;
 * an unknown key fails naming it. Three prefixes pass settings through unchanged: {@code
 * debezium.*} to the Debezium engine and connector (e.g. {@code
 * debezium.offset.storage=org.apache.kafka.connect.storage.KafkaOffsetBackingStore} to keep offsets
 * in Kafka for scale-out), {@code producer.*} to the Kafka producer and {@code registry.*} to the
 * schema registry client. Secrets (passwords, credentials) are never printed by {@link #describe()}
 * or {@link #toString()}.
 */
public final class CaptureConfig {

  /** One documented configuration key. */
  public record Key(String name, String defaultValue, String description) {}

  /** Which database a capture reads. */
  public enum SourceKind {
    POSTGRES("postgres", 5432),
    MARIADB("mariadb", 3306);

    private final String label;
    private final int defaultPort;

    SourceKind(String label, int defaultPort) {
      this.label = label;
      this.defaultPort = defaultPort;
    }

    public String label() {
      return label;
    }
  }

  public static final String SOURCE_KIND = "source.kind";
  public static final String SOURCE_HOST = "source.host";
  public static final String SOURCE_PORT = "source.port";
  public static final String SOURCE_DATABASE = "source.database";
  public static final String SOURCE_USER = "source.user";
  public static final String SOURCE_PASSWORD = "source.password";
  public static final String SOURCE_PASSWORD_ENV = "source.password.env";
  public static final String SOURCE_TABLES = "source.tables";
  public static final String SOURCE_SERVER_ID = "source.server.id";
  public static final String SOURCE_SLOT = "source.slot.name";
  public static final String SOURCE_PUBLICATION = "source.publication.name";
  public static final String TOPIC_PREFIX = "topic.prefix";
  public static final String TOPIC_PARTITIONS = "topic.partitions";
  public static final String SNAPSHOT_MODE = "snapshot.mode";
  public static final String BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";
  public static final String REGISTRY_URL = "registry.url";
  public static final String DATA_DIR = "data.dir";
  public static final String OFFSET_FILE = "offset.file";
  public static final String SCHEMA_HISTORY_FILE = "schema.history.file";
  public static final String OFFSET_FLUSH_MS = "offset.flush.interval.ms";
  public static final String POLL_INTERVAL_MS = "poll.interval.ms";
  public static final String PROGRESS_INTERVAL_MS = "progress.interval.ms";
  public static final String SHUTDOWN_TIMEOUT_MS = "shutdown.timeout.ms";

  public static final String DEBEZIUM_PREFIX = "debezium.";
  public static final String PRODUCER_PREFIX = "producer.";
  public static final String REGISTRY_PREFIX = "registry.";

  /** Every key, with its default ("" = none; required keys say so) and description. */
  public static final List<Key> KEYS =
      List.of(
          new Key(SOURCE_KIND, "", "Required. The source database: postgres or mariadb."),
          new Key(SOURCE_HOST, "127.0.0.1", "Host of the source database."),
          new Key(SOURCE_PORT, "", "Port of the source database (default 5432 / 3306)."),
          new Key(
              SOURCE_DATABASE,
              "",
              "Required. The database to capture (PostgreSQL: the database connected to;"
                  + " MariaDB: the database whose tables are captured)."),
          new Key(
              SOURCE_USER,
              "",
              "Required. The user (PostgreSQL: REPLICATION + SELECT; MariaDB: REPLICATION SLAVE,"
                  + " REPLICATION CLIENT, SELECT, RELOAD, SHOW DATABASES, LOCK TABLES)."),
          new Key(SOURCE_PASSWORD, "", "The password (secret; prefer source.password.env)."),
          new Key(
              SOURCE_PASSWORD_ENV,
              "",
              "The name of an environment variable holding the password; wins over"
                  + " source.password."),
          new Key(
              SOURCE_TABLES,
              "",
              "Comma-separated tables to capture (PostgreSQL schema.table, MariaDB"
                  + " database.table; regular expressions allowed). Empty = every table."),
          new Key(
              SOURCE_SERVER_ID,
              "5401",
              "MariaDB: the replica server id of this capture; unique among the server's"
                  + " replicas."),
          new Key(
              SOURCE_SLOT,
              "",
              "PostgreSQL: the logical replication slot (default tarn_<topic.prefix>)."),
          new Key(
              SOURCE_PUBLICATION,
              "",
              "PostgreSQL: the publication, created for the captured tables if missing"
                  + " (default tarn_<topic.prefix>)."),
          new Key(
              TOPIC_PREFIX,
              "cdc",
              "Topics are <prefix>.<database-or-schema>.<table>; quarantine is"
                  + " <prefix>._quarantine."),
          new Key(
              TOPIC_PARTITIONS,
              "1",
              "Partitions of topics this capture creates (existing topics are kept as they are)."),
          new Key(
              SNAPSHOT_MODE,
              "initial",
              "Debezium snapshot mode: initial, no_data, when_needed, always, initial_only..."),
          new Key(BOOTSTRAP_SERVERS, "", "Required. The Kafka bootstrap servers."),
          new Key(REGISTRY_URL, "", "Required. The Confluent-compatible schema registry URL."),
          new Key(
              DATA_DIR,
              "cdc-data",
              "Where the embedded default keeps offsets and (MariaDB) the schema history."),
          new Key(OFFSET_FILE, "", "The offsets file (default <data.dir>/offsets.dat)."),
          new Key(
              SCHEMA_HISTORY_FILE,
              "",
              "MariaDB: the schema history file (default <data.dir>/schema-history.dat)."),
          new Key(
              OFFSET_FLUSH_MS,
              "1000",
              "How often acknowledged positions are written to the offsets store; a crash"
                  + " re-delivers at most this much."),
          new Key(
              POLL_INTERVAL_MS,
              "10",
              "How long Debezium waits for a batch to fill (latency floor)."),
          new Key(PROGRESS_INTERVAL_MS, "10000", "How often progress is logged (0 = never)."),
          new Key(
              SHUTDOWN_TIMEOUT_MS,
              "30000",
              "How long close() waits for the engine and the producer to stop."));

  private static final Map<String, Key> BY_NAME = byName();

  private final Map<String, String> values;

  private CaptureConfig(Map<String, String> values) {
    this.values = values;
  }

  /**
   * Parses {@code --config file} and {@code --key value} arguments.
   *
   * @throws IllegalArgumentException naming the bad argument or key
   */
  public static CaptureConfig fromArgs(String[] args) {
    Map<String, String> settings = new LinkedHashMap<>();
    Map<String, String> overrides = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException(
            "Cannot parse arguments: expected --key value, found '" + arg + "'");
      }
      String key = arg.substring(2);
      String value;
      int eq = key.indexOf('=');
      if (eq >= 0) {
        value = key.substring(eq + 1);
        key = key.substring(0, eq);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new IllegalArgumentException("Cannot parse arguments: --" + key + " has no value");
      }
      if (key.equals("config")) {
        settings.putAll(load(Path.of(value)));
      } else {
        overrides.put(key, value);
      }
    }
    settings.putAll(overrides);
    return of(settings);
  }

  /** Reads a properties file. */
  public static Map<String, String> load(Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read capture configuration " + file, e);
    }
    Map<String, String> out = new LinkedHashMap<>();
    properties.stringPropertyNames().forEach(k -> out.put(k, properties.getProperty(k).trim()));
    return out;
  }

  /**
   * Validates settings.
   *
   * @throws IllegalArgumentException naming an unknown key, a missing required key or a bad value
   */
  public static CaptureConfig of(Map<String, String> settings) {
    Map<String, String> values = new TreeMap<>();
    for (Map.Entry<String, String> e : settings.entrySet()) {
      String key = e.getKey().trim();
      if (!BY_NAME.containsKey(key)
          && !key.startsWith(DEBEZIUM_PREFIX)
          && !key.startsWith(PRODUCER_PREFIX)
          && !(key.startsWith(REGISTRY_PREFIX) && !key.equals(REGISTRY_URL))) {
        throw new IllegalArgumentException(
            "Cannot configure CDC capture: unknown key '"
                + key
                + "' (known keys: "
                + BY_NAME.keySet()
                + ", and the pass-through prefixes debezium.*, producer.*, registry.*)");
      }
      values.put(key, e.getValue() == null ? "" : e.getValue().trim());
    }
    CaptureConfig config = new CaptureConfig(values);
    config.validate();
    return config;
  }

  private void validate() {
    for (String required :
        List.of(SOURCE_KIND, SOURCE_DATABASE, SOURCE_USER, BOOTSTRAP_SERVERS, REGISTRY_URL)) {
      if (get(required).isEmpty()) {
        throw new IllegalArgumentException(
            "Cannot configure CDC capture: '" + required + "' is required");
      }
    }
    sourceKind();
    sourcePort();
    sourceServerId();
    topicPartitions();
    offsetFlushIntervalMs();
    pollIntervalMs();
    progressIntervalMs();
    shutdownTimeoutMs();
    if (!topicPrefix().matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException(
          "Cannot configure CDC capture: topic.prefix '" + topicPrefix() + "' is not a topic name");
    }
    String env = get(SOURCE_PASSWORD_ENV);
    if (!env.isEmpty() && System.getenv(env) == null) {
      throw new IllegalArgumentException(
          "Cannot configure CDC capture: environment variable "
              + env
              + " named by source.password.env is not set");
    }
  }

  private String get(String key) {
    String value = values.get(key);
    if (value != null && !value.isEmpty()) {
      return value;
    }
    Key spec = BY_NAME.get(key);
    return spec == null ? "" : spec.defaultValue();
  }

  private <T> T parsed(String key, Function<String, T> parser, String expected) {
    String value = get(key);
    try {
      return parser.apply(value);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "Cannot configure CDC capture: '" + key + "' = '" + value + "' is not " + expected);
    }
  }

  private long positiveLong(String key, boolean zeroAllowed) {
    long value = parsed(key, Long::parseLong, "a number");
    if (value < 0 || (!zeroAllowed && value == 0)) {
      throw new IllegalArgumentException(
          "Cannot configure CDC capture: '" + key + "' = " + value + " must be positive");
    }
    return value;
  }

  public SourceKind sourceKind() {
    return parsed(
        SOURCE_KIND, v -> SourceKind.valueOf(v.toUpperCase(Locale.ROOT)), "postgres or mariadb");
  }

  public String sourceHost() {
    return get(SOURCE_HOST);
  }

  public int sourcePort() {
    if (get(SOURCE_PORT).isEmpty()) {
      return sourceKind().defaultPort;
    }
    return parsed(SOURCE_PORT, Integer::parseInt, "a port number");
  }

  public String sourceDatabase() {
    return get(SOURCE_DATABASE);
  }

  public String sourceUser() {
    return get(SOURCE_USER);
  }

  /** The password: from the environment variable if one is named, else {@code source.password}. */
  public String sourcePassword() {
    String env = get(SOURCE_PASSWORD_ENV);
    if (!env.isEmpty()) {
      String value = System.getenv(env);
      return value == null ? "" : value;
    }
    return get(SOURCE_PASSWORD);
  }

  public List<String> sourceTables() {
    String tables = get(SOURCE_TABLES);
    if (tables.isEmpty()) {
      return List.of();
    }
    return Arrays.stream(tables.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  public long sourceServerId() {
    return positiveLong(SOURCE_SERVER_ID, false);
  }

  public String slotName() {
    String slot = get(SOURCE_SLOT);
    return slot.isEmpty() ? "tarn_" + sanitize(topicPrefix()) : slot;
  }

  public String publicationName() {
    String publication = get(SOURCE_PUBLICATION);
    return publication.isEmpty() ? "tarn_" + sanitize(topicPrefix()) : publication;
  }

  public String topicPrefix() {
    return get(TOPIC_PREFIX);
  }

  /** {@code <prefix>._quarantine}. */
  public String quarantineTopic() {
    return topicPrefix() + "._quarantine";
  }

  public int topicPartitions() {
    return (int) positiveLong(TOPIC_PARTITIONS, false);
  }

  public String snapshotMode() {
    return get(SNAPSHOT_MODE);
  }

  public String bootstrapServers() {
    return get(BOOTSTRAP_SERVERS);
  }

  public String registryUrl() {
    return get(REGISTRY_URL);
  }

  public Path dataDir() {
    return Path.of(get(DATA_DIR)).toAbsolutePath().normalize();
  }

  public Path offsetFile() {
    String file = get(OFFSET_FILE);
    return file.isEmpty() ? dataDir().resolve("offsets.dat") : Path.of(file).toAbsolutePath();
  }

  public Path schemaHistoryFile() {
    String file = get(SCHEMA_HISTORY_FILE);
    return file.isEmpty()
        ? dataDir().resolve("schema-history.dat")
        : Path.of(file).toAbsolutePath();
  }

  public long offsetFlushIntervalMs() {
    return positiveLong(OFFSET_FLUSH_MS, true);
  }

  public long pollIntervalMs() {
    return positiveLong(POLL_INTERVAL_MS, false);
  }

  public long progressIntervalMs() {
    return positiveLong(PROGRESS_INTERVAL_MS, true);
  }

  public long shutdownTimeoutMs() {
    return positiveLong(SHUTDOWN_TIMEOUT_MS, false);
  }

  /** The {@code debezium.*} settings without their prefix. */
  public Map<String, String> debeziumOverrides() {
    return withPrefix(DEBEZIUM_PREFIX);
  }

  /** The {@code producer.*} settings without their prefix. */
  public Map<String, String> producerOverrides() {
    return withPrefix(PRODUCER_PREFIX);
  }

  /** The {@code registry.*} settings (other than registry.url) without their prefix. */
  public Map<String, String> registryOverrides() {
    Map<String, String> out = withPrefix(REGISTRY_PREFIX);
    out.remove("url");
    return out;
  }

  /** Whether offsets are kept in the embedded default's file (not overridden via debezium.*). */
  public boolean usesFileOffsets() {
    String storage = values.get(DEBEZIUM_PREFIX + "offset.storage");
    return storage == null || storage.endsWith("FileOffsetBackingStore");
  }

  private Map<String, String> withPrefix(String prefix) {
    Map<String, String> out = new LinkedHashMap<>();
    values.forEach(
        (k, v) -> {
          if (k.startsWith(prefix)) {
            out.put(k.substring(prefix.length()), v);
          }
        });
    return out;
  }

  /** The effective settings, one {@code key = value} a line, secrets masked. */
  public String describe() {
    StringBuilder out = new StringBuilder();
    for (Key key : KEYS) {
      String value =
          key.name().equals(SOURCE_PORT) ? String.valueOf(sourcePort()) : get(key.name());
      out.append(key.name()).append(" = ").append(mask(key.name(), value)).append('\n');
    }
    values.forEach(
        (k, v) -> {
          if (!BY_NAME.containsKey(k)) {
            out.append(k).append(" = ").append(mask(k, v)).append('\n');
          }
        });
    return out.toString();
  }

  /** The reference of every key: name, default and description. */
  public static String reference() {
    StringBuilder out = new StringBuilder();
    for (Key key : KEYS) {
      out.append(String.format("  %-26s %s", key.name(), key.description()));
      if (!key.defaultValue().isEmpty()) {
        out.append(" [default: ").append(key.defaultValue()).append(']');
      }
      out.append('\n');
    }
    out.append("  debezium.*                 passed to the Debezium engine and connector\n");
    out.append("  producer.*                 passed to the Kafka producer\n");
    out.append("  registry.*                 passed to the schema registry client\n");
    return out.toString();
  }

  /** Whether a key holds a secret. */
  public static boolean isSecret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return (k.contains("password") && !k.endsWith(".env"))
        || k.contains("secret")
        || k.contains("jaas")
        || k.contains("user.info")
        || k.contains("credential")
        || k.contains("token");
  }

  private static String mask(String key, String value) {
    return isSecret(key) && !value.isEmpty() ? "******" : value;
  }

  private static String sanitize(String name) {
    return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
  }

  private static Map<String, Key> byName() {
    Map<String, Key> map = new LinkedHashMap<>();
    for (Key key : KEYS) {
      map.put(key.name(), key);
    }
    return map;
  }

  /** The names of every key, for error messages and docs. */
  public static List<String> keyNames() {
    return new ArrayList<>(BY_NAME.keySet());
  }

  @Override
  public String toString() {
    return "CaptureConfig{" + describe().replace('\n', ';') + "}";
  }
}
