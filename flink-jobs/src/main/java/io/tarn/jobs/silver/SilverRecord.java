package io.tarn.jobs.silver;

import io.tarn.jobs.kafka.KafkaRecord;

/**
 * A record that decoded, with the envelope fields dedupe needs. Carries the payload rather than the
 * decoded value so it crosses the dedupe shuffle as plain bytes (a Flink POJO).
 */
public class SilverRecord {
  public String topic;
  public int partition;
  public long offset;
  public byte[] key;
  public byte[] value;
  public int schemaId;
  public String eventId;
  public long eventTime;

  public SilverRecord() {}

  public SilverRecord(KafkaRecord from, int schemaId, String eventId, long eventTime) {
    this.topic = from.topic;
    this.partition = from.partition;
    this.offset = from.offset;
    this.key = from.key;
    this.value = from.value;
    this.schemaId = schemaId;
    this.eventId = eventId;
    this.eventTime = eventTime;
  }

  /** The dedupe key: event ids are unique within a table. */
  public String dedupeKey() {
    return topic + '/' + eventId;
  }
}
