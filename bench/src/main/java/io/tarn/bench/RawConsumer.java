package io.tarn.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The in-process consumer reference: a plain {@code KafkaConsumer<byte[], byte[]>} reading every
 * record present in some topics when it starts, handing each to a {@link Handler}. Every
 * consume-side peer (raw, decode, the Iceberg ceiling) runs this same loop, so they differ only in
 * what their handler does.
 *
 * <p>Partitions are assigned, not subscribed: no group, no rebalance inside the measurement (the
 * ConsumerPerformance figure compared with it, {@code fetch.nMsg.sec}, leaves rebalance out too).
 */
public final class RawConsumer {
  private static final Duration POLL = Duration.ofMillis(100);
  private static final long IDLE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

  /** What a consume-side peer does with each record. */
  public interface Handler {
    void accept(ConsumerRecord<byte[], byte[]> record);

    /** Called after each poll; where time-based work (an Iceberg commit) happens. */
    default void afterPoll() {}
  }

  private RawConsumer() {}

  /** Consumer settings matching ConsumerPerformance's defaults (1 MiB fetch, 2 MiB socket). */
  public static Map<String, Object> settings(String bootstrap) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 1048576);
    props.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, 2097152);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return props;
  }

  /**
   * Reads every record of {@code topics} up to their end offsets at the start, returning the
   * records and key + value bytes read.
   */
  public static Outcome readAll(String bootstrap, Collection<String> topics, Handler handler) {
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            settings(bootstrap), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : topics) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic);
        if (infos == null || infos.isEmpty()) {
          throw new IllegalStateException("Cannot read topic " + topic + ": it has no partitions");
        }
        infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
      end.values().removeIf(offset -> offset == 0);

      long records = 0;
      long bytes = 0;
      long lastProgress = System.nanoTime();
      while (!end.isEmpty()) {
        ConsumerRecords<byte[], byte[]> batch = consumer.poll(POLL);
        for (ConsumerRecord<byte[], byte[]> record : batch) {
          handler.accept(record);
          records += 1;
          bytes += record.serializedKeySize() < 0 ? 0 : record.serializedKeySize();
          bytes += record.serializedValueSize() < 0 ? 0 : record.serializedValueSize();
        }
        handler.afterPoll();
        // positions, not record offsets: they also move past transaction markers at a log's end
        end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
        if (!batch.isEmpty()) {
          lastProgress = System.nanoTime();
        } else if (System.nanoTime() - lastProgress > IDLE_TIMEOUT_NANOS) {
          throw new IllegalStateException(
              String.format(
                  "Cannot read topics %s: no record for 30 s after %,d records; still waiting for %s",
                  topics, records, end));
        }
      }
      return Outcome.of(records, bytes);
    }
  }
}
