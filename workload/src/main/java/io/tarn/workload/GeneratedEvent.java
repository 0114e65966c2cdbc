package io.tarn.workload;

import io.tarn.schemas.TableContract;
import org.apache.avro.generic.GenericRecord;

/**
 * One generated Kafka record together with what the pipeline is expected to make of it.
 *
 * @param table the table whose topic the event goes to
 * @param key the Kafka key (the record's primary key, see {@link TableContract#keyOf})
 * @param eventId the envelope event_id; null for malformed payloads
 * @param late whether event_time was set in the past (up to the spec's maxLateness)
 * @param expectedRuleId the rule the pipeline must report: the violated quality rule of an INVALID
 *     event, {@code decode.*} for malformed ones, null for VALID; a DUPLICATE has its original's
 * @param record the record as written; null for malformed payloads
 * @param payload the exact Kafka value bytes
 */
public record GeneratedEvent(
    TableContract table,
    String key,
    String eventId,
    Kind kind,
    boolean late,
    String expectedRuleId,
    GenericRecord record,
    byte[] payload) {

  /** What kind of event this is. */
  public enum Kind {
    /** A record that passes every quality rule. */
    VALID,
    /** The same key, event id and payload as an earlier VALID or INVALID event: a re-send. */
    DUPLICATE,
    /** A decodable record that violates exactly one quality rule, {@code expectedRuleId}. */
    INVALID,
    /** A payload that is not in the wire format at all (e.g. JSON text). */
    NOT_AVRO,
    /** A wire-format payload whose schema id was never registered. */
    UNKNOWN_SCHEMA_ID,
    /** A real encoded record cut short. */
    TRUNCATED;

    /** Whether the payload cannot be decoded. */
    public boolean malformed() {
      return this == NOT_AVRO || this == UNKNOWN_SCHEMA_ID || this == TRUNCATED;
    }
  }

  /** The topic the event goes to. */
  public String topic() {
    return table.topic();
  }
}
