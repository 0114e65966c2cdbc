package io.tarn.jobs.audit;

/**
 * An audit event on its way to the chain: its id and canonical JSON (a Flink POJO, so no Kryo and
 * the exact bytes that get hashed travel between operators).
 */
public class AuditEntry {
  public String eventId;
  public byte[] json;

  public AuditEntry() {}

  public AuditEntry(String eventId, byte[] json) {
    this.eventId = eventId;
    this.json = json;
  }
}
