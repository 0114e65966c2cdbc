package io.tarn.jobs.silver.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.jobs.JobEnvironment;
import io.tarn.jobs.LakeReader;
import io.tarn.jobs.LakeServers;
import io.tarn.jobs.bronze.BronzeJob;
import io.tarn.jobs.config.JobConfig;
import io.tarn.jobs.lake.Lake;
import io.tarn.jobs.silver.SilverJob;
import io.tarn.schemas.registry.RestSchemaRegistry;
import io.tarn.schemas.registry.WireFormat;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
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
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Change events in cdc-capture's envelope, with redelivered old events, deletes, re-inserts and a
 * schema version that adds a column: silver must end up equal to the source table.
 */
class ChangeEventsIT {
  @RegisterExtension static final MiniClusterExtension FLINK = LakeServers.flinkCluster();

  private static final String TOPIC = "cdc.shop.accounts";

  @RegisterExtension static final LakeServers SERVERS = new LakeServers();

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

  /** The source table and the change events it produced so far. */
  private static final class Source {
    final Map<Long, Object[]> rows = new HashMap<>();
    final List<Change> sent = new ArrayList<>();
    final Random random = new Random(7);
    long position = 1000;
    int events;

    /** Applies random changes with {@code schema} and sends them, with some redeliveries. */
    void change(int count, Schema schema, int schemaId, KafkaProducer<byte[], byte[]> producer) {
      boolean withEmail =
          schema.getField("after").schema().getTypes().get(1).getField("email") != null;
      for (int n = 0; n < count; n++) {
        long id = random.nextInt(80);
        Object[] before = rows.get(id);
        String op;
        Object[] after = null;
        if (before == null) {
          op = "c";
          after = row(id, random, withEmail);
        } else if (random.nextInt(4) == 0) {
          op = "d";
        } else {
          op = "u";
          after = row(id, random, withEmail);
        }
        position += 1 + random.nextInt(5);
        if (after == null) {
          rows.remove(id);
        } else {
          rows.put(id, after);
        }
        byte[] payload =
            WireFormat.encode(schemaId, event(schema, op, position, id, before, after, events++));
        Change change = new Change(id, op, position, payload);
        sent.add(change);
        send(producer, change);
        if (random.nextInt(10) == 0 && sent.size() > 5) {
          send(producer, sent.get(random.nextInt(sent.size() - 1))); // redelivery of an old change
        }
      }
      producer.flush();
    }
  }

  @Test
  void silverEqualsTheSourceTableDespiteReplaysAndASchemaChange() throws Exception {
    Source source = new Source();
    JobConfig config = config();
    LakeReader lake = new LakeReader(new Lake(config));
    try (RestSchemaRegistry client = new RestSchemaRegistry(SERVERS.registryUrl());
        KafkaProducer<byte[], byte[]> producer = producer()) {
      Schema v1 = changeSchema(false);
      source.change(750, v1, client.register(TOPIC + "-value", v1), producer);
      // ADD COLUMN email: changes of both versions wait in Kafka, so the first checkpoints see
      // rows changed on both sides of the schema change
      Schema v2 = changeSchema(true);
      source.change(750, v2, client.register(TOPIC + "-value", v2), producer);

      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
      env.configure(Configuration.fromMap(JobEnvironment.settings(config)));
      env.setParallelism(2);
      BronzeJob.addTo(env, config);
      SilverJob.addTo(env, config);
      JobClient job = env.executeAsync("cdc-it");
      try {
        awaitSilverEquals(lake, source);
        source.change(300, v2, client.register(TOPIC + "-value", v2), producer);
        awaitSilverEquals(lake, source);
        assertThat(lake.rows("bronze", "shop_accounts")).hasSizeGreaterThan(1500);
      } finally {
        job.cancel().get();
      }
    }
  }

  private static void awaitSilverEquals(LakeReader lake, Source source) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    Map<Long, Object[]> silver = Map.of();
    while (System.nanoTime() < deadline) {
      silver = silverState(lake);
      if (equal(silver, source.rows)) {
        return;
      }
      Thread.sleep(1000);
    }
    for (Record r : lake.rows("silver", "shop_accounts")) {
      Long id = (Long) r.getField("id");
      if (!source.rows.containsKey(id)) {
        System.out.println(
            "EXTRA "
                + id
                + " op="
                + r.getField("_op")
                + " pos="
                + r.getField("_source_position")
                + " changes="
                + source.sent.stream()
                    .filter(c -> c.id() == id)
                    .map(c -> c.op() + "@" + c.position())
                    .toList());
      }
    }
    assertThat(silver.keySet()).isEqualTo(source.rows.keySet());
    for (Map.Entry<Long, Object[]> e : source.rows.entrySet()) {
      assertThat(silver.get(e.getKey())).as("row %s", e.getKey()).containsExactly(e.getValue());
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
    props.put("bootstrap.servers", SERVERS.bootstrapServers());
    props.put("enable.idempotence", "true");
    props.put("acks", "all");
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static JobConfig config() {
    Map<String, String> settings = SERVERS.settings();
    settings.put("kafka.topics", "");
    settings.put("cdc.topic-pattern", "cdc\\..*");
    return JobConfig.of(settings);
  }
}
