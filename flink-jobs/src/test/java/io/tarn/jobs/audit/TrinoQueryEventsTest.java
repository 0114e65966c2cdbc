package io.tarn.jobs.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tarn.schemas.audit.AuditEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TrinoQueryEventsTest {
  // the shape Trino 476's kafka-event-listener publishes (QueryCompletedEventWrapper), trimmed
  private static final String COMPLETED =
      """
      {"eventPayload":{
        "metadata":{"queryId":"20261129_010203_00004_abcde","query":"SELECT customer_id, amount FROM lake.silver.orders WHERE amount > 10",
          "queryState":"FINISHED","uri":"http://127.0.0.1:1/v1/query/x","tables":[],"routines":[]},
        "statistics":{"cpuTime":"PT0.1S","outputRows":42,"writtenRows":0,"totalRows":100},
        "context":{"user":"analyst","principal":"analyst","source":"trino-jdbc","catalog":"lake","schema":"silver"},
        "ioMetadata":{"inputs":[{"catalogName":"lake","schema":"silver","table":"orders",
          "columns":[{"column":"customer_id","mask":null},{"column":"amount","mask":null}]}],"output":null},
        "warnings":[],
        "createTime":"2026-11-29T01:02:03.456Z","executionStartTime":"2026-11-29T01:02:03.5Z","endTime":"2026-11-29T01:02:04Z"},
       "eventMetadata":{}}
      """;

  private static final String FAILED =
      """
      {"eventPayload":{
        "metadata":{"queryId":"q2","query":"SELECT * FROM lake.silver.nope","queryState":"FAILED"},
        "statistics":{"outputRows":0},
        "context":{"user":"bob"},
        "ioMetadata":{"inputs":[]},
        "failureInfo":{"errorCode":{"code":1,"name":"TABLE_NOT_FOUND","type":"USER_ERROR"},
          "failureType":"io.trino.spi.TrinoException","failureMessage":"line 1:15: Table 'lake.silver.nope' does not exist"},
        "createTime":1764378123.250000000},
       "eventMetadata":{}}
      """;

  @Test
  void mapsACompletedQuery() {
    AuditEvent e = TrinoQueryEvents.toAuditEvent(COMPLETED.getBytes(StandardCharsets.UTF_8));
    assertThat(e.eventId()).isEqualTo("trino:20261129_010203_00004_abcde");
    assertThat(e.actor()).isEqualTo("analyst");
    assertThat(e.action()).isEqualTo("query");
    assertThat(e.time()).isEqualTo(Instant.parse("2026-11-29T01:02:03.456Z"));
    assertThat(e.target()).isEqualTo("lake.silver.orders");
    assertThat(e.outcome()).isEqualTo(AuditEvent.SUCCESS);
    assertThat(e.details())
        .containsEntry(
            "sql", "SELECT customer_id, amount FROM lake.silver.orders WHERE amount > 10")
        .containsEntry("tables", "lake.silver.orders")
        .containsEntry("columns", "lake.silver.orders.customer_id,lake.silver.orders.amount")
        .containsEntry("output_rows", "42")
        .containsEntry("state", "FINISHED")
        .doesNotContainKey("error");
  }

  @Test
  void mapsAFailedQueryWithEpochSecondTimes() {
    AuditEvent e = TrinoQueryEvents.toAuditEvent(FAILED.getBytes(StandardCharsets.UTF_8));
    assertThat(e.outcome()).isEqualTo(AuditEvent.FAILURE);
    assertThat(e.actor()).isEqualTo("bob");
    assertThat(e.target()).isEmpty();
    assertThat(e.time()).isEqualTo(Instant.ofEpochSecond(1764378123L, 250_000_000L));
    assertThat(e.details())
        .containsEntry("error_code", "TABLE_NOT_FOUND")
        .containsEntry("error", "line 1:15: Table 'lake.silver.nope' does not exist");
  }

  @Test
  void cutsVeryLongSql() {
    String longSql = "SELECT " + "x,".repeat(TrinoQueryEvents.MAX_SQL) + " 1";
    String json =
        COMPLETED.replace(
            "SELECT customer_id, amount FROM lake.silver.orders WHERE amount > 10", longSql);
    AuditEvent e = TrinoQueryEvents.toAuditEvent(json.getBytes(StandardCharsets.UTF_8));
    assertThat(e.details().get("sql"))
        .hasSizeLessThan(TrinoQueryEvents.MAX_SQL + 20)
        .endsWith("[truncated]");
  }

  @Test
  void refusesWhatIsNotAQueryEvent() {
    assertThatThrownBy(() -> TrinoQueryEvents.toAuditEvent("{\"eventPayload\":{}}".getBytes()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("metadata.queryId");
    assertThatThrownBy(() -> TrinoQueryEvents.toAuditEvent("not json".getBytes()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot read Trino query event");
  }
}
