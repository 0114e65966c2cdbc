package io.tarn.jobs.silver.cdc;

import io.tarn.jobs.kafka.KafkaRecord;

/**
 * A change event from cdc-capture with what ordering needs: the row's key and its source position
 * (PostgreSQL LSN, MariaDB binlog coordinates). A Flink POJO carrying the raw payload.
 */
public class ChangeRecord {
  public String topic;
  public int partition;
  public long offset;
  public byte[] key;
  public byte[] value;
  public int schemaId;
  public long position;

  public ChangeRecord() {}

  public ChangeRecord(KafkaRecord from, int schemaId, long position) {
    this.topic = from.topic;
    this.partition = from.partition;
    this.offset = from.offset;
    this.key = from.key;
    this.value = from.value;
    this.schemaId = schemaId;
    this.position = position;
  }

  /** Changes of one source row share this key: the table plus the row's primary key. */
  public String rowKey() {
    return topic
        + '/'
        + (key == null ? "" : new String(key, java.nio.charset.StandardCharsets.UTF_8));
  }
}
