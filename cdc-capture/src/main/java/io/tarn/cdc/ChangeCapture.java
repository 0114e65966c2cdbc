package io.tarn.cdc;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.tarn.schemas.registry.IncompatibleSchemaException;
import io.tarn.schemas.registry.RestSchemaRegistry;
import io.tarn.schemas.registry.SchemaRegistry;
import io.tarn.schemas.registry.SchemaVersion;
import io.tarn.schemas.registry.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs Debezium Embedded on one source database and publishes every row change to Kafka as a Tarn
 * CDC envelope (Avro, Confluent wire format, schema registered under {@code <topic>-value}).
 *
 * <p>Delivery is at least once: a batch of Debezium records is marked processed only after the
 * producer (idempotent, {@code acks=all}) has flushed it and Kafka acknowledged every record, so
 * offsets never run ahead of Kafka and a crash re-delivers instead of losing. Redelivered changes
 * carry the same {@code event_id} and {@code source_position}.
 *
 * <p>A schema the registry rejects (e.g. a column type change that breaks BACKWARD compatibility)
 * does not stop the capture: the table's changes go to {@code <prefix>._quarantine} as JSON and an
 * ERROR alert names the table and the reason.
 */
public final class ChangeCapture implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeCapture.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final CaptureConfig config;
  private final String sourceLabel;
  private final SchemaRegistry registry;
  private final KafkaProducer<byte[], byte[]> producer;
  private final Admin admin;
  private final DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
  private final ExecutorService engineThread;
  private final ScheduledExecutorService progressThread;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  // only touched by the engine's batch thread
  private final Map<org.apache.kafka.connect.data.Schema, TableSchema> schemas =
      new IdentityHashMap<>();
  private final Set<String> createdTopics = ConcurrentHashMap.newKeySet();
  private final Map<String, Long> snapshotRowCounters = new ConcurrentHashMap<>();

  private final Set<String> appendOnlyTables = ConcurrentHashMap.newKeySet();
  private final Set<String> rejectedTables = ConcurrentHashMap.newKeySet();
  private final AtomicLong snapshotRows = new AtomicLong();
  private final AtomicLong streamedEvents = new AtomicLong();
  private final AtomicLong quarantined = new AtomicLong();
  private final AtomicLong lastLagMs = new AtomicLong(-1);
  private volatile boolean snapshotComplete;

  /** Progress counters of a running capture. */
  public record Stats(
      long snapshotRows,
      boolean snapshotComplete,
      long streamedEvents,
      long quarantined,
      long lagMs) {
    @Override
    public String toString() {
      return "snapshot rows "
          + snapshotRows
          + (snapshotComplete ? " (complete)" : "")
          + ", streamed events "
          + streamedEvents
          + ", quarantined "
          + quarantined
          + ", lag "
          + (lagMs < 0 ? "n/a" : lagMs + " ms");
    }
  }

  private record TableSchema(
      String topic,
      String subject,
      String table,
      List<String> keyColumns,
      Schema envelope,
      Schema row,
      int schemaId,
      int version,
      String rejection) {}

  private ChangeCapture(CaptureConfig config) {
    this.config = config;
    this.sourceLabel =
        config.sourceKind().label()
            + ":"
            + config.sourceHost()
            + ":"
            + config.sourcePort()
            + "/"
            + config.sourceDatabase();
    this.registry = new RestSchemaRegistry(config.registryUrl(), config.registryOverrides());
    this.producer = new KafkaProducer<>(producerProperties(config));
    Properties adminProps = new Properties();
    adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    config
        .producerOverrides()
        .forEach(
            (k, v) -> {
              if (k.startsWith("security.") || k.startsWith("sasl.") || k.startsWith("ssl.")) {
                adminProps.put(k, v);
              }
            });
    this.admin = Admin.create(adminProps);
    this.engine =
        DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
            .using(debeziumProperties(config))
            .notifying(this::handleBatch)
            .using(this::completed)
            .build();
    this.engineThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "tarn-cdc-engine"));
    this.progressThread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "tarn-cdc-progress");
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts capturing; returns at once, the engine runs on its own thread. */
  public static ChangeCapture start(CaptureConfig config) {
    if (config.usesFileOffsets()) {
      try {
        Files.createDirectories(config.offsetFile().getParent());
        Files.createDirectories(config.schemaHistoryFile().getParent());
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot create CDC data directory " + config.dataDir(), e);
      }
    }
    ChangeCapture capture = new ChangeCapture(config);
    LOG.info(
        "Starting CDC capture of {} (tables {}) into topics {}.*",
        capture.sourceLabel,
        config.sourceTables().isEmpty() ? "all" : config.sourceTables(),
        config.topicPrefix());
    capture.engineThread.submit(capture.engine);
    if (config.progressIntervalMs() > 0) {
      capture.progressThread.scheduleAtFixedRate(
          () -> LOG.info("CDC progress: {}", capture.stats()),
          config.progressIntervalMs(),
          config.progressIntervalMs(),
          TimeUnit.MILLISECONDS);
    }
    return capture;
  }

  /** The Debezium engine/connector settings of a configuration (secrets included: never log). */
  static Properties debeziumProperties(CaptureConfig config) {
    Properties p = new Properties();
    p.setProperty("name", "tarn-cdc-" + config.topicPrefix());
    p.setProperty("topic.prefix", config.topicPrefix());
    p.setProperty("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore");
    p.setProperty("offset.storage.file.filename", config.offsetFile().toString());
    p.setProperty("offset.flush.interval.ms", String.valueOf(config.offsetFlushIntervalMs()));
    p.setProperty("database.hostname", config.sourceHost());
    p.setProperty("database.port", String.valueOf(config.sourcePort()));
    p.setProperty("database.user", config.sourceUser());
    p.setProperty("database.password", config.sourcePassword());
    p.setProperty("snapshot.mode", config.snapshotMode());
    p.setProperty("decimal.handling.mode", "precise");
    p.setProperty("binary.handling.mode", "bytes");
    p.setProperty("tombstones.on.delete", "false");
    p.setProperty("poll.interval.ms", String.valueOf(config.pollIntervalMs()));
    if (!config.sourceTables().isEmpty()) {
      p.setProperty("table.include.list", String.join(",", config.sourceTables()));
    }
    switch (config.sourceKind()) {
      case POSTGRES -> {
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        p.setProperty("database.dbname", config.sourceDatabase());
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", config.slotName());
        p.setProperty("publication.name", config.publicationName());
        p.setProperty(
            "publication.autocreate.mode",
            config.sourceTables().isEmpty() ? "all_tables" : "filtered");
      }
      case MARIADB -> {
        p.setProperty("connector.class", "io.debezium.connector.mariadb.MariaDbConnector");
        p.setProperty("database.include.list", config.sourceDatabase());
        p.setProperty("database.server.id", String.valueOf(config.sourceServerId()));
        p.setProperty(
            "schema.history.internal", "io.debezium.storage.file.history.FileSchemaHistory");
        p.setProperty(
            "schema.history.internal.file.filename", config.schemaHistoryFile().toString());
        p.setProperty("include.schema.changes", "false");
      }
      default -> throw new IllegalStateException();
    }
    config.debeziumOverrides().forEach(p::setProperty);
    return p;
  }

  private static Properties producerProperties(CaptureConfig config) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "tarn-cdc-" + config.topicPrefix());
    p.putAll(config.producerOverrides());
    // the delivery guarantee depends on these: not overridable
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return p;
  }

  // ---------------------------------------------------------------------------------------------
  // the batch path

  private void handleBatch(
      List<RecordChangeEvent<SourceRecord>> events,
      DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
      throws InterruptedException {
    List<Future<RecordMetadata>> sends = new ArrayList<>(events.size());
    for (RecordChangeEvent<SourceRecord> event : events) {
      ProducerRecord<byte[], byte[]> out = toKafka(event.record());
      if (out != null) {
        sends.add(producer.send(out));
      }
    }
    producer.flush();
    for (Future<RecordMetadata> send : sends) {
      try {
        send.get();
      } catch (ExecutionException e) {
        // not marked processed: the batch is delivered again after a restart
        throw new IllegalStateException(
            "Cannot publish CDC batch of " + events.size() + " changes: " + e.getCause(),
            e.getCause());
      }
    }
    for (RecordChangeEvent<SourceRecord> event : events) {
      committer.markProcessed(event);
    }
    committer.markBatchFinished();
  }

  /** The Kafka record of a Debezium record, or null for records that are not row changes. */
  private ProducerRecord<byte[], byte[]> toKafka(SourceRecord record) {
    if (!(record.value() instanceof Struct value)
        || value.schema().field("op") == null
        || value.schema().field("source") == null) {
      return null; // heartbeats, schema-change and transaction metadata records
    }
    String op = value.getString("op");
    if (!List.of("c", "u", "d", "r").contains(op)) {
      return null; // truncate and logical-decoding messages are not row changes
    }
    Struct source = value.getStruct("source");
    boolean snapshot = op.equals("r");
    TableSchema schema = schemaOf(record, value, source);
    Struct keyStruct = record.key() instanceof Struct k ? k : null;
    String key = keyString(keyStruct);

    long position =
        config.sourceKind() == CaptureConfig.SourceKind.POSTGRES
            ? SourcePositions.postgres(source, snapshot)
            : SourcePositions.mariadb(source, snapshot);
    String eventId = eventId(schema, source, op, position, key);
    long eventTimeMs = source.getInt64("ts_ms");
    if (snapshot) {
      snapshotRows.incrementAndGet();
      String marker = source.getString("snapshot");
      if ("last".equals(marker)) {
        snapshotComplete = true;
        LOG.info("CDC snapshot complete: {} rows", snapshotRows.get());
      }
    } else {
      if (!snapshotComplete) {
        snapshotComplete = true;
        LOG.info(
            "CDC streaming started (snapshot rows {}: complete or skipped)", snapshotRows.get());
      }
      streamedEvents.incrementAndGet();
      lastLagMs.set(Math.max(0, System.currentTimeMillis() - eventTimeMs));
    }

    if (schema.rejection() != null) {
      return quarantine(schema, value, op, position, eventId, key, schema.rejection());
    }
    GenericData.Record envelope = new GenericData.Record(schema.envelope());
    envelope.put("event_id", eventId);
    envelope.put("event_time", Instant.ofEpochMilli(eventTimeMs));
    envelope.put("source", sourceLabel);
    envelope.put("schema_version", schema.version());
    envelope.put("op", op);
    envelope.put("source_position", position);
    envelope.put("tx_id", txId(source));
    Struct before = value.getStruct("before");
    Struct after = value.getStruct("after");
    envelope.put("before", before == null ? null : AvroMapping.row(before, schema.row()));
    envelope.put("after", after == null ? null : AvroMapping.row(after, schema.row()));
    byte[] payload;
    try {
      payload = WireFormat.encode(schema.schemaId(), envelope);
    } catch (IllegalArgumentException e) {
      return quarantine(
          schema, value, op, position, eventId, key, "cannot encode as Avro: " + e.getMessage());
    }
    if (key == null) {
      // one partition keeps a keyless table's changes in source order: silver orders them per
      // table, as it orders a keyed table's changes per row
      return new ProducerRecord<>(schema.topic(), 0, null, payload);
    }
    return new ProducerRecord<>(schema.topic(), key.getBytes(StandardCharsets.UTF_8), payload);
  }

  private String eventId(TableSchema schema, Struct source, String op, long position, String key) {
    if (!op.equals("r")) {
      // unique: a change has its own LSN / binlog row; the delete+insert of a key change differ
      // by op
      return schema.topic() + ":" + position + ":" + op;
    }
    // snapshot rows share the snapshot position: the key (or a row counter without one)
    // tells them apart
    String snapshotAt =
        config.sourceKind() == CaptureConfig.SourceKind.POSTGRES
            ? String.valueOf(source.getInt64("lsn"))
            : String.valueOf(SourcePositions.mariadb(source, true) + 1);
    String row =
        key != null
            ? key
            : "#" + snapshotRowCounters.merge(schema.topic() + "@" + snapshotAt, 1L, Long::sum);
    return schema.topic() + ":r:" + snapshotAt + ":" + row;
  }

  private String txId(Struct source) {
    Field field =
        source
            .schema()
            .field(config.sourceKind() == CaptureConfig.SourceKind.POSTGRES ? "txId" : "gtid");
    if (field == null) {
      return null;
    }
    Object value = source.get(field);
    return value == null ? null : value.toString();
  }

  /** The primary key values joined by ":" (null for a table without a primary key). */
  static String keyString(Struct key) {
    if (key == null || key.schema().fields().isEmpty()) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, Object> e : AvroMapping.toPlain(key).entrySet()) {
      if (out.length() > 0) {
        out.append(':');
      }
      out.append(e.getValue());
    }
    return out.toString();
  }

  private TableSchema schemaOf(SourceRecord record, Struct value, Struct source) {
    org.apache.kafka.connect.data.Schema valueSchema = value.schema();
    TableSchema known = schemas.get(valueSchema);
    if (known != null) {
      return known;
    }
    String topic = record.topic();
    String table = source.getString("table");
    String namespace =
        config.sourceKind() == CaptureConfig.SourceKind.POSTGRES
            ? source.getString("schema")
            : source.getString("db");
    List<String> keyColumns = new ArrayList<>();
    if (record.keySchema() != null) {
      record.keySchema().fields().forEach(f -> keyColumns.add(f.name()));
    }
    if (keyColumns.isEmpty() && appendOnlyTables.add(namespace + "." + table)) {
      LOG.warn(
          "Table {}.{} has no primary key: it is captured append-only (Kafka key null, envelope"
              + " key []); downstream cannot upsert it",
          namespace,
          table);
    }
    org.apache.kafka.connect.data.Schema rowSchema = valueSchema.field("after").schema();
    Schema envelope = AvroMapping.envelopeSchema(namespace, table, topic, keyColumns, rowSchema);
    Schema row = AvroMapping.nonNull(envelope.getField("after").schema());
    String subject = topic + "-value";
    ensureTopic(topic);
    TableSchema result;
    try {
      int id = registry.register(subject, envelope);
      int version = versionOf(subject, id);
      LOG.info(
          "CDC table {}.{} → topic {} (schema id {}, version {}, key {})",
          namespace,
          table,
          topic,
          id,
          version,
          keyColumns);
      if (rejectedTables.remove(topic)) {
        LOG.info("CDC table {}.{} leaves quarantine: schema id {} accepted", namespace, table, id);
      }
      result = new TableSchema(topic, subject, table, keyColumns, envelope, row, id, version, null);
    } catch (IncompatibleSchemaException e) {
      String reason =
          "schema registry rejected the new schema of "
              + namespace
              + "."
              + table
              + " under "
              + subject
              + ": "
              + e.getMessage();
      rejectedTables.add(topic);
      LOG.error(
          "ALERT CDC schema change quarantined: table {}.{}: {}; its changes go to {} until the"
              + " schema is fixed",
          namespace,
          table,
          reason,
          config.quarantineTopic());
      ensureTopic(config.quarantineTopic());
      result = new TableSchema(topic, subject, table, keyColumns, envelope, row, -1, -1, reason);
    }
    schemas.put(valueSchema, result);
    return result;
  }

  private int versionOf(String subject, int id) {
    SchemaVersion latest = registry.latest(subject);
    if (latest.id() == id) {
      return latest.version();
    }
    // an older schema registered again: the registry answers with its existing id; its version
    // is not exposed by the client, so the number of versions is the best stable number here
    return registry.versions(subject).size();
  }

  private ProducerRecord<byte[], byte[]> quarantine(
      TableSchema schema,
      Struct value,
      String op,
      long position,
      String eventId,
      String key,
      String reason) {
    quarantined.incrementAndGet();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("table", schema.table());
    json.put("topic", schema.topic());
    json.put("event_id", eventId);
    json.put("source", sourceLabel);
    json.put("source_position", position);
    json.put("op", op);
    json.put("key", key);
    json.put("reason", reason);
    Map<String, Object> change = new LinkedHashMap<>();
    change.put("before", AvroMapping.toPlain(value.getStruct("before")));
    change.put("after", AvroMapping.toPlain(value.getStruct("after")));
    json.put("change", change);
    try {
      return new ProducerRecord<>(
          config.quarantineTopic(),
          key == null ? null : key.getBytes(StandardCharsets.UTF_8),
          JSON.writeValueAsBytes(json));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot render quarantined change " + eventId, e);
    }
  }

  private void ensureTopic(String topic) {
    if (createdTopics.contains(topic)) {
      return;
    }
    try {
      admin
          .createTopics(
              List.of(new NewTopic(topic, Optional.of(config.topicPartitions()), Optional.empty())))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("Cannot create topic " + topic + ": " + e.getCause(), e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Cannot create topic " + topic + ": interrupted", e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("Cannot create topic " + topic + ": timed out", e);
    }
    createdTopics.add(topic);
  }

  private void completed(boolean success, String message, Throwable error) {
    if (!success || error != null) {
      failure.compareAndSet(
          null, error != null ? error : new IllegalStateException("Debezium stopped: " + message));
      LOG.error("CDC capture stopped with a failure: {}", message, error);
    } else {
      LOG.info("CDC engine stopped: {}", message);
    }
    stopped.countDown();
  }

  // ---------------------------------------------------------------------------------------------

  public Stats stats() {
    return new Stats(
        snapshotRows.get(),
        snapshotComplete,
        streamedEvents.get(),
        quarantined.get(),
        lastLagMs.get());
  }

  /** The tables captured without a primary key ({@code schema.table}). */
  public Set<String> appendOnlyTables() {
    return Collections.unmodifiableSet(appendOnlyTables);
  }

  /** The topics whose current schema the registry rejected (their changes are quarantined). */
  public Set<String> quarantinedTopics() {
    return Collections.unmodifiableSet(rejectedTables);
  }

  /** Why the engine stopped on its own, if it did. */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure.get());
  }

  /** Whether the engine has stopped (closed or failed). */
  public boolean isStopped() {
    return stopped.getCount() == 0;
  }

  /** Waits until the engine stops; true if it did within the timeout. */
  public boolean awaitStop(Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Stops cleanly: the engine finishes its batch and commits its offsets, then the producer
   * flushes. Gives up after {@code shutdown.timeout.ms} (a failed engine can hang).
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    long timeoutMs = config.shutdownTimeoutMs();
    progressThread.shutdownNow();
    Thread closer =
        new Thread(
            () -> {
              try {
                engine.close();
              } catch (IOException | RuntimeException e) {
                LOG.warn("Cannot close Debezium engine cleanly: {}", e.toString());
              }
            },
            "tarn-cdc-close");
    closer.setDaemon(true);
    closer.start();
    try {
      closer.join(timeoutMs);
      if (closer.isAlive()) {
        LOG.warn("Debezium engine did not stop within {} ms; abandoning it", timeoutMs);
      }
      engineThread.shutdown();
      if (!engineThread.awaitTermination(timeoutMs, TimeUnit.MILLISECONDS)) {
        engineThread.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      engineThread.shutdownNow();
    }
    producer.close(Duration.ofMillis(timeoutMs));
    admin.close(Duration.ofMillis(timeoutMs));
    registry.close();
    LOG.info("CDC capture of {} closed: {}", sourceLabel, stats());
  }
}
