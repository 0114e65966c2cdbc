package io.tarn.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tarn.kafka.broker.KafkaBroker;
import io.tarn.schemas.registry.RecordDecoder;
import io.tarn.schemas.registry.RestSchemaRegistry;
import io.tarn.schemas.registry.SchemaRegistryServer;
import io.tarn.testing.db.Processes;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract every source database must meet, run against real servers: a private database, a
 * real Kafka broker (child JVM) and an in-memory schema registry. Each test uses its own table,
 * topic prefix, data directory (and PostgreSQL slot).
 */
abstract class AbstractChangeCaptureIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final AtomicInteger SERVER_IDS = new AtomicInteger(5500);

  static Path tmp;
  static KafkaBroker broker;
  static SchemaRegistryServer registryServer;
  static RestSchemaRegistry registry;

  /** How a column is generated, bound and compared: canonical values compared with equals. */
  enum Kind {
    INT,
    DECIMAL,
    FLOAT,
    DOUBLE,
    BOOL,
    TEXT,
    JSON_TEXT,
    UUID_TEXT,
    DATE,
    TS, // timestamp without time zone: wall clock read as UTC
    TSTZ, // PostgreSQL timestamptz
    TS_UTC_SESSION, // MariaDB TIMESTAMP read in a UTC session
    TIME,
    BYTES,
    INT_ARRAY,
    TEXT_ARRAY
  }

  record Column(
      String name,
      String sqlType,
      String placeholder,
      Kind kind,
      Function<Random, Object> generator) {}

  // ---- what a database provides

  abstract Connection connect() throws SQLException;

  abstract String namespace();

  /** Statements creating a table with an {@code id} primary key (or none) and these columns. */
  abstract List<String> createTable(String table, List<Column> columns, boolean primaryKey);

  abstract List<Column> allTypes();

  abstract String addColumnSql(String table, String column);

  /** Changes a text column to integer: a BACKWARD-incompatible change. */
  abstract String textToIntSql(String table, String column);

  abstract Map<String, String> sourceSettings();

  /** Cleanup after a capture with this prefix has stopped (drop the slot). */
  abstract void afterCapture(String prefix);

  @BeforeAll
  static void startInfrastructure() throws Exception {
    tmp = Files.createTempDirectory("tarn-cdc-it-");
    broker = KafkaBroker.start(tmp.resolve("kafka"));
    registryServer = SchemaRegistryServer.start();
    registry = new RestSchemaRegistry(registryServer.url());
  }

  @AfterAll
  static void stopInfrastructure() {
    if (registry != null) {
      registry.close();
    }
    if (registryServer != null) {
      registryServer.close();
    }
    if (broker != null) {
      broker.close();
    }
    Processes.deleteTree(tmp);
  }

  // ---------------------------------------------------------------------------------------------
  // 1. snapshot + streaming

  @Test
  void snapshotAndStreamingReproduceTheSourceTable() throws Exception {
    String table = "all_types";
    String prefix = "it1";
    List<Column> columns = allTypes();
    Workload workload = new Workload(table, columns, 42);
    try (Connection c = connect()) {
      execute(c, createTable(table, columns, true));
      workload.seed(c, 1000);
    }
    Map<String, String> settings = settings(prefix, table);
    try (ChangeCapture capture = ChangeCapture.start(CaptureConfig.of(settings));
        TopicReader reader = new TopicReader(topic(prefix, table))) {
      reader.awaitCount(e -> true, 1000, Duration.ofSeconds(60));
      try (Connection c = connect()) {
        workload.run(c, 2000);
      }
      awaitSourceEqualsTopic(reader, table, columns, Duration.ofSeconds(60));
      assertThat(capture.failure()).isEmpty();
      assertThat(reader.count(e -> e.op().equals("r"))).isEqualTo(1000);
      assertEnvelope(reader.events().get(0).record(), table, prefix, List.of("id"));
    } finally {
      afterCapture(prefix);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // 2. kill -9, restart, clean stop, restart: no second snapshot, nothing lost

  @Test
  void resumesAfterKillAndAfterCleanStopWithoutSecondSnapshot() throws Exception {
    String table = "resumed";
    String prefix = "it2";
    List<Column> columns = allTypes();
    Workload workload = new Workload(table, columns, 7);
    try (Connection c = connect()) {
      execute(c, createTable(table, columns, true));
      workload.seed(c, 300);
    }
    Map<String, String> settings = settings(prefix, table);
    Path configFile = tmp.resolve(prefix + ".properties");
    Properties properties = new Properties();
    properties.putAll(settings);
    try (var out = Files.newBufferedWriter(configFile)) {
      properties.store(out, null);
    }
    try (TopicReader reader = new TopicReader(topic(prefix, table))) {
      // first run: CaptureMain in a child JVM, killed with SIGKILL mid-workload
      Process child = startCaptureMain(configFile, tmp.resolve(prefix + "-main.log"));
      try {
        reader.awaitCount(e -> e.op().equals("r"), 300, Duration.ofSeconds(60));
        CompletableFuture<Void> load =
            CompletableFuture.runAsync(() -> workload.runUnchecked(this::connect, 900));
        reader.awaitCount(e -> !e.op().equals("r"), 150, Duration.ofSeconds(60));
        child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        load.get(120, TimeUnit.SECONDS); // the rest of the workload happens while it is down
      } finally {
        child.destroyForcibly();
      }
      long restartOffset = reader.drainAndSize();

      // second run: in process, stopped cleanly mid-workload
      try (ChangeCapture capture = ChangeCapture.start(CaptureConfig.of(settings))) {
        CompletableFuture<Void> load =
            CompletableFuture.runAsync(() -> workload.runUnchecked(this::connect, 500));
        reader.awaitCount(e -> !e.op().equals("r"), 1000, Duration.ofSeconds(60));
        capture.close();
        load.get(120, TimeUnit.SECONDS);
        assertThat(capture.failure()).isEmpty();
      }
      try (Connection c = connect()) {
        workload.run(c, 300); // while stopped
      }
      // third run: catches up
      try (ChangeCapture capture = ChangeCapture.start(CaptureConfig.of(settings))) {
        try (Connection c = connect()) {
          workload.run(c, 300);
        }
        awaitSourceEqualsTopic(reader, table, columns, Duration.ofSeconds(60));
        assertThat(capture.failure()).isEmpty();
      }
      List<Event> afterRestart = reader.events().subList((int) restartOffset, reader.size());
      assertThat(afterRestart).isNotEmpty().noneMatch(e -> e.op().equals("r"));
    } finally {
      afterCapture(prefix);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // 3. schema change mid-stream, then an incompatible one

  @Test
  void addColumnRegistersNewVersionAndIncompatibleChangeIsQuarantined() throws Exception {
    String table = "evolving";
    String prefix = "it3";
    List<Column> columns =
        List.of(
            new Column("name", "varchar(40)", "?", Kind.TEXT, r -> "n" + r.nextInt(1000)),
            new Column("code", "varchar(10)", "?", Kind.TEXT, r -> String.valueOf(r.nextInt(999))));
    Workload workload = new Workload(table, columns, 3);
    try (Connection c = connect()) {
      execute(c, createTable(table, columns, true));
      workload.seed(c, 50);
    }
    String topic = topic(prefix, table);
    try (ChangeCapture capture = ChangeCapture.start(CaptureConfig.of(settings(prefix, table)));
        TopicReader reader = new TopicReader(topic)) {
      reader.awaitCount(e -> true, 50, Duration.ofSeconds(60));
      try (Connection c = connect()) {
        workload.run(c, 60);
        reader.awaitCount(e -> !e.op().equals("r"), 1, Duration.ofSeconds(60));
        execute(c, List.of(addColumnSql(table, "note")));
        List<Column> evolved = new ArrayList<>(columns);
        evolved.add(new Column("note", "varchar(40)", "?", Kind.TEXT, r -> "note" + r.nextInt(9)));
        workload.columns = evolved;
        workload.run(c, 60);
        awaitSourceEqualsTopic(reader, table, evolved, Duration.ofSeconds(60));
      }
      List<Integer> versions = registry.versions(topic + "-value");
      assertThat(versions).hasSize(2);
      Schema latest = registry.latest(topic + "-value").schema();
      Schema row = AvroMapping.nonNull(latest.getField("after").schema());
      assertThat(row.getField("note")).isNotNull();
      assertThat(reader.events()).anyMatch(e -> e.record().get("schema_version").equals(1));
      // every event decodes with the latest schema; old ones have note = null
      for (Event e : reader.events()) {
        if ((Integer) e.record().get("schema_version") == 1 && e.record().get("after") != null) {
          assertThat(((GenericRecord) e.record().get("after")).get("note")).isNull();
        }
      }
      assertThat(capture.quarantinedTopics()).isEmpty();

      // incompatible: a text column becomes an integer
      try (Connection c = connect()) {
        execute(c, List.of(textToIntSql(table, "code")));
        execute(c, List.of("UPDATE " + table + " SET name = 'after-change' WHERE id = 1"));
      }
      try (TopicReader quarantine = new TopicReader(prefix + "._quarantine", true)) {
        List<Event> rows = quarantine.awaitCount(e -> true, 1, Duration.ofSeconds(60));
        JsonNode json = JSON.readTree(rows.get(0).raw());
        assertThat(json.path("table").asText()).isEqualTo(table);
        assertThat(json.path("reason").asText()).contains("rejected");
        assertThat(json.path("change").path("after").path("name").asText())
            .isEqualTo("after-change");
      }
      assertThat(capture.quarantinedTopics()).containsExactly(topic);
      assertThat(capture.failure()).isEmpty();
      assertThat(capture.isStopped()).isFalse();
    } finally {
      afterCapture(prefix);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // 4. a table without a primary key

  @Test
  void tableWithoutPrimaryKeyIsCapturedAppendOnly() throws Exception {
    String table = "no_pk";
    String prefix = "it4";
    List<Column> columns =
        List.of(new Column("name", "varchar(40)", "?", Kind.TEXT, r -> "n" + r.nextInt(1000)));
    try (Connection c = connect()) {
      execute(c, createTable(table, columns, false));
      execute(c, List.of("INSERT INTO " + table + " (id, name) VALUES (1, 'a'), (2, 'b')"));
    }
    try (ChangeCapture capture = ChangeCapture.start(CaptureConfig.of(settings(prefix, table)));
        TopicReader reader = new TopicReader(topic(prefix, table))) {
      reader.awaitCount(e -> true, 2, Duration.ofSeconds(60));
      try (Connection c = connect()) {
        execute(
            c,
            List.of(
                "INSERT INTO " + table + " (id, name) VALUES (3, 'c')",
                "UPDATE " + table + " SET name = 'bb' WHERE id = 2",
                "DELETE FROM " + table + " WHERE id = 1"));
      }
      List<Event> events = reader.awaitCount(e -> true, 5, Duration.ofSeconds(60));
      assertThat(events).extracting(Event::op).containsExactly("r", "r", "c", "u", "d");
      assertThat(events).allMatch(e -> e.key() == null);
      Schema schema = registry.latest(topic(prefix, table) + "-value").schema();
      assertThat(schema.getObjectProp("key")).isEqualTo(List.of());
      assertThat(capture.appendOnlyTables()).containsExactly(namespace() + "." + table);
      GenericRecord update = events.get(3).record();
      assertThat(((GenericRecord) update.get("before")).get("name").toString()).isEqualTo("b");
      assertThat(((GenericRecord) update.get("after")).get("name").toString()).isEqualTo("bb");
    } finally {
      afterCapture(prefix);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // helpers

  Map<String, String> settings(String prefix, String table) {
    Map<String, String> s = new LinkedHashMap<>(sourceSettings());
    s.put(CaptureConfig.SOURCE_TABLES, namespace() + "." + table);
    s.put(CaptureConfig.TOPIC_PREFIX, prefix);
    s.put(CaptureConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers());
    s.put(CaptureConfig.REGISTRY_URL, registryServer.url());
    s.put(CaptureConfig.DATA_DIR, tmp.resolve(prefix + "-data").toString());
    s.put(CaptureConfig.OFFSET_FLUSH_MS, "500");
    s.put(CaptureConfig.PROGRESS_INTERVAL_MS, "5000");
    s.put(CaptureConfig.SOURCE_SERVER_ID, String.valueOf(SERVER_IDS.incrementAndGet()));
    s.put(CaptureConfig.SHUTDOWN_TIMEOUT_MS, "20000");
    return s;
  }

  String topic(String prefix, String table) {
    return prefix + "." + namespace() + "." + table;
  }

  static void execute(Connection c, List<String> statements) throws SQLException {
    try (Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  Process startCaptureMain(Path config, Path log) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-Xmx512m",
            "-cp",
            System.getProperty("java.class.path"),
            CaptureMain.class.getName(),
            "--config",
            config.toString())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  static void assertEnvelope(GenericRecord record, String table, String prefix, List<String> key) {
    Schema schema = record.getSchema();
    assertThat(schema.getFields().stream().map(Schema.Field::name).toList())
        .containsExactlyElementsOf(AvroMapping.ENVELOPE_FIELDS);
    assertThat(schema.getProp("table")).isEqualTo(table);
    assertThat(schema.getProp("topic")).startsWith(prefix + ".");
    assertThat(schema.getProp("owner")).isEqualTo("cdc");
    assertThat(schema.getObjectProp("key")).isEqualTo(key);
    assertThat(schema.getDoc()).isNotBlank();
  }

  /** Polls the topic until applying its changes in position order gives the source table. */
  void awaitSourceEqualsTopic(TopicReader reader, String table, List<Column> columns, Duration max)
      throws Exception {
    Map<String, Map<String, Object>> source;
    try (Connection c = connect()) {
      source = readTable(c, table, columns);
    }
    long deadline = System.nanoTime() + max.toNanos();
    Map<String, Map<String, Object>> applied = Map.of();
    while (System.nanoTime() < deadline) {
      reader.poll(Duration.ofMillis(500));
      applied = apply(reader.events(), columns);
      if (applied.equals(source)) {
        return;
      }
    }
    List<String> diffs = new ArrayList<>();
    for (String key : new java.util.TreeSet<>(union(source.keySet(), applied.keySet()))) {
      Map<String, Object> s = source.get(key);
      Map<String, Object> a = applied.get(key);
      if (!Objects.equals(s, a)) {
        if (s != null && a != null) {
          Map<String, String> columnDiffs = new TreeMap<>();
          for (String col : s.keySet()) {
            if (!Objects.equals(s.get(col), a.get(col))) {
              columnDiffs.put(col, s.get(col) + " (source) vs " + a.get(col) + " (topic)");
            }
          }
          diffs.add("key " + key + ": " + columnDiffs);
        } else {
          diffs.add("key " + key + ": source " + s + " vs topic " + a);
        }
      }
    }
    fail(
        "Topic does not reproduce table "
            + table
            + " ("
            + source.size()
            + " rows vs "
            + applied.size()
            + "; "
            + diffs.size()
            + " keys differ), first: "
            + diffs.subList(0, Math.min(5, diffs.size())));
  }

  static java.util.Set<String> union(java.util.Set<String> a, java.util.Set<String> b) {
    java.util.Set<String> out = new java.util.HashSet<>(a);
    out.addAll(b);
    return out;
  }

  /** Applies changes per key in source_position order (stable: Kafka order breaks ties). */
  static Map<String, Map<String, Object>> apply(List<Event> events, List<Column> columns) {
    List<Event> sorted = new ArrayList<>(events);
    sorted.sort(Comparator.comparingLong(e -> (Long) e.record().get("source_position")));
    Map<String, Map<String, Object>> state = new HashMap<>();
    for (Event e : sorted) {
      GenericRecord record = e.record();
      GenericRecord after = (GenericRecord) record.get("after");
      GenericRecord before = (GenericRecord) record.get("before");
      if (e.op().equals("d")) {
        state.remove(String.valueOf(before.get("id")));
      } else {
        Map<String, Object> row = new TreeMap<>();
        for (Column column : columns) {
          Object value = after.hasField(column.name()) ? after.get(column.name()) : null;
          row.put(column.name(), fromAvro(column.kind(), value));
        }
        state.put(String.valueOf(after.get("id")), row);
      }
    }
    return state;
  }

  static Map<String, Map<String, Object>> readTable(
      Connection c, String table, List<Column> columns) throws SQLException {
    Map<String, Map<String, Object>> out = new HashMap<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
      while (rs.next()) {
        Map<String, Object> row = new TreeMap<>();
        for (Column column : columns) {
          row.put(column.name(), fromJdbc(column.kind(), rs, column.name()));
        }
        out.put(String.valueOf(rs.getLong("id")), row);
      }
    }
    return out;
  }

  static Object fromJdbc(Kind kind, ResultSet rs, String col) throws SQLException {
    Object raw = rs.getObject(col);
    if (raw == null) {
      return null;
    }
    return switch (kind) {
      case INT -> rs.getLong(col);
      case DECIMAL -> rs.getBigDecimal(col);
      case FLOAT -> rs.getFloat(col);
      case DOUBLE -> rs.getDouble(col);
      case BOOL -> rs.getBoolean(col);
      case TEXT -> rs.getString(col);
      case JSON_TEXT -> json(rs.getString(col));
      case UUID_TEXT -> rs.getString(col).toLowerCase();
      case DATE -> rs.getObject(col, LocalDate.class);
      case TS, TS_UTC_SESSION -> rs.getObject(col, LocalDateTime.class).toInstant(ZoneOffset.UTC);
      case TSTZ -> rs.getObject(col, OffsetDateTime.class).toInstant();
      case TIME -> rs.getObject(col, LocalTime.class).toNanoOfDay() / 1000L;
      case BYTES -> HexFormat.of().formatHex(rs.getBytes(col));
      case INT_ARRAY, TEXT_ARRAY -> {
        Array array = rs.getArray(col);
        List<Object> list = new ArrayList<>();
        for (Object o : (Object[]) array.getArray()) {
          list.add(o == null ? null : kind == Kind.INT_ARRAY ? ((Number) o).longValue() : o);
        }
        yield list;
      }
    };
  }

  static Object fromAvro(Kind kind, Object v) {
    if (v == null) {
      return null;
    }
    return switch (kind) {
      case INT -> ((Number) v).longValue();
      case DECIMAL -> (BigDecimal) v;
      case FLOAT -> ((Number) v).floatValue();
      case DOUBLE -> ((Number) v).doubleValue();
      case BOOL -> v instanceof Boolean b ? b : ((Number) v).intValue() != 0;
      case TEXT -> v.toString();
      case JSON_TEXT -> json(v.toString());
      case UUID_TEXT -> v.toString().toLowerCase();
      case DATE -> (LocalDate) v;
      case TS, TSTZ, TS_UTC_SESSION -> (Instant) v;
      case TIME -> ((Number) v).longValue();
      case BYTES -> {
        ByteBuffer b = ((ByteBuffer) v).duplicate();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        yield HexFormat.of().formatHex(bytes);
      }
      case INT_ARRAY, TEXT_ARRAY -> {
        List<Object> list = new ArrayList<>();
        for (Object o : (List<?>) v) {
          list.add(
              o == null ? null : kind == Kind.INT_ARRAY ? ((Number) o).longValue() : o.toString());
        }
        yield list;
      }
    };
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalStateException("Not JSON: " + text, e);
    }
  }

  // ---- random values shared by the databases

  static Object nullOr(Random r, Object value) {
    return r.nextInt(100) < 12 ? null : value;
  }

  static String randomText(Random r, int maxLength) {
    String alphabet = "abcdefghijklmnopqrstuvwxyzABC éü✓-_";
    int n = 1 + r.nextInt(maxLength);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return b.toString().strip().isEmpty() ? "x" : b.toString().strip();
  }

  static LocalDateTime randomDateTime(Random r, long minEpochSecond, long maxEpochSecond) {
    return LocalDateTime.ofEpochSecond(
        r.nextLong(minEpochSecond, maxEpochSecond), r.nextInt(1_000_000) * 1000, ZoneOffset.UTC);
  }

  static String randomJson(Random r) {
    return "{\"n\": "
        + r.nextInt(1000)
        + ", \"s\": \""
        + randomText(r, 6).replace("\"", "")
        + "\", \"a\": [1, "
        + r.nextInt(9)
        + "], \"b\": "
        + r.nextBoolean()
        + "}";
  }

  // ---- the workload

  /** A random mix of inserts, updates, deletes, delete-then-reinsert and multi-row transactions. */
  final class Workload {
    final String table;
    volatile List<Column> columns;
    final Random random;
    final List<Long> live = new ArrayList<>();
    final List<Long> deleted = new ArrayList<>();
    long nextId = 1;

    Workload(String table, List<Column> columns, long seed) {
      this.table = table;
      this.columns = columns;
      this.random = new Random(seed);
    }

    void seed(Connection c, int rows) throws SQLException {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(insertSql())) {
        for (int i = 0; i < rows; i++) {
          bindRow(c, ps, nextId);
          live.add(nextId++);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      c.commit();
      c.setAutoCommit(true);
    }

    interface ConnectionSource {
      Connection get() throws SQLException;
    }

    void runUnchecked(ConnectionSource source, int ops) {
      try (Connection c = source.get()) {
        run(c, ops);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }

    synchronized void run(Connection c, int ops) throws SQLException {
      int done = 0;
      while (done < ops) {
        if (random.nextInt(100) < 10) {
          c.setAutoCommit(false);
          int n = 2 + random.nextInt(4);
          for (int i = 0; i < n; i++) {
            one(c);
          }
          c.commit();
          c.setAutoCommit(true);
          done += n;
        } else {
          one(c);
          done++;
        }
      }
    }

    private void one(Connection c) throws SQLException {
      int dice = random.nextInt(100);
      if (live.isEmpty() || dice < 25) {
        long id =
            !deleted.isEmpty() && random.nextInt(100) < 30
                ? deleted.remove(random.nextInt(deleted.size()))
                : nextId++;
        insert(c, id);
      } else if (dice < 65) {
        update(c, live.get(random.nextInt(live.size())));
      } else if (dice < 80) {
        long id = live.remove(random.nextInt(live.size()));
        delete(c, id);
        deleted.add(id);
      } else if (dice < 92) {
        // delete then re-insert the same key
        long id = live.remove(random.nextInt(live.size()));
        delete(c, id);
        insert(c, id);
      } else {
        // one statement changing several rows
        long from = live.get(random.nextInt(live.size()));
        Column column = columns.get(random.nextInt(columns.size()));
        try (PreparedStatement ps =
            c.prepareStatement(
                "UPDATE "
                    + table
                    + " SET "
                    + column.name()
                    + " = "
                    + column.placeholder()
                    + " WHERE id BETWEEN ? AND ?")) {
          bind(c, ps, 1, column, column.generator().apply(random));
          ps.setLong(2, from);
          ps.setLong(3, from + 5);
          ps.executeUpdate();
        }
      }
    }

    private String insertSql() {
      StringBuilder names = new StringBuilder("id");
      StringBuilder values = new StringBuilder("?");
      for (Column column : columns) {
        names.append(", ").append(column.name());
        values.append(", ").append(column.placeholder());
      }
      return "INSERT INTO " + table + " (" + names + ") VALUES (" + values + ")";
    }

    private void bindRow(Connection c, PreparedStatement ps, long id) throws SQLException {
      ps.setLong(1, id);
      for (int i = 0; i < columns.size(); i++) {
        Column column = columns.get(i);
        bind(c, ps, i + 2, column, nullOr(random, column.generator().apply(random)));
      }
    }

    private void insert(Connection c, long id) throws SQLException {
      try (PreparedStatement ps = c.prepareStatement(insertSql())) {
        bindRow(c, ps, id);
        ps.executeUpdate();
      }
      live.add(id);
    }

    private void update(Connection c, long id) throws SQLException {
      List<Column> chosen = new ArrayList<>(columns);
      java.util.Collections.shuffle(chosen, random);
      chosen = chosen.subList(0, 1 + random.nextInt(Math.min(3, chosen.size())));
      StringBuilder set = new StringBuilder();
      for (Column column : chosen) {
        set.append(set.length() == 0 ? "" : ", ")
            .append(column.name())
            .append(" = ")
            .append(column.placeholder());
      }
      try (PreparedStatement ps =
          c.prepareStatement("UPDATE " + table + " SET " + set + " WHERE id = ?")) {
        for (int i = 0; i < chosen.size(); i++) {
          bind(
              c, ps, i + 1, chosen.get(i), nullOr(random, chosen.get(i).generator().apply(random)));
        }
        ps.setLong(chosen.size() + 1, id);
        ps.executeUpdate();
      }
    }

    private void delete(Connection c, long id) throws SQLException {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE id = ?")) {
        ps.setLong(1, id);
        ps.executeUpdate();
      }
    }
  }

  static void bind(Connection c, PreparedStatement ps, int index, Column column, Object value)
      throws SQLException {
    if (value == null) {
      ps.setNull(index, java.sql.Types.NULL);
    } else if (value instanceof Integer[] ints) {
      ps.setArray(index, c.createArrayOf("integer", ints));
    } else if (value instanceof String[] strings) {
      ps.setArray(index, c.createArrayOf("text", strings));
    } else if (value instanceof byte[] bytes) {
      ps.setBytes(index, bytes);
    } else {
      ps.setObject(index, value);
    }
  }

  // ---- reading the topic

  record Event(long offset, String key, byte[] raw, GenericRecord record) {
    String op() {
      return record.get("op").toString();
    }
  }

  /** Reads a topic from the beginning; values decoded with the subject's latest schema. */
  final class TopicReader implements AutoCloseable {
    final String topic;
    final boolean json;
    final KafkaConsumer<byte[], byte[]> consumer;
    final List<ConsumerRecord<byte[], byte[]>> raw = new ArrayList<>();
    final RecordDecoder decoder = new RecordDecoder(registry);
    final List<Event> decoded = new ArrayList<>();
    Schema decodedWith;
    boolean assigned;

    TopicReader(String topic) {
      this(topic, false);
    }

    TopicReader(String topic, boolean json) {
      this.topic = topic;
      this.json = json;
      Properties p = new Properties();
      p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
      p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
      p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
      p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
      consumer = new KafkaConsumer<>(p);
    }

    void poll(Duration timeout) {
      if (!assigned) {
        List<PartitionInfo> partitions;
        try {
          partitions = consumer.partitionsFor(topic, Duration.ofSeconds(2));
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
          partitions = List.of(); // not created yet
        }
        if (partitions == null || partitions.isEmpty()) {
          sleep(timeout);
          return;
        }
        List<TopicPartition> tps =
            partitions.stream().map(pi -> new TopicPartition(topic, pi.partition())).toList();
        consumer.assign(tps);
        consumer.seekToBeginning(tps);
        assigned = true;
      }
      consumer.poll(timeout).forEach(raw::add);
    }

    long drainAndSize() {
      for (int i = 0; i < 4; i++) {
        poll(Duration.ofMillis(500));
      }
      return raw.size();
    }

    int size() {
      return raw.size();
    }

    List<Event> events() {
      List<Event> out = new ArrayList<>(raw.size());
      if (json) {
        for (ConsumerRecord<byte[], byte[]> r : raw) {
          out.add(new Event(r.offset(), key(r), r.value(), null));
        }
        return out;
      }
      Schema reader = registry.latest(topic + "-value").schema();
      if (!reader.equals(decodedWith)) {
        decoded.clear(); // a new latest schema: everything is decoded again with it
        decodedWith = reader;
      }
      for (int i = decoded.size(); i < raw.size(); i++) {
        ConsumerRecord<byte[], byte[]> r = raw.get(i);
        decoded.add(new Event(r.offset(), key(r), r.value(), decoder.decode(r.value(), reader)));
      }
      return new ArrayList<>(decoded);
    }

    private String key(ConsumerRecord<byte[], byte[]> r) {
      return r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
    }

    long count(java.util.function.Predicate<Event> filter) {
      return events().stream().filter(filter).count();
    }

    List<Event> awaitCount(java.util.function.Predicate<Event> filter, long n, Duration max) {
      long deadline = System.nanoTime() + max.toNanos();
      while (true) {
        poll(Duration.ofMillis(300));
        if (!raw.isEmpty()) {
          List<Event> all = events();
          if (all.stream().filter(filter).count() >= n) {
            return all;
          }
        }
        if (System.nanoTime() > deadline) {
          fail("Timed out waiting for " + n + " events on " + topic + " (have " + raw.size() + ")");
        }
      }
    }

    @Override
    public void close() {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static List<String> list(String... s) {
    return Arrays.asList(s);
  }
}
