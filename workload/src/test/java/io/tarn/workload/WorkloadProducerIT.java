package io.tarn.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tarn.kafka.broker.KafkaBroker;
import io.tarn.schemas.DomainSchemas;
import io.tarn.schemas.TableContract;
import io.tarn.schemas.registry.DecodeException;
import io.tarn.schemas.registry.RecordDecoder;
import io.tarn.schemas.registry.RestSchemaRegistry;
import io.tarn.schemas.registry.SchemaRegistryServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The producer against a real broker and a real registry. */
class WorkloadProducerIT {
  private static final int EVENTS = 5_000;

  @TempDir static Path dataDir;

  private static KafkaBroker broker;
  private static SchemaRegistryServer server;
  private static RestSchemaRegistry registry;

  @BeforeAll
  static void start() {
    broker = KafkaBroker.start(dataDir.resolve("kafka"));
    server = SchemaRegistryServer.start();
    registry = new RestSchemaRegistry(server.url());
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
    if (server != null) {
      server.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void producedEventsConsumeBackAsAcknowledged() throws Exception {
    WorkloadSpec spec = WorkloadSpec.defaults().withEvents(EVENTS).withEventsPerSecond(0);
    ConcurrentLinkedQueue<ProducedRecord> acks = new ConcurrentLinkedQueue<>();
    long sent;
    Map<TopicPartition, Long> start;
    try (WorkloadProducer producer =
        new WorkloadProducer(broker.bootstrapServers(), registry, spec, Map.of())) {
      // other tests produce to the same topics: read only what this run adds
      start = endOffsets();
      sent = producer.run(acks::add);
      assertThat(producer.produced()).isEqualTo(EVENTS);
      assertThat(producer.acknowledged()).isEqualTo(EVENTS);
    }
    assertThat(sent).isEqualTo(EVENTS);
    assertThat(acks.size()).isEqualTo(EVENTS);

    for (TableContract contract : DomainSchemas.all()) {
      assertThat(registry.latest(contract.subject()).schema()).isEqualTo(contract.schema());
    }
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, (Object) broker.bootstrapServers()))) {
      List<String> topics = DomainSchemas.all().stream().map(TableContract::topic).toList();
      Map<String, TopicDescription> described =
          admin.describeTopics(topics).allTopicNames().get(60, TimeUnit.SECONDS);
      described
          .values()
          .forEach(topic -> assertThat(topic.partitions()).as(topic.name()).hasSize(3));
    }

    Map<String, ConsumerRecord<String, byte[]>> consumed = consume(start, EVENTS);
    assertThat(consumed.size()).isEqualTo(EVENTS);
    RecordDecoder decoder = new RecordDecoder(registry);
    int decoded = 0;
    int malformed = 0;
    for (ProducedRecord ack : acks) {
      GeneratedEvent event = ack.event();
      assertThat(ack.topic()).isEqualTo(event.topic());
      ConsumerRecord<String, byte[]> record =
          consumed.get(ack.topic() + "/" + ack.partition() + "/" + ack.offset());
      assertThat(record)
          .as("record acknowledged at %s/%d/%d", ack.topic(), ack.partition(), ack.offset())
          .isNotNull();
      assertThat(record.key()).isEqualTo(event.key());
      assertThat(record.value()).isEqualTo(event.payload());
      assertThat(record.timestamp()).isEqualTo(ack.timestampMillis());
      if (event.kind().malformed()) {
        assertThatThrownBy(() -> decoder.decode(record.value(), event.table().schema()))
            .isInstanceOfSatisfying(
                DecodeException.class,
                e -> assertThat(e.ruleId()).isEqualTo(event.expectedRuleId()));
        malformed++;
      } else {
        assertThat(
                decoder.decode(record.value(), event.table().schema()).get("event_id").toString())
            .as("event id of a %s record", event.table())
            .isEqualTo(event.eventId());
        decoded++;
      }
    }
    assertThat(decoded + malformed).isEqualTo(EVENTS);
    assertThat(malformed).isPositive();
  }

  @Test
  void stopEndsAnUnboundedRunAfterFlushing() throws Exception {
    WorkloadSpec spec = WorkloadSpec.defaults().withEventsPerSecond(2_000).withSeed(7);
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try (WorkloadProducer producer =
        new WorkloadProducer(broker.bootstrapServers(), registry, spec, Map.of())) {
      Future<Long> run = executor.submit(() -> producer.run(ack -> {}));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (producer.acknowledged() < 200 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      producer.stop();
      long sent = run.get(60, TimeUnit.SECONDS);
      assertThat(sent).isGreaterThanOrEqualTo(200).isEqualTo(producer.produced());
      assertThat(producer.acknowledged()).isEqualTo(sent);
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void surfacesSendFailures() {
    WorkloadSpec spec = WorkloadSpec.defaults().withEvents(50).withEventsPerSecond(0);
    // every shop record is larger than this, so the broker-side limit check fails each send
    Map<String, String> tooSmall = Map.of("max.request.size", "64");
    try (WorkloadProducer producer =
        new WorkloadProducer(broker.bootstrapServers(), registry, spec, tooSmall)) {
      assertThatThrownBy(() -> producer.run(ack -> {}))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("Cannot produce to shop.");
      assertThat(producer.acknowledged()).isZero();
    }
  }

  private static KafkaConsumer<String, byte[]> consumer() {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
  }

  private static Map<TopicPartition, Long> endOffsets() {
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (TableContract contract : DomainSchemas.all()) {
        consumer
            .partitionsFor(contract.topic())
            .forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
      }
      return consumer.endOffsets(partitions);
    }
  }

  /** Every record from the start offsets on, keyed by topic/partition/offset. */
  private static Map<String, ConsumerRecord<String, byte[]>> consume(
      Map<TopicPartition, Long> start, int expected) {
    Map<String, ConsumerRecord<String, byte[]>> consumed = new HashMap<>();
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      consumer.assign(start.keySet());
      start.forEach(consumer::seek);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      int empty = 0;
      // keep polling a little after reaching the count, so that extra records would be seen
      while (System.nanoTime() < deadline && (consumed.size() < expected || empty < 3)) {
        var records = consumer.poll(Duration.ofMillis(500));
        empty = records.isEmpty() ? empty + 1 : 0;
        for (ConsumerRecord<String, byte[]> record : records) {
          ConsumerRecord<String, byte[]> previous =
              consumed.put(
                  record.topic() + "/" + record.partition() + "/" + record.offset(), record);
          assertThat(previous).isNull();
        }
      }
    }
    return consumed;
  }
}
