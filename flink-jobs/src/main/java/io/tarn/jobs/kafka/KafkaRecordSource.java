package io.tarn.jobs.kafka;

import io.tarn.jobs.config.JobConfig;
import java.io.IOException;
import java.util.Properties;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** Builds the Kafka source every job reads its topics with. */
public final class KafkaRecordSource {
  private KafkaRecordSource() {}

  /**
   * Offsets are restored from Flink checkpoints; without one a job starts from the group's
   * committed offsets, else from the earliest record, so a first run ingests everything retained.
   */
  public static KafkaSource<KafkaRecord> create(JobConfig config, String job) {
    return builder(config, job).setTopics(config.get(JobConfig.KAFKA_TOPICS)).build();
  }

  /** A source over the given topics (rather than {@code kafka.topics}). */
  public static KafkaSource<KafkaRecord> forTopics(
      JobConfig config, String job, java.util.List<String> topics) {
    return builder(config, job).setTopics(topics).build();
  }

  /** A source over every topic matching {@code cdc.topic-pattern}, new ones included. */
  public static KafkaSource<KafkaRecord> forChanges(JobConfig config, String job) {
    return builder(config, job + "-cdc")
        .setTopicPattern(java.util.regex.Pattern.compile(config.get(JobConfig.CDC_TOPIC_PATTERN)))
        .build();
  }

  private static org.apache.flink.connector.kafka.source.KafkaSourceBuilder<KafkaRecord> builder(
      JobConfig config, String job) {
    Properties props = new Properties();
    props.putAll(config.withPrefix(JobConfig.KAFKA_PASSTHROUGH));
    props.putIfAbsent("isolation.level", "read_committed");
    props.putIfAbsent("client.id.prefix", config.get(JobConfig.KAFKA_GROUP_PREFIX) + "-" + job);
    props.putIfAbsent("partition.discovery.interval.ms", "30000");
    return KafkaSource.<KafkaRecord>builder()
        .setBootstrapServers(config.get(JobConfig.KAFKA_BOOTSTRAP))
        .setGroupId(config.get(JobConfig.KAFKA_GROUP_PREFIX) + "-" + job)
        .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
        .setDeserializer(new Deserializer())
        .setProperties(props);
  }

  private static final class Deserializer implements KafkaRecordDeserializationSchema<KafkaRecord> {
    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<KafkaRecord> out)
        throws IOException {
      out.collect(
          new KafkaRecord(
              record.topic(),
              record.partition(),
              record.offset(),
              record.timestamp(),
              record.key(),
              record.value()));
    }

    @Override
    public TypeInformation<KafkaRecord> getProducedType() {
      return TypeInformation.of(KafkaRecord.class);
    }
  }
}
