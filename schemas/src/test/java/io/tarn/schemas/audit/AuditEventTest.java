package io.tarn.schemas.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditEventTest {
  @Test
  void roundTripsThroughJsonWithDetailsSorted() {
    AuditEvent event =
        new AuditEvent(
            "e-1",
            Instant.parse("2026-11-29T01:00:00Z"),
            "alice",
            "query",
            "silver.orders",
            AuditEvent.SUCCESS,
            Map.of("rows", "12", "columns", "order_id,total"));

    byte[] json = event.toJson();

    assertThat(AuditEvent.fromJson(json)).isEqualTo(event);
    assertThat(new String(json, StandardCharsets.UTF_8))
        .contains("\"details\":{\"columns\":\"order_id,total\",\"rows\":\"12\"}");
  }

  @Test
  void rejectsMalformedInputNamingTheField() {
    assertThatThrownBy(() -> AuditEvent.fromJson("{\"event_id\":\"x\"}".getBytes()))
        .hasMessageContaining("time");
    assertThatThrownBy(() -> AuditEvent.fromJson("nope".getBytes()))
        .hasMessageStartingWith("Cannot read audit event");
    assertThatThrownBy(() -> AuditEvent.of("a", "query", "t", "maybe", Map.of()))
        .hasMessageContaining("outcome");
  }
}
