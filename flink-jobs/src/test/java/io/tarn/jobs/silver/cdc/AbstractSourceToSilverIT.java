package io.tarn.jobs.silver.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.cdc.CaptureProcess;
import io.tarn.jobs.JobEnvironment;
import io.tarn.jobs.LakeReader;
import io.tarn.jobs.LakeServers;
import io.tarn.jobs.LatestCheckpoint;
import io.tarn.jobs.bronze.BronzeJob;
import io.tarn.jobs.config.JobConfig;
import io.tarn.jobs.lake.Lake;
import io.tarn.jobs.lake.TableNames;
import io.tarn.jobs.silver.SilverJob;
import io.tarn.schemas.registry.RecordDecoder;
import io.tarn.schemas.registry.RestSchemaRegistry;
import io.tarn.testing.db.Processes;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The CDC contract end to end, for each source database: a real table captured by cdc-capture
 * ({@code CaptureMain} in a child JVM, its Debezium/Kafka 4.1 classpath kept apart from Flink's)
 * into a real Kafka broker, then the bronze and silver jobs on a MiniCluster. The silver table must
 * equal the source table row for row, column by column, after a snapshot and more than 10,000
 * changes in multi-row transactions (delete-then-reinsert, rollbacks), a kill -9 and resume of the
 * capture, a cancel of the Flink job and its restore from the retained checkpoint, an ADD COLUMN
 * and a widened decimal mid-stream. A table without a primary key lands append-only: one silver row
 * per change.
 */
abstract class AbstractSourceToSilverIT {
  @RegisterExtension static final MiniClusterExtension FLINK = LakeServers.flinkCluster();

  private static final int SEED_ROWS = 500;
  private static final int AUDIT_SEED_ROWS = 40;
  private static final long MAX_ID = 1_500;

  @RegisterExtension static final LakeServers SERVERS = new LakeServers();

  // ---- what differs between databases

  abstract Connection connect() throws SQLException;

  /** PostgreSQL schema or MariaDB database holding the tables. */
  abstract String namespace();

  /** {@code accounts} (primary key {@code id}) and {@code audit_log} (no primary key). */
  abstract List<String> createTables(String accounts, String auditLog);

  abstract String addEmailColumn(String accounts);

  /** Widens {@code balance} from decimal(12,2) to decimal(16,2). */
  abstract String widenBalance(String accounts);

  /** {@code source.*} settings of the capture. */
  abstract Map<String, String> sourceSettings();

  /** A random instant the {@code updated_at} column can hold, at its precision. */
  abstract Instant randomInstant(Random random);

  abstract void bindTimestamp(PreparedStatement ps, int index, Instant value, Random random)
      throws SQLException;

  abstract Instant readTimestamp(ResultSet rs, String column) throws SQLException;

  abstract List<String> readTags(ResultSet rs) throws SQLException;

  /** Binds {@code tags}, or SQL NULL when {@code tags} is null. */
  abstract void bindTags(Connection c, PreparedStatement ps, int index, List<String> tags)
      throws SQLException;

  /** The silver value of {@code tags} in the same canonical form as {@link #readTags}. */
  abstract List<String> silverTags(Object value);

  // ----

  @Test
  void silverMirrorsTheSourceThroughCrashesRestoresAndAnAddColumn() throws Exception {
    String accounts = namespace() + ".accounts";
    String auditLog = namespace() + ".audit_log";
    String accountsTopic = "cdc." + accounts;
    String auditTopic = "cdc." + auditLog;
    Workload workload = new Workload(new Random(20261128), accounts);
    AuditLog audit = new AuditLog(new Random(7), auditLog);
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      for (String sql : createTables(accounts, auditLog)) {
        s.execute(sql);
      }
      workload.seed(c, SEED_ROWS);
      audit.seed(c, AUDIT_SEED_ROWS);
    }

    Path config = captureConfig(accounts + "," + auditLog);
    Path captureLog = SERVERS.dir().resolve("capture.log");
    CaptureProcess capture = startCapture(config, captureLog);
    JobClient job = null;
    try {
      awaitTopics(capture, captureLog, accountsTopic, auditTopic);
      job = startJobs(null);
      phase(workload, audit, 3_000, false);

      // kill -9 the capture while it streams; changes go on while it is down
      capture.kill();
      phase(workload, audit, 1_500, false);
      capture = startCapture(config, captureLog); // same data.dir: resumes, no second snapshot
      phase(workload, audit, 1_500, false);

      // the Flink job goes away without a savepoint; it restores from its retained checkpoint
      awaitCheckpoint(SERVERS.dir().resolve("checkpoints"));
      job.cancel().get(60, TimeUnit.SECONDS);
      job = null;
      phase(workload, audit, 1_500, false);
      Path checkpoint =
          LatestCheckpoint.in(SERVERS.dir().resolve("checkpoints"))
              .orElseThrow(() -> new AssertionError("no retained checkpoint to restore from"));
      job = startJobs(checkpoint);

      try (Connection c = connect();
          Statement s = c.createStatement()) {
        s.execute(addEmailColumn(accounts));
      }
      phase(workload, audit, 1_600, true);
      try (Connection c = connect();
          Statement s = c.createStatement()) {
        s.execute(widenBalance(accounts));
      }
      workload.maxCents = 99_999_999_999_999L;
      phase(workload, audit, 1_000, true);
      assertThat(workload.operations).isGreaterThanOrEqualTo(10_000);

      Map<Long, List<Object>> source = sourceRows(accounts);
      List<String> expectedLog = audit.expectedSilverRows();
      LakeReader lake = new LakeReader(new Lake(config()));
      String silverAccounts = TableNames.forChangeTopic(accountsTopic);
      String silverAudit = TableNames.forChangeTopic(auditTopic);
      Map<Long, List<Object>> silver = Map.of();
      List<String> silverLog = List.of();
      long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
      while (System.nanoTime() < deadline) {
        assertThat(capture.isAlive())
            .as("capture alive; log:\n%s", Processes.tail(captureLog, 40))
            .isTrue();
        silver = silverRows(lake, silverAccounts);
        silverLog = silverLogRows(lake, silverAudit);
        if (silver.equals(source) && silverLog.equals(expectedLog)) {
          break;
        }
        Thread.sleep(1_000);
      }
      assertThat(silver).as(diff(source, silver)).isEqualTo(source);
      assertThat(source).hasSizeGreaterThan(100);
      assertThat(source.values().stream().filter(r -> r.get(r.size() - 1) != null).count())
          .as("rows with an email, the column added mid-stream")
          .isGreaterThan(0);
      assertThat(
              source.values().stream()
                  .filter(r -> r.get(1) != null)
                  .filter(r -> ((BigDecimal) r.get(1)).precision() > 12)
                  .count())
          .as("balances that fit only the widened decimal(16,2)")
          .isGreaterThan(0);
      assertThat(silverLog)
          .as("the keyless table: one silver row per change, none lost or doubled")
          .isEqualTo(expectedLog);
      assertThat(snapshotReads(accountsTopic) + snapshotReads(auditTopic))
          .as("snapshot rows in the topics (a second snapshot would double them)")
          .isEqualTo(SEED_ROWS + AUDIT_SEED_ROWS);
    } finally {
      capture.kill();
      Files.copy(
          captureLog,
          Path.of("target", getClass().getSimpleName() + "-capture.log"),
          StandardCopyOption.REPLACE_EXISTING);
      if (job != null) {
        job.cancel().get(60, TimeUnit.SECONDS);
      }
    }
  }

  private static void awaitCheckpoint(Path checkpoints) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (LatestCheckpoint.in(checkpoints).isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no checkpoint completed within 90 s");
      }
      Thread.sleep(200);
    }
  }

  private void phase(Workload workload, AuditLog audit, int changes, boolean withEmail)
      throws SQLException {
    try (Connection c = connect()) {
      workload.run(c, changes, withEmail);
      audit.run(c, changes / 30);
    }
  }

  // ---- the capture child JVM

  private Path captureConfig(String tables) throws IOException {
    Properties p = new Properties();
    p.putAll(sourceSettings());
    p.setProperty("source.tables", tables);
    p.setProperty("topic.prefix", "cdc");
    p.setProperty("topic.partitions", "2");
    p.setProperty("kafka.bootstrap.servers", SERVERS.bootstrapServers());
    p.setProperty("registry.url", SERVERS.registryUrl());
    p.setProperty("data.dir", SERVERS.dir().resolve("cdc-data").toString());
    p.setProperty("poll.interval.ms", "10");
    p.setProperty("progress.interval.ms", "5000");
    Path file = SERVERS.dir().resolve("capture.properties");
    try (Writer out = Files.newBufferedWriter(file)) {
      p.store(out, getClass().getSimpleName());
    }
    return file;
  }

  private static CaptureProcess startCapture(Path config, Path log) {
    Path module = Paths.get(System.getProperty("basedir", System.getProperty("user.dir")));
    Path target = module.resolve("../cdc-capture/target").toAbsolutePath().normalize();
    return CaptureProcess.start(target, List.of("--config", config.toString()), log);
  }

  /** Waits for the capture to create the topics, so the jobs' pattern source sees them at start. */
  private static void awaitTopics(CaptureProcess capture, Path log, String... topics)
      throws Exception {
    try (org.apache.kafka.clients.admin.Admin admin =
        org.apache.kafka.clients.admin.Admin.create(
            Map.of("bootstrap.servers", SERVERS.bootstrapServers()))) {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!admin.listTopics().names().get().containsAll(List.of(topics))) {
        if (!capture.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "Cannot see topics "
                  + List.of(topics)
                  + " (capture "
                  + capture.state()
                  + "); log:\n"
                  + Processes.tail(log, 60));
        }
        Thread.sleep(200);
      }
    }
  }

  // ---- the jobs

  private static JobConfig config() {
    Map<String, String> settings = SERVERS.settings();
    settings.put("kafka.topics", "");
    settings.put("cdc.topic-pattern", "cdc\\.(?!_).*");
    settings.put("checkpoint.dir", SERVERS.dir().resolve("checkpoints").toUri().toString());
    return JobConfig.of(settings);
  }

  private static JobClient startJobs(Path restoreFrom) throws Exception {
    JobConfig config = config();
    Map<String, String> settings = new HashMap<>(JobEnvironment.settings(config));
    if (restoreFrom != null) {
      settings.put("execution.state-recovery.path", restoreFrom.toUri().toString());
    }
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.configure(Configuration.fromMap(settings));
    env.setParallelism(2);
    BronzeJob.addTo(env, config);
    SilverJob.addTo(env, config);
    return env.executeAsync("source-to-silver-it");
  }

  // ---- the keyed table's workload: single writer, so `present` mirrors the table

  final class Workload {
    final Random random;
    final String table;
    final TreeSet<Long> present = new TreeSet<>();
    int operations;
    long maxCents = 9_999_999_999L; // numeric(12,2); more once the column is widened

    Workload(Random random, String table) {
      this.random = random;
      this.table = table;
    }

    void seed(Connection c, int rows) throws SQLException {
      c.setAutoCommit(false);
      for (long id = 1; id <= rows; id++) {
        insert(c, id, false);
      }
      c.commit();
      c.setAutoCommit(true);
    }

    /** At least {@code count} committed changes in transactions of 1–6 statements. */
    void run(Connection c, int count, boolean withEmail) throws SQLException {
      c.setAutoCommit(false);
      int done = 0;
      while (done < count) {
        int size = 1 + random.nextInt(6);
        int inTransaction = 0;
        for (int i = 0; i < size; i++) {
          inTransaction += change(c, withEmail);
        }
        if (random.nextInt(25) == 0) {
          c.rollback(); // changes that never happened must not reach silver
          resync(c);
        } else {
          c.commit();
          done += inTransaction;
        }
      }
      c.setAutoCommit(true);
      operations += done;
    }

    private int change(Connection c, boolean withEmail) throws SQLException {
      int dice = random.nextInt(100);
      if (present.isEmpty() || dice < 30) {
        long id = 1 + random.nextLong(MAX_ID);
        if (present.contains(id)) {
          update(c, id, withEmail);
        } else {
          insert(c, id, withEmail);
        }
        return 1;
      }
      long id = existing();
      if (dice < 70) {
        update(c, id, withEmail);
        return 1;
      }
      if (dice < 88) {
        delete(c, id);
        return 1;
      }
      // delete, then insert the same id again (same transaction)
      delete(c, id);
      insert(c, id, withEmail);
      return 2;
    }

    private long existing() {
      Long id = present.ceiling(1 + random.nextLong(MAX_ID));
      return id != null ? id : present.first();
    }

    private void insert(Connection c, long id, boolean withEmail) throws SQLException {
      String sql =
          "INSERT INTO "
              + table
              + " (id, name, balance, opened, updated_at, active, tags"
              + (withEmail
                  ? ", email) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                  : ") VALUES (?, ?, ?, ?, ?, ?, ?)");
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setLong(1, id);
        bindValues(c, ps, 2, withEmail);
        ps.executeUpdate();
      }
      present.add(id);
    }

    private void update(Connection c, long id, boolean withEmail) throws SQLException {
      String sql =
          "UPDATE "
              + table
              + " SET name = ?, balance = ?, opened = ?, updated_at = ?, active = ?, tags = ?"
              + (withEmail ? ", email = ?" : "")
              + " WHERE id = ?";
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        int next = bindValues(c, ps, 1, withEmail);
        ps.setLong(next, id);
        ps.executeUpdate();
      }
    }

    private void delete(Connection c, long id) throws SQLException {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE id = ?")) {
        ps.setLong(1, id);
        ps.executeUpdate();
      }
      present.remove(id);
    }

    private void resync(Connection c) throws SQLException {
      present.clear();
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT id FROM " + table)) {
        while (rs.next()) {
          present.add(rs.getLong(1));
        }
      }
      c.commit();
    }

    /** Binds name … tags (and email): each nullable now and then. Returns the next index. */
    private int bindValues(Connection c, PreparedStatement ps, int i, boolean withEmail)
        throws SQLException {
      if (nullNow()) {
        ps.setNull(i++, Types.VARCHAR);
      } else {
        ps.setString(i++, text(random, 20));
      }
      if (nullNow()) {
        ps.setNull(i++, Types.NUMERIC);
      } else {
        ps.setBigDecimal(i++, BigDecimal.valueOf(random.nextLong(-maxCents, maxCents), 2));
      }
      if (nullNow()) {
        ps.setNull(i++, Types.DATE);
      } else {
        ps.setObject(i++, LocalDate.ofEpochDay(random.nextInt(-3_000, 25_000)));
      }
      if (nullNow()) {
        ps.setNull(i++, Types.TIMESTAMP);
      } else {
        bindTimestamp(ps, i++, randomInstant(random), random);
      }
      if (nullNow()) {
        ps.setNull(i++, Types.BOOLEAN);
      } else {
        ps.setBoolean(i++, random.nextBoolean());
      }
      List<String> tags = null;
      if (!nullNow()) {
        tags = new ArrayList<>();
        for (int t = random.nextInt(4); t > 0; t--) {
          tags.add(text(random, 8));
        }
      }
      bindTags(c, ps, i++, tags);
      if (withEmail) {
        if (nullNow()) {
          ps.setNull(i++, Types.VARCHAR);
        } else {
          ps.setString(i++, text(random, 6).replace(' ', '_') + "@example.com");
        }
      }
      return i;
    }

    private boolean nullNow() {
      return random.nextInt(12) == 0;
    }
  }

  static String text(Random random, int maxLength) {
    String alphabet = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJ0123456789'\"-éßλ中";
    StringBuilder sb = new StringBuilder();
    int length = 1 + random.nextInt(maxLength);
    for (int i = 0; i < length; i++) {
      sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  // ---- the keyless table: every committed change is expected once in silver, as "seq|op|action"

  static final class AuditLog {
    final Random random;
    final String table;
    final Map<Long, String> rows = new TreeMap<>();
    final List<String> changes = new ArrayList<>();
    long nextSeq = 1;

    AuditLog(Random random, String table) {
      this.random = random;
      this.table = table;
    }

    void seed(Connection c, int count) throws SQLException {
      for (int i = 0; i < count; i++) {
        insert(c, "r");
      }
    }

    void run(Connection c, int count) throws SQLException {
      c.setAutoCommit(true);
      for (int i = 0; i < count; i++) {
        int dice = random.nextInt(10);
        if (rows.isEmpty() || dice < 5) {
          insert(c, "c");
        } else {
          long seq = List.copyOf(rows.keySet()).get(random.nextInt(rows.size()));
          if (dice < 8) {
            String action = text(random, 12);
            execute(c, "UPDATE " + table + " SET action = ? WHERE seq = ?", action, seq);
            rows.put(seq, action);
            changes.add(seq + "|u|" + action);
          } else {
            execute(c, "DELETE FROM " + table + " WHERE seq = ?", null, seq);
            changes.add(seq + "|d|" + rows.remove(seq));
          }
        }
      }
    }

    private void insert(Connection c, String op) throws SQLException {
      long seq = nextSeq++;
      String action = text(random, 12);
      try (PreparedStatement ps =
          c.prepareStatement("INSERT INTO " + table + " (seq, actor, action) VALUES (?, ?, ?)")) {
        ps.setLong(1, seq);
        ps.setString(2, "user" + random.nextInt(5));
        ps.setString(3, action);
        ps.executeUpdate();
      }
      rows.put(seq, action);
      changes.add(seq + "|" + op + "|" + action);
    }

    private static void execute(Connection c, String sql, String action, long seq)
        throws SQLException {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        int i = 1;
        if (action != null) {
          ps.setString(i++, action);
        }
        ps.setLong(i, seq);
        assertThat(ps.executeUpdate()).as(sql).isEqualTo(1);
      }
    }

    List<String> expectedSilverRows() {
      return changes.stream().sorted().toList();
    }
  }

  // ---- both sides as canonical rows: [name, balance, opened, updated_at, active, tags, email]

  private Map<Long, List<Object>> sourceRows(String table) throws SQLException {
    Map<Long, List<Object>> rows = new TreeMap<>();
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        row.add(rs.getString("name"));
        row.add(rs.getBigDecimal("balance"));
        row.add(rs.getObject("opened", LocalDate.class));
        row.add(readTimestamp(rs, "updated_at"));
        boolean active = rs.getBoolean("active");
        row.add(rs.wasNull() ? null : active);
        row.add(readTags(rs));
        row.add(rs.getString("email"));
        rows.put(rs.getLong("id"), row);
      }
    }
    return rows;
  }

  private Map<Long, List<Object>> silverRows(LakeReader lake, String table) {
    Map<Long, List<Object>> rows = new TreeMap<>();
    for (Record r : lake.rows("silver", table)) {
      List<Object> row = new ArrayList<>();
      row.add(text(field(r, "name")));
      row.add(field(r, "balance"));
      row.add(field(r, "opened"));
      row.add(instant(field(r, "updated_at")));
      Object active = field(r, "active");
      row.add(active instanceof Number n ? (Object) (n.intValue() != 0) : active);
      row.add(silverTags(field(r, "tags")));
      row.add(text(field(r, "email")));
      rows.put((Long) r.getField("id"), row);
    }
    return rows;
  }

  private static List<String> silverLogRows(LakeReader lake, String table) {
    List<String> rows = new ArrayList<>();
    for (Record r : lake.rows("silver", table)) {
      rows.add(
          r.getField("seq") + "|" + text(r.getField("_op")) + "|" + text(r.getField("action")));
    }
    return rows.stream().sorted().toList();
  }

  private static String diff(Map<Long, List<Object>> source, Map<Long, List<Object>> silver) {
    List<Long> missing = source.keySet().stream().filter(k -> !silver.containsKey(k)).toList();
    List<Long> extra = silver.keySet().stream().filter(k -> !source.containsKey(k)).toList();
    List<Long> different =
        source.keySet().stream()
            .filter(k -> silver.containsKey(k) && !source.get(k).equals(silver.get(k)))
            .toList();
    StringBuilder sb =
        new StringBuilder(
            String.format(
                "source %d rows, silver %d; missing %d %s, extra %d %s, different %d%n",
                source.size(),
                silver.size(),
                missing.size(),
                missing.stream().limit(20).toList(),
                extra.size(),
                extra.stream().limit(20).toList(),
                different.size()));
    for (Long k : different.stream().limit(5).toList()) {
      sb.append(
          String.format(
              "  id=%d%n    source %s%n    silver %s%n", k, source.get(k), silver.get(k)));
    }
    return sb.toString();
  }

  static Object field(Record r, String name) {
    return r.struct().field(name) == null ? null : r.getField(name);
  }

  /** Iceberg strings may come as any CharSequence; everything else stays as it is. */
  static Object text(Object value) {
    return value instanceof CharSequence cs ? cs.toString() : value;
  }

  /** Iceberg generics read timestamps as OffsetDateTime (with zone) or LocalDateTime (UTC). */
  private static Object instant(Object value) {
    if (value instanceof OffsetDateTime o) {
      return o.toInstant();
    }
    if (value instanceof LocalDateTime l) {
      return l.toInstant(ZoneOffset.UTC);
    }
    return value;
  }

  /** Snapshot reads ({@code op = r}) in a topic: exactly the seeded rows, once. */
  private static long snapshotReads(String topic) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SERVERS.bootstrapServers());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    long reads = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        RestSchemaRegistry client = new RestSchemaRegistry(SERVERS.registryUrl())) {
      RecordDecoder decoder = new RecordDecoder(client);
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("Cannot read " + topic + " to its end");
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          GenericRecord event =
              decoder.decode(record.value(), client.schemaById(decoder.schemaId(record.value())));
          if ("r".equals(String.valueOf(event.get("op")))) {
            reads++;
          }
        }
      }
    }
    return reads;
  }
}
