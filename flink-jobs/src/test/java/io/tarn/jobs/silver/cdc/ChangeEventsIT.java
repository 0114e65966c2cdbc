package io.tarn.jobs.silver.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.jobs.JobEnvironment;
import io.tarn.jobs.LakeReader;
import io.tarn.jobs.bronze.BronzeJob;
import io.tarn.jobs.config.JobConfig;
import io.tarn.jobs.lake.Lake;
import io.tarn.jobs.silver.SilverJob;
import io.tarn.kafka.broker.KafkaBroker;
import io.tarn.schemas.registry.RestSchemaRegistry;
import io.tarn.schemas.registry.SchemaRegistryServer;
import io.tarn.schemas.registry.WireFormat;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Change events in cdc-capture's envelope, with redelivered old events, deletes, re-inserts and a
 * schema version that adds a column: silver must end up equal to the source table.
 */
class ChangeEventsIT {
  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(8)
              .build());

  private static final String TOPIC = "cdc.shop.accounts";

  @TempDir static Path dir;
  static KafkaBroker broker;
  static SchemaRegistryServer registry;

  @BeforeAll
  static void startServers() {
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
  }

  static Schema changeSchema(boolean withEmail) {
    String email =
        withEmail ? ",{\"name\":\"email\",\"type\":[\"null\",\"string\"],\"default\":null}" : "";
    String row =
        "{\"type\":\"record\",\"name\":\"Accounts\",\"fields\":["
            + "{\"name\":\"id\",\"type\":[\"null\",\"long\"],\"default\":null},"
            + "{\"name\":\"name\",\"type\":[\"null\",\"string\"],\"default\":null},"
            + "{\"name\":\"balance\",\"type\":[\"null\",{\"type\":\"bytes\",\"logicalType\":\"decimal\","
            + "\"precision\":10,\"scale\":2}],\"default\":null}"
            + email
            + "]}";
    return new Schema.Parser()
        .parse(
            "{\"type\":\"record\",\"name\":\"AccountsChange\",\"namespace\":\"cdc.shop\","
                + "\"table\":\"accounts\",\"topic\":\""
                + TOPIC
                + "\",\"key\":[\"id\"],\"owner\":\"cdc\",\"doc\":\"test\",\"fields\":["
                + "{\"name\":\"event_id\",\"type\":\"string\"},"
                + "{\"name\":\"event_time\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}},"
                + "{\"name\":\"source\",\"type\":\"string\"},"
                + "{\"name\":\"schema_version\",\"type\":\"int\"},"
                + "{\"name\":\"op\",\"type\":\"string\"},"
                + "{\"name\":\"source_position\",\"type\":\"long\"},"
                + "{\"name\":\"tx_id\",\"type\":[\"null\",\"string\"],\"default\":null},"
                + "{\"name\":\"before\",\"type\":[\"null\","
                + row
                + "],\"default\":null},"
                + "{\"name\":\"after\",\"type\":[\"null\",\"Accounts\"],\"default\":null}]}");
  }

  record Change(long id, String op, long position, byte[] payload) {}

  @Test
  void silverEqualsTheSourceTableDespiteReplaysAndASchemaChange() throws Exception {
    Map<Long, Object[]> source = new HashMap<>();
    List<Change> sent = new ArrayList<>();
    Random random = new Random(7);
    try (RestSchemaRegistry client = new RestSchemaRegistry(registry.url());
        KafkaProducer<byte[], byte[]> producer = producer()) {
      Schema v1 = changeSchema(false);
      Schema v2 = changeSchema(true);
      int v1Id = client.register(TOPIC + "-value", v1);
      int v2Id = -1;
      long position = 1000;
      for (int i = 0; i < 1500; i++) {
        boolean evolved = i >= 750;
        if (evolved && v2Id < 0) {
          v2Id = client.register(TOPIC + "-value", v2);
        }
        Schema schema = evolved ? v2 : v1;
        long id = random.nextInt(80);
        Object[] before = source.get(id);
        String op;
        Object[] after = null;
        if (before == null) {
          op = "c";
          after = row(id, random, evolved);
        } else if (random.nextInt(4) == 0) {
          op = "d";
        } else {
          op = "u";
          after = row(id, random, evolved);
        }
        position += 1 + random.nextInt(5);
        if (after == null) {
          source.remove(id);
        } else {
          source.put(id, after);
        }
        byte[] payload =
            WireFormat.encode(
                evolved ? v2Id : v1Id, event(schema, op, position, id, before, after, i));
        Change change = new Change(id, op, position, payload);
        sent.add(change);
        send(producer, change);
        if (random.nextInt(10) == 0 && sent.size() > 5) {
          send(producer, sent.get(random.nextInt(sent.size() - 1))); // redelivery of an old change
        }
      }
      producer.flush();
    }

    JobConfig config = config();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.configure(Configuration.fromMap(JobEnvironment.settings(config)));
    env.setParallelism(2);
    BronzeJob.addTo(env, config);
    SilverJob.addTo(env, config);
    JobClient job = env.executeAsync("cdc-it");
    LakeReader lake = new LakeReader(new Lake(config));
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      Map<Long, Object[]> silver = Map.of();
      while (System.nanoTime() < deadline) {
        silver = silverState(lake);
        if (equal(silver, source)) {
          break;
        }
        Thread.sleep(1000);
      }
      assertThat(silver.keySet()).isEqualTo(source.keySet());
      for (Map.Entry<Long, Object[]> e : source.entrySet()) {
        assertThat(silver.get(e.getKey())).as("row %s", e.getKey()).containsExactly(e.getValue());
      }
      assertThat(lake.rows("bronze", "shop_accounts")).hasSizeGreaterThan(1500);
    } finally {
      job.cancel().get();
    }
  }

  private static Object[] row(long id, Random random, boolean withEmail) {
    return new Object[] {
      "name-" + random.nextInt(1000),
      BigDecimal.valueOf(random.nextInt(1_000_000), 2),
      withEmail ? "a" + random.nextInt(100) + "@example.com" : null
    };
  }

  private static GenericRecord event(
      Schema schema, String op, long position, long id, Object[] before, Object[] after, int n) {
    Schema rowSchema = schema.getField("after").schema().getTypes().get(1);
    GenericRecord record = new GenericData.Record(schema);
    record.put("event_id", TOPIC + ":" + position);
    record.put("event_time", Instant.ofEpochMilli(1_700_000_000_000L + n));
    record.put("source", "test");
    record.put("schema_version", rowSchema.getField("email") == null ? 1 : 2);
    record.put("op", op);
    record.put("source_position", position);
    record.put("before", image(rowSchema, id, before));
    record.put("after", image(rowSchema, id, after));
    return record;
  }

  private static GenericRecord image(Schema rowSchema, long id, Object[] values) {
    if (values == null) {
      return null;
    }
    GenericRecord row = new GenericData.Record(rowSchema);
    row.put("id", id);
    row.put("name", values[0]);
    row.put("balance", values[1]);
    if (rowSchema.getField("email") != null) {
      row.put("email", values[2]);
    }
    return row;
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, Change change) {
    producer.send(
        new ProducerRecord<>(
            TOPIC, String.valueOf(change.id()).getBytes(StandardCharsets.UTF_8), change.payload()));
  }

  private static Map<Long, Object[]> silverState(LakeReader lake) {
    Map<Long, Object[]> state = new HashMap<>();
    for (Record r : lake.rows("silver", "shop_accounts")) {
      state.put(
          (Long) r.getField("id"),
          new Object[] {r.getField("name"), r.getField("balance"), field(r, "email")});
    }
    return state;
  }

  private static Object field(Record r, String name) {
    return r.struct().field(name) == null ? null : r.getField(name);
  }

  private static boolean equal(Map<Long, Object[]> a, Map<Long, Object[]> b) {
    if (!a.keySet().equals(b.keySet())) {
      return false;
    }
    return a.entrySet().stream()
        .allMatch(e -> java.util.Arrays.equals(e.getValue(), b.get(e.getKey())));
  }

  private static KafkaProducer<byte[], byte[]> producer() {
    Properties props = new Properties();
    props.put("bootstrap.servers", broker.bootstrapServers());
    props.put("enable.idempotence", "true");
    props.put("acks", "all");
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static JobConfig config() {
    Map<String, String> settings = new HashMap<>();
    settings.put("kafka.bootstrap.servers", broker.bootstrapServers());
    settings.put("kafka.topics", "");
    settings.put("cdc.topic-pattern", "cdc\\..*");
    settings.put("registry.url", registry.url());
    settings.put("catalog.uri", "jdbc:sqlite:" + dir.resolve("catalog.db"));
    settings.put("catalog.warehouse", dir.resolve("warehouse").toString());
    settings.put("checkpoint.interval", "1s");
    settings.put("job.parallelism", "2");
    return JobConfig.of(settings);
  }
}
