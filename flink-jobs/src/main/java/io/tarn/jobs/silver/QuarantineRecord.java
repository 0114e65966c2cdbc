package io.tarn.jobs.silver;

import io.tarn.jobs.kafka.KafkaRecord;

/** A record silver refused, with the rule that refused it and why (a Flink POJO). */
public class QuarantineRecord {
  public String topic;
  public int partition;
  public long offset;
  public byte[] key;
  public byte[] value;
  public Integer schemaId;
  public String eventId;
  public String stage;
  public String ruleId;
  public String reason;

  public QuarantineRecord() {}

  public static QuarantineRecord of(
      KafkaRecord from, Integer schemaId, String stage, String ruleId, String reason) {
    QuarantineRecord q = new QuarantineRecord();
    q.topic = from.topic;
    q.partition = from.partition;
    q.offset = from.offset;
    q.key = from.key;
    q.value = from.value;
    q.schemaId = schemaId;
    q.stage = stage;
    q.ruleId = ruleId;
    q.reason = reason;
    return q;
  }

  public static QuarantineRecord of(SilverRecord from, String stage, String ruleId, String reason) {
    QuarantineRecord q = new QuarantineRecord();
    q.topic = from.topic;
    q.partition = from.partition;
    q.offset = from.offset;
    q.key = from.key;
    q.value = from.value;
    q.schemaId = from.schemaId;
    q.eventId = from.eventId;
    q.stage = stage;
    q.ruleId = ruleId;
    q.reason = reason;
    return q;
  }
}
