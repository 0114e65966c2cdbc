package io.tarn.jobs.silver.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.jobs.JobEnvironment;
import io.tarn.jobs.LakeReader;
import io.tarn.jobs.bronze.BronzeJob;
import io.tarn.jobs.config.JobConfig;
import io.tarn.jobs.lake.Lake;
import io.tarn.jobs.lake.TableNames;
import io.tarn.jobs.silver.SilverJob;
import io.tarn.kafka.broker.KafkaBroker;
import io.tarn.kafka.broker.ParentBoundMain;
import io.tarn.schemas.registry.RecordDecoder;
import io.tarn.schemas.registry.RestSchemaRegistry;
import io.tarn.schemas.registry.SchemaRegistryServer;
import io.tarn.testing.db.PostgresServer;
import io.tarn.testing.db.Processes;
import java.io.File;
import java.io.IOException;
import java.io.Writer;
import java.lang.ProcessBuilder.Redirect;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: a real PostgreSQL table, captured by cdc-capture ({@code CaptureMain} in a child JVM,
 * its Debezium/Kafka 4.1 classpath kept apart from Flink's) into a real Kafka broker, then the
 * bronze and silver jobs on a MiniCluster: {@code silver.public_accounts} must end up equal to the
 * PostgreSQL table row for row, column by column — across a randomized workload with multi-row
 * transactions and delete-then-reinsert, a kill -9 of the capture and its resume, and an ADD
 * COLUMN.
 */
class PostgresToSilverIT {
  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(8)
              .build());

  private static final String TABLE = "public.accounts";
  private static final String TOPIC = "cdc.public.accounts";
  private static final int SEED_ROWS = 500;
  private static final long MAX_ID = 1_200;

  @TempDir static Path dir;
  static Path cdcJar;
  static Path cdcLib;
  static PostgresServer postgres;
  static KafkaBroker broker;
  static SchemaRegistryServer registry;
  static long alterLsn;

  @BeforeAll
  static void startServers() {
    locateCaptureRuntime();
    postgres = PostgresServer.start();
    broker = KafkaBroker.start(dir.resolve("kafka"));
    registry = SchemaRegistryServer.start("127.0.0.1", 0, null);
  }

  @AfterAll
  static void stopServers() {
    if (registry != null) {
      registry.close();
    }
    if (broker != null) {
      broker.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  /** cdc-capture's runnable classpath, built by its {@code package}: the jar and target/lib. */
  static void locateCaptureRuntime() {
    Path module = Paths.get(System.getProperty("basedir", System.getProperty("user.dir")));
    Path target = module.resolve("../cdc-capture/target").toAbsolutePath().normalize();
    cdcLib = target.resolve("lib");
    try (Stream<Path> files = Files.list(target)) {
      cdcJar =
          files
              .filter(
                  p ->
                      p.getFileName()
                          .toString()
                          .matches("tarn-cdc-capture-[^-]+(-SNAPSHOT)?\\.jar"))
              .findFirst()
              .orElse(null);
    } catch (IOException e) {
      cdcJar = null;
    }
    if (cdcJar == null || !Files.isDirectory(cdcLib)) {
      throw new IllegalStateException(
          "Cannot find the cdc-capture runtime (tarn-cdc-capture-*.jar and lib/) in "
              + target
              + ": run ./mvnw install first");
    }
  }

  @Test
  void silverMirrorsThePostgresTableAcrossAnAddColumnMidStream() throws Exception {
    mirror(true);
  }

  private void mirror(boolean addColumnMidStream) throws Exception {
    Workload workload = new Workload(new Random(20261128));
    try (Connection c = postgres.connect();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE "
              + TABLE
              + " (id bigint PRIMARY KEY, name text, balance numeric(12,2), opened date,"
              + " updated_at timestamptz, active boolean, tags text[])");
      s.execute("ALTER TABLE " + TABLE + " REPLICA IDENTITY FULL");
      workload.seed(c, SEED_ROWS);
    }

    Path config = captureConfig();
    Path captureLog = dir.resolve("capture.log");
    Process capture = startCapture(config, captureLog);
    JobClient job = null;
    try {
      awaitTopic(capture, captureLog);
      job = startJobs();

      try (Connection c = postgres.connect()) {
        workload.run(c, 1_200, false);
      }
      // kill -9 while it is still streaming; the workload goes on while it is down
      capture.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      try (Connection c = postgres.connect()) {
        workload.run(c, 600, false);
      }
      capture = startCapture(config, captureLog); // same data.dir: resumes, no second snapshot
      try (Connection c = postgres.connect()) {
        workload.run(c, 400, false);
        if (addColumnMidStream) {
          try (Statement s = c.createStatement()) {
            s.execute("ALTER TABLE " + TABLE + " ADD COLUMN email text");
            try (ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn()::text")) {
              rs.next();
              String[] lsn = rs.getString(1).split("/");
              alterLsn = (Long.parseLong(lsn[0], 16) << 32) + Long.parseLong(lsn[1], 16);
            }
          }
        }
        workload.run(c, 900, addColumnMidStream);
      }
      assertThat(workload.operations).isGreaterThanOrEqualTo(3_000);

      Map<Long, List<Object>> source = postgresRows();
      LakeReader lake = new LakeReader(new Lake(config()));
      String silverTable = TableNames.forChangeTopic(TOPIC);
      Map<Long, List<Object>> silver = Map.of();
      long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
      while (System.nanoTime() < deadline) {
        assertThat(capture.isAlive())
            .as("capture alive; log:\n%s", Processes.tail(captureLog, 40))
            .isTrue();
        silver = silverRows(lake, silverTable);
        if (silver.equals(source)) {
          break;
        }
        Thread.sleep(1_000);
      }
      assertThat(silver).as(diff(source, silver, lake, silverTable)).isEqualTo(source);
      for (Map.Entry<Long, List<Object>> e : source.entrySet()) {
        assertThat(silver.get(e.getKey())).as("row id=%s", e.getKey()).isEqualTo(e.getValue());
      }
      assertThat(source).hasSizeGreaterThan(100);
      if (addColumnMidStream) {
        assertThat(source.values().stream().filter(r -> r.get(r.size() - 1) != null).count())
            .as("rows with an email")
            .isGreaterThan(0);
      }
      assertThat(snapshotReads())
          .as("snapshot rows in the topic (a second snapshot would double them)")
          .isEqualTo(SEED_ROWS);
    } finally {
      capture.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      Files.copy(
          captureLog,
          Path.of("target", "PostgresToSilverIT-capture.log"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      if (job != null) {
        job.cancel().get(60, TimeUnit.SECONDS);
      }
    }
  }

  // ---- the capture child JVM

  private static Path captureConfig() throws IOException {
    Properties p = new Properties();
    p.setProperty("source.kind", "postgres");
    p.setProperty("source.host", postgres.host());
    p.setProperty("source.port", String.valueOf(postgres.port()));
    p.setProperty("source.database", postgres.database());
    p.setProperty("source.user", PostgresServer.USER);
    p.setProperty("source.password", PostgresServer.PASSWORD);
    p.setProperty("source.tables", TABLE);
    p.setProperty("topic.prefix", "cdc");
    p.setProperty("topic.partitions", "2");
    p.setProperty("kafka.bootstrap.servers", broker.bootstrapServers());
    p.setProperty("registry.url", registry.url());
    p.setProperty("data.dir", dir.resolve("cdc-data").toString());
    p.setProperty("poll.interval.ms", "10");
    p.setProperty("progress.interval.ms", "5000");
    Path file = dir.resolve("capture.properties");
    try (Writer out = Files.newBufferedWriter(file)) {
      p.store(out, "PostgresToSilverIT");
    }
    return file;
  }

  /**
   * {@code java -cp <cdc jar>:<cdc lib>/* CaptureMain --config file} under {@link ParentBoundMain}
   * (JDK-only, from tarn-kafka-broker) so the child exits if this JVM dies without its teardown.
   */
  private static Process startCapture(Path config, Path log) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String parentBound;
    try {
      parentBound =
          Path.of(ParentBoundMain.class.getProtectionDomain().getCodeSource().getLocation().toURI())
              .toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    String classPath =
        String.join(
            File.pathSeparator, cdcJar.toString(), cdcLib.resolve("*").toString(), parentBound);
    Files.writeString(
        log,
        "---- starting capture " + Instant.now() + "\n",
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    return new ProcessBuilder(
            java,
            "-Xmx384m",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            classPath,
            ParentBoundMain.class.getName(),
            "io.tarn.cdc.CaptureMain",
            "--config",
            config.toString())
        .redirectErrorStream(true)
        .redirectOutput(Redirect.appendTo(log.toFile()))
        .start();
  }

  /** Waits for the capture to create the topic, so the jobs' pattern source sees it at start. */
  private static void awaitTopic(Process capture, Path log) throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!admin.listTopics().names().get().contains(TOPIC)) {
        if (!capture.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "Cannot see topic "
                  + TOPIC
                  + " (capture "
                  + (capture.isAlive() ? "running" : "exited " + capture.exitValue())
                  + "); log:\n"
                  + Processes.tail(log, 60));
        }
        Thread.sleep(200);
      }
    }
  }

  // ---- the jobs

  private static JobConfig config() {
    Map<String, String> settings = new HashMap<>();
    settings.put("kafka.bootstrap.servers", broker.bootstrapServers());
    settings.put("kafka.topics", "");
    settings.put("cdc.topic-pattern", "cdc\\.(?!_).*");
    settings.put("registry.url", registry.url());
    settings.put("catalog.uri", "jdbc:sqlite:" + dir.resolve("catalog.db"));
    settings.put("catalog.warehouse", dir.resolve("warehouse").toString());
    settings.put("checkpoint.interval", "1s");
    settings.put("job.parallelism", "2");
    return JobConfig.of(settings);
  }

  private static JobClient startJobs() throws Exception {
    JobConfig config = config();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.configure(Configuration.fromMap(JobEnvironment.settings(config)));
    env.setParallelism(2);
    BronzeJob.addTo(env, config);
    SilverJob.addTo(env, config);
    return env.executeAsync("postgres-to-silver-it");
  }

  // ---- the workload: single writer, so `present` mirrors the table

  static final class Workload {
    final Random random;
    final TreeSet<Long> present = new TreeSet<>();
    int operations;

    Workload(Random random) {
      this.random = random;
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
          withEmail
              ? "INSERT INTO "
                  + TABLE
                  + " (id, name, balance, opened, updated_at, active, tags, email)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
              : "INSERT INTO "
                  + TABLE
                  + " (id, name, balance, opened, updated_at, active, tags)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?)";
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setLong(1, id);
        bindValues(c, ps, 2, withEmail);
        ps.executeUpdate();
      }
      present.add(id);
    }

    private void update(Connection c, long id, boolean withEmail) throws SQLException {
      String sql =
          withEmail
              ? "UPDATE "
                  + TABLE
                  + " SET name = ?, balance = ?, opened = ?, updated_at = ?, active = ?, tags = ?,"
                  + " email = ? WHERE id = ?"
              : "UPDATE "
                  + TABLE
                  + " SET name = ?, balance = ?, opened = ?, updated_at = ?, active = ?, tags = ?"
                  + " WHERE id = ?";
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        int next = bindValues(c, ps, 1, withEmail);
        ps.setLong(next, id);
        ps.executeUpdate();
      }
    }

    private void delete(Connection c, long id) throws SQLException {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + TABLE + " WHERE id = ?")) {
        ps.setLong(1, id);
        ps.executeUpdate();
      }
      present.remove(id);
    }

    private void resync(Connection c) throws SQLException {
      present.clear();
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT id FROM " + TABLE)) {
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
        ps.setString(i++, text(20));
      }
      if (nullNow()) {
        ps.setNull(i++, Types.NUMERIC);
      } else {
        ps.setBigDecimal(
            i++, BigDecimal.valueOf(random.nextLong(-99_999_999_999L, 99_999_999_999L), 2));
      }
      if (nullNow()) {
        ps.setNull(i++, Types.DATE);
      } else {
        ps.setObject(i++, LocalDate.ofEpochDay(random.nextInt(-3_000, 25_000)));
      }
      if (nullNow()) {
        ps.setNull(i++, Types.TIMESTAMP_WITH_TIMEZONE);
      } else {
        ps.setObject(
            i++,
            OffsetDateTime.ofInstant(
                    Instant.ofEpochSecond(random.nextLong(0, 4_000_000_000L))
                        .plus(random.nextLong(1_000_000), ChronoUnit.MICROS),
                    ZoneOffset.UTC)
                .withOffsetSameInstant(ZoneOffset.ofHours(random.nextInt(-11, 12))));
      }
      if (nullNow()) {
        ps.setNull(i++, Types.BOOLEAN);
      } else {
        ps.setBoolean(i++, random.nextBoolean());
      }
      if (nullNow()) {
        ps.setNull(i++, Types.ARRAY);
      } else {
        String[] tags = new String[random.nextInt(4)];
        for (int t = 0; t < tags.length; t++) {
          tags[t] = text(8);
        }
        ps.setArray(i++, c.createArrayOf("text", tags));
      }
      if (withEmail) {
        if (nullNow()) {
          ps.setNull(i++, Types.VARCHAR);
        } else {
          ps.setString(i++, text(6).replace(' ', '_') + "@example.com");
        }
      }
      return i;
    }

    private boolean nullNow() {
      return random.nextInt(12) == 0;
    }

    private String text(int maxLength) {
      String alphabet = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJ0123456789'\"-éßλ中";
      StringBuilder sb = new StringBuilder();
      int length = 1 + random.nextInt(maxLength);
      for (int i = 0; i < length; i++) {
        sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      return sb.toString();
    }
  }

  // ---- both sides as canonical rows: [name, balance, opened, updated_at, active, tags, email]

  private static Map<Long, List<Object>> postgresRows() throws SQLException {
    Map<Long, List<Object>> rows = new TreeMap<>();
    try (Connection c = postgres.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM " + TABLE)) {
      ResultSetMetaData meta = rs.getMetaData();
      boolean hasEmail = meta.getColumnCount() == 8;
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        row.add(rs.getString("name"));
        row.add(rs.getBigDecimal("balance"));
        row.add(rs.getObject("opened", LocalDate.class));
        OffsetDateTime updated = rs.getObject("updated_at", OffsetDateTime.class);
        row.add(updated == null ? null : updated.toInstant());
        boolean active = rs.getBoolean("active");
        row.add(rs.wasNull() ? null : active);
        Array tags = rs.getArray("tags");
        row.add(tags == null ? null : Arrays.asList((Object[]) tags.getArray()));
        row.add(hasEmail ? rs.getString("email") : null);
        rows.put(rs.getLong("id"), row);
      }
    }
    return rows;
  }

  private static Map<Long, List<Object>> silverRows(LakeReader lake, String table) {
    Map<Long, List<Object>> rows = new TreeMap<>();
    for (Record r : lake.rows("silver", table)) {
      List<Object> row = new ArrayList<>();
      row.add(text(field(r, "name")));
      row.add(field(r, "balance"));
      row.add(field(r, "opened"));
      row.add(instant(field(r, "updated_at")));
      row.add(field(r, "active"));
      Object tags = field(r, "tags");
      row.add(
          tags instanceof List<?> list
              ? list.stream().map(PostgresToSilverIT::text).toList()
              : tags);
      row.add(text(field(r, "email")));
      rows.put((Long) r.getField("id"), row);
    }
    return rows;
  }

  /** A short account of how silver differs from the source, with the metadata of extra rows. */
  private static String diff(
      Map<Long, List<Object>> source,
      Map<Long, List<Object>> silver,
      LakeReader lake,
      String table) {
    List<Long> missing = source.keySet().stream().filter(k -> !silver.containsKey(k)).toList();
    List<Long> extra = silver.keySet().stream().filter(k -> !source.containsKey(k)).toList();
    List<Long> different =
        source.keySet().stream()
            .filter(k -> silver.containsKey(k) && !source.get(k).equals(silver.get(k)))
            .toList();
    Map<Long, Integer> copies = new TreeMap<>();
    for (Record r : lake.rows("silver", table)) {
      copies.merge((Long) r.getField("id"), 1, Integer::sum);
    }
    List<Long> duplicated =
        copies.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            "ALTER TABLE ADD COLUMN at LSN %d; ids with more than one silver row: %d %s%n",
            alterLsn, duplicated.size(), duplicated.stream().limit(20).toList()));
    sb.append(
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
    for (Record r : lake.rows("silver", table)) {
      Long id = (Long) r.getField("id");
      if (extra.stream().limit(10).anyMatch(id::equals)
          || duplicated.stream().limit(3).anyMatch(id::equals)) {
        sb.append(
            String.format(
                "  silver row id=%d _op=%s _source_position=%s _kafka_partition=%s _kafka_offset=%s%n",
                id,
                r.getField("_op"),
                r.getField("_source_position"),
                r.getField("_kafka_partition"),
                r.getField("_kafka_offset")));
      }
    }
    List<String> watched =
        Stream.concat(extra.stream().limit(4), duplicated.stream().limit(3))
            .map(String::valueOf)
            .toList();
    for (Map.Entry<String, List<String>> e : topicEvents(watched).entrySet()) {
      sb.append(String.format("  topic events id=%s: %s%n", e.getKey(), e.getValue()));
    }
    for (String zone : List.of("bronze", "silver")) {
      org.apache.iceberg.catalog.Catalog catalog = new Lake(config()).catalogLoader().loadCatalog();
      try {
        for (org.apache.iceberg.catalog.TableIdentifier t :
            catalog.listTables(org.apache.iceberg.catalog.Namespace.of(zone))) {
          sb.append(String.format("  table %s: %d rows%n", t, lake.rows(zone, t.name()).size()));
        }
      } finally {
        Lake.closeQuietly(catalog);
      }
    }
    return sb.toString();
  }

  /** Every event of these keys in the topic: op@position/partition:offset. */
  private static Map<String, List<String>> topicEvents(List<String> keys) {
    Map<String, List<String>> events = new TreeMap<>();
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    try (KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        RestSchemaRegistry client = new RestSchemaRegistry(registry.url())) {
      RecordDecoder decoder = new RecordDecoder(client);
      List<TopicPartition> partitions =
          consumer.partitionsFor(TOPIC).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
          && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          String key =
              record.key() == null
                  ? null
                  : new String(record.key(), java.nio.charset.StandardCharsets.UTF_8);
          if (keys.contains(key)) {
            GenericRecord event =
                decoder.decode(record.value(), client.schemaById(decoder.schemaId(record.value())));
            events
                .computeIfAbsent(key, k -> new ArrayList<>())
                .add(
                    event.get("op")
                        + "@"
                        + event.get("source_position")
                        + "/"
                        + record.partition()
                        + ":"
                        + record.offset());
          }
        }
      }
    } catch (RuntimeException e) {
      events.put("error", List.of(e.toString()));
    }
    return events;
  }

  private static Object field(Record r, String name) {
    return r.struct().field(name) == null ? null : r.getField(name);
  }

  /** Iceberg strings may come as any CharSequence; everything else stays as it is. */
  private static Object text(Object value) {
    return value instanceof CharSequence cs ? cs.toString() : value;
  }

  /** timestamptz: Iceberg generics read it as OffsetDateTime (with zone) or LocalDateTime (UTC). */
  private static Object instant(Object value) {
    if (value instanceof OffsetDateTime o) {
      return o.toInstant();
    }
    if (value instanceof LocalDateTime l) {
      return l.toInstant(ZoneOffset.UTC);
    }
    return value;
  }

  /** Snapshot reads ({@code op = r}) in the topic: exactly the seeded rows, once. */
  private static long snapshotReads() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    long reads = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        RestSchemaRegistry client = new RestSchemaRegistry(registry.url())) {
      RecordDecoder decoder = new RecordDecoder(client);
      List<TopicPartition> partitions =
          consumer.partitionsFor(TOPIC).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("Cannot read " + TOPIC + " to its end");
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          GenericRecord event =
              decoder.decode(record.value(), client.schemaById(decoder.schemaId(record.value())));
          if (Objects.equals(String.valueOf(event.get("op")), "r")) {
            reads++;
          }
        }
      }
    }
    return reads;
  }
}
