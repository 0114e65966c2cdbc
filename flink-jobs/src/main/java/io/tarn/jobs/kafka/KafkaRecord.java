package io.tarn.jobs.kafka;

/**
 * A Kafka record as it arrived, with the coordinates that make it unique. A Flink POJO (public
 * fields, no-arg constructor) so it is shipped between operators without Kryo.
 */
public class KafkaRecord {
  public String topic;
  public int partition;
  public long offset;
  public long timestamp;
  public byte[] key;
  public byte[] value;

  public KafkaRecord() {}

  public KafkaRecord(
      String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
    this.timestamp = timestamp;
    this.key = key;
    this.value = value;
  }

  @Override
  public String toString() {
    return topic + "/" + partition + "@" + offset;
  }
}
