package io.tarn.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.kafka.broker.KafkaBroker;
import io.tarn.schemas.registry.RestSchemaRegistry;
import io.tarn.schemas.registry.SchemaRegistryServer;
import io.tarn.schemas.registry.WireFormat;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RawIcebergWriterCeilingIT {
  private static final Schema VALUE =
      SchemaBuilder.record("Thing").fields().requiredString("id").requiredLong("n").endRecord();
  private static final List<String> TOPICS = List.of("shop.things", "shop.others");
  private static final int GOOD_PER_TOPIC = 500;

  @TempDir Path dir;

  @Test
  void writesEveryRecordAsABronzeRowAndCommitsNoEmptySnapshot() throws Exception {
    try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"));
        SchemaRegistryServer server = SchemaRegistryServer.start();
        RestSchemaRegistry registry = new RestSchemaRegistry(server.url())) {
      int schemaId = registry.register("shop.things-value", VALUE);
      Topics.create(broker.bootstrapServers(), TOPICS, 3);
      produce(broker.bootstrapServers(), schemaId);

      Path warehouse = dir.resolve("warehouse");
      long read;
      try (RawIcebergWriterCeiling ceiling =
          new RawIcebergWriterCeiling(warehouse, TOPICS, Duration.ofMillis(1), registry)) {
        read = RawConsumer.readAll(broker.bootstrapServers(), TOPICS, ceiling).records();
        ceiling.finish();
        // a commit with nothing new must not happen
        ceiling.finish();

        assertThat(ceiling.rowsCommitted()).isEqualTo(read);
        assertThat(ceiling.commits()).isGreaterThanOrEqualTo(TOPICS.size());
        assertThat(ceiling.emptySnapshots()).isZero();
        assertThat(ceiling.commitLatency().count()).isEqualTo(ceiling.commits());
      }
      assertThat(read).isEqualTo(2L * GOOD_PER_TOPIC + 1);

      List<Record> things = rows(warehouse, "things");
      assertThat(things).hasSize(GOOD_PER_TOPIC + 1);
      Record good =
          things.stream().filter(r -> r.getField("decode_error") == null).findFirst().get();
      assertThat(good.getField("kafka_topic")).isEqualTo("shop.things");
      assertThat(good.getField("schema_id")).isEqualTo(schemaId);
      assertThat(good.getField("kafka_key")).isInstanceOf(ByteBuffer.class);
      assertThat(good.getField("ingest_time")).isNotNull();
      List<Record> bad = things.stream().filter(r -> r.getField("decode_error") != null).toList();
      assertThat(bad).hasSize(1);
      assertThat((String) bad.get(0).getField("decode_error")).startsWith("decode.");
      assertThat(rows(warehouse, "others")).hasSize(GOOD_PER_TOPIC);
    }
  }

  private static void produce(String bootstrap, int schemaId) {
    Map<String, Object> props = Map.of("bootstrap.servers", bootstrap, "acks", "all");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (String topic : TOPICS) {
        for (int i = 0; i < GOOD_PER_TOPIC; i += 1) {
          GenericData.Record value = new GenericData.Record(VALUE);
          value.put("id", "id-" + i);
          value.put("n", (long) i);
          producer.send(
              new ProducerRecord<>(
                  topic,
                  ("id-" + i).getBytes(StandardCharsets.UTF_8),
                  WireFormat.encode(schemaId, value)));
        }
      }
      // not wire format: must land with a decode error, not be dropped
      producer.send(
          new ProducerRecord<>(TOPICS.get(0), null, "garbage".getBytes(StandardCharsets.UTF_8)));
      producer.flush();
    }
  }

  private static List<Record> rows(Path warehouse, String table) throws Exception {
    JdbcCatalog catalog = RawIcebergWriterCeiling.catalog(warehouse);
    try {
      Table loaded = catalog.loadTable(TableIdentifier.of("bronze", table));
      List<Record> rows = new ArrayList<>();
      try (CloseableIterable<Record> records = IcebergGenerics.read(loaded).build()) {
        records.forEach(r -> rows.add(r.copy()));
      }
      return rows;
    } finally {
      catalog.close();
    }
  }
}
