package io.tarn.jobs.audit;

import io.tarn.schemas.audit.AuditEvent;

/** Where the platform records what it does; {@link KafkaAuditLog} sends it to the audit job. */
public interface AuditLog extends AutoCloseable {
  /** Records an event; never blocks on the network and never throws for a delivery failure. */
  void record(AuditEvent event);

  @Override
  void close();

  /** Records nothing (auditing off). */
  AuditLog NONE =
      new AuditLog() {
        @Override
        public void record(AuditEvent event) {}

        @Override
        public void close() {}
      };
}
