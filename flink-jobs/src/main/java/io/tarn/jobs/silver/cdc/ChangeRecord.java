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

  /**
   * For a snapshot read of a table without a primary key: its event id, standing in for the key.
   * Snapshot reads of such a table share one position, so they cannot be ordered as one sequence.
   */
  public String keylessReadId;

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

  /**
   * Changes of one source row share this key: the table plus the row's primary key. A table without
   * one is a single sequence ordered by source position (cdc-capture writes it to one partition).
   */
  public String rowKey() {
    if (key != null) {
      return topic + '/' + new String(key, java.nio.charset.StandardCharsets.UTF_8);
    }
    return keylessReadId == null ? topic + '/' : topic + "/#" + keylessReadId;
  }
}
