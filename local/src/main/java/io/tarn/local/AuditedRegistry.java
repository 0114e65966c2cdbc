package io.tarn.local;

import io.tarn.jobs.audit.AuditLog;
import io.tarn.schemas.audit.AuditEvent;
import io.tarn.schemas.registry.SchemaRegistryServer;
import java.util.Map;

/** Records the schema registry's decisions: {@code schema.register} and {@code schema.reject}. */
final class AuditedRegistry implements SchemaRegistryServer.Listener {
  static final String ACTOR = "schema-registry";

  private final AuditLog audit;

  AuditedRegistry(AuditLog audit) {
    this.audit = audit;
  }

  @Override
  public void registered(String subject, int version, int id) {
    audit.record(
        AuditEvent.of(
            ACTOR,
            "schema.register",
            subject,
            AuditEvent.SUCCESS,
            Map.of("version", String.valueOf(version), "schema_id", String.valueOf(id))));
  }

  @Override
  public void rejected(String subject, String reason) {
    audit.record(
        AuditEvent.of(
            ACTOR,
            "schema.reject",
            subject,
            AuditEvent.FAILURE,
            Map.of("reason", JobWatch.firstLine(reason))));
  }
}
