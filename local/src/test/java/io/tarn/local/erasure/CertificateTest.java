package io.tarn.local.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tarn.schemas.audit.AuditEvent;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CertificateTest {
  private final Certificate certificate =
      new Certificate(
          "e-1",
          "abc123",
          Instant.parse("2026-01-01T00:00:00Z"),
          Instant.parse("2026-01-01T00:00:02Z"),
          3,
          List.of(
              new Certificate.TableEntry("silver.orders", 4, 2, 1, 2, 5, 7, 1, 0),
              new Certificate.TableEntry("gold.revenue_per_category_hour", 0, 0, 0, 0, 3, 3, 0, 2)),
          List.of("kept aggregates"));

  @Test
  void totalsAddUpTheTables() {
    assertThat(certificate.rowsDeleted()).isEqualTo(4);
    assertThat(certificate.snapshotsExpired()).isEqualTo(8);
    assertThat(certificate.youngOrphansKept()).isEqualTo(2);
  }

  @Test
  void jsonCarriesEveryTableAndTheHash() throws Exception {
    JsonNode json = new ObjectMapper().readTree(certificate.toJson());
    assertThat(json.get("subject_hash").asText()).isEqualTo("abc123");
    assertThat(json.get("rows_deleted").asLong()).isEqualTo(4);
    assertThat(json.get("tables")).hasSize(2);
    assertThat(json.get("tables").get(0).get("table").asText()).isEqualTo("silver.orders");
    assertThat(json.get("tables").get(0).get("delete_files_removed").asInt()).isEqualTo(1);
    assertThat(json.get("notes").get(0).asText()).isEqualTo("kept aggregates");
  }

  @Test
  void textListsTablesAndNotes() {
    assertThat(certificate.toText())
        .contains("abc123")
        .contains("silver.orders")
        .contains("(2.0 s)")
        .contains("note: kept aggregates");
  }

  @Test
  void theAuditEventNamesTheSubjectByHashWithCounts() {
    AuditEvent event = AuditPublisher.eventOf(certificate);
    assertThat(event.action()).isEqualTo("erasure");
    assertThat(event.target()).isEqualTo("subject:abc123");
    assertThat(event.outcome()).isEqualTo(AuditEvent.SUCCESS);
    assertThat(event.details())
        .containsEntry("rows_deleted", "4")
        .containsEntry("tables_changed", "1")
        .containsEntry("erasure_id", "e-1");
  }
}
