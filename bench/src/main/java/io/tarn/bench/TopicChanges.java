package io.tarn.bench;

import io.tarn.schemas.registry.RecordDecoder;
import io.tarn.schemas.registry.RestSchemaRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the change topic a {@code CaptureMain} writes (one partition) from its start and feeds
 * every envelope into {@link ChangeArrivals}: {@code op = r} as a snapshot row, other ops as a
 * streamed change with its {@code event_time} (the source commit time). The arrival time is the
 * Kafka record's timestamp, set by the capture's producer when it handed the record over.
 */
final class TopicChanges implements AutoCloseable {
  private final String bootstrap;
  private final String registryUrl;
  private final String topic;
  private final ChangeArrivals arrivals;
  private final Thread thread;
  private volatile boolean closed;

  TopicChanges(String bootstrap, String registryUrl, String topic, ChangeArrivals arrivals) {
    this.bootstrap = bootstrap;
    this.registryUrl = registryUrl;
    this.topic = topic;
    this.arrivals = arrivals;
    this.thread = new Thread(this::consume, "tarn-bench-topic-changes");
    thread.setDaemon(true);
    thread.start();
  }

  private void consume() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    try (KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        RestSchemaRegistry registry = new RestSchemaRegistry(registryUrl)) {
      RecordDecoder decoder = new RecordDecoder(registry);
      Map<Integer, Schema> schemas = new HashMap<>();
      TopicPartition partition = new TopicPartition(topic, 0);
      // the capture creates the topic when the first change arrives
      while (!closed && !exists(consumer)) {
        Thread.sleep(100);
      }
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      while (!closed) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          int id = decoder.schemaId(record.value());
          GenericRecord envelope =
              decoder.decode(record.value(), schemas.computeIfAbsent(id, registry::schemaById));
          if ("r".equals(String.valueOf(envelope.get("op")))) {
            arrivals.snapshot(1, record.timestamp());
          } else {
            arrivals.streamed(millis(envelope.get("event_time")), record.timestamp());
          }
        }
      }
    } catch (RuntimeException e) {
      arrivals.fail(new IllegalStateException("Cannot read topic " + topic + ": " + e, e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean exists(KafkaConsumer<byte[], byte[]> consumer) {
    return consumer.listTopics(Duration.ofSeconds(5)).containsKey(topic);
  }

  private static long millis(Object eventTime) {
    if (eventTime instanceof Instant instant) {
      return instant.toEpochMilli();
    }
    if (eventTime instanceof Long value) {
      return value;
    }
    throw new IllegalStateException("Cannot read event_time " + eventTime + ": not a timestamp");
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    thread.join(10_000);
  }
}
