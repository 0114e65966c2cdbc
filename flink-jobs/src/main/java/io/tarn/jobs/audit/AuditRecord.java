package io.tarn.jobs.audit;

import io.tarn.schemas.audit.AuditEvent;

/**
 * One row of {@code audit.events}: the event, its place in the chain and its links. A row whose
 * fields no longer form a valid event (say an outcome edited to something else) has no event and
 * says why in {@code problem}.
 */
public record AuditRecord(
    long seq, AuditEvent event, String prevHash, String hash, String problem) {
  public AuditRecord(long seq, AuditEvent event, String prevHash, String hash) {
    this(seq, event, prevHash, hash, null);
  }
}
