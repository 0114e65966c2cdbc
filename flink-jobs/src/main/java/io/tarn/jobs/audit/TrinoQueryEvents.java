package io.tarn.jobs.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tarn.schemas.audit.AuditEvent;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Maps what Trino's Kafka event listener publishes for a completed query ({@code {"eventPayload":
 * QueryCompletedEvent, "eventMetadata": {...}}}) to an audit {@code query} event: the user, when
 * the query was created, its SQL, the tables and columns it read, its output rows and its outcome.
 */
public final class TrinoQueryEvents {
  /** SQL longer than this is cut (with a marker): the audit record says what ran, not all of it. */
  static final int MAX_SQL = 8192;

  private static final ObjectMapper JSON = new ObjectMapper();

  private TrinoQueryEvents() {}

  /**
   * @throws IllegalArgumentException naming what is missing, for a message that is not a completed
   *     query event
   */
  public static AuditEvent toAuditEvent(byte[] message) {
    JsonNode root;
    try {
      root = JSON.readTree(message);
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read Trino query event: not JSON", e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("Cannot read Trino query event: not a JSON object");
    }
    JsonNode event = root.has("eventPayload") ? root.get("eventPayload") : root;
    JsonNode metadata = event.path("metadata");
    String queryId = requiredText(metadata, "queryId", "metadata.queryId");
    String user = requiredText(event.path("context"), "user", "context.user");
    Instant created = instant(event.get("createTime"), "createTime");

    Set<String> tables = new LinkedHashSet<>();
    Set<String> columns = new LinkedHashSet<>();
    for (JsonNode input : event.path("ioMetadata").path("inputs")) {
      String table =
          input.path("catalogName").asText()
              + "."
              + input.path("schema").asText()
              + "."
              + input.path("table").asText();
      tables.add(table);
      for (JsonNode column : input.path("columns")) {
        String name = column.isTextual() ? column.asText() : column.path("column").asText("");
        if (name.isEmpty()) {
          name = column.path("name").asText("");
        }
        if (!name.isEmpty()) {
          columns.add(table + "." + name);
        }
      }
    }
    JsonNode output = event.path("ioMetadata").path("output");

    Map<String, String> details = new TreeMap<>();
    details.put("query_id", queryId);
    details.put("sql", sql(metadata.path("query").asText("")));
    details.put("state", metadata.path("queryState").asText(""));
    details.put("tables", String.join(",", tables));
    details.put("columns", String.join(",", columns));
    JsonNode stats = event.path("statistics");
    putNumber(details, "output_rows", stats.get("outputRows"));
    putNumber(details, "written_rows", stats.get("writtenRows"));
    if (output.isObject()) {
      details.put(
          "output_table",
          output.path("catalogName").asText()
              + "."
              + output.path("schema").asText()
              + "."
              + output.path("table").asText());
    }
    JsonNode failure = event.get("failureInfo");
    boolean failed = failure != null && !failure.isNull();
    if (failed) {
      details.put("error_code", failure.path("errorCode").path("name").asText(""));
      details.put("error", failure.path("failureMessage").asText(""));
    }
    failed |= "FAILED".equals(metadata.path("queryState").asText());
    String target =
        tables.isEmpty() ? details.getOrDefault("output_table", "") : tables.iterator().next();
    if (tables.size() > 1) {
      target = String.join(",", tables);
    }
    return new AuditEvent(
        "trino:" + queryId,
        created,
        user,
        "query",
        target,
        failed ? AuditEvent.FAILURE : AuditEvent.SUCCESS,
        details);
  }

  private static String sql(String query) {
    return query.length() <= MAX_SQL ? query : query.substring(0, MAX_SQL) + "…[truncated]";
  }

  private static void putNumber(Map<String, String> details, String key, JsonNode value) {
    if (value != null && value.isNumber()) {
      details.put(key, value.asText());
    }
  }

  private static String requiredText(JsonNode node, String field, String path) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.asText().isEmpty()) {
      throw new IllegalArgumentException("Cannot read Trino query event: missing " + path);
    }
    return value.asText();
  }

  /** Trino writes instants as ISO-8601 text; a mapper with timestamps on writes epoch seconds. */
  private static Instant instant(JsonNode value, String path) {
    if (value != null && value.isTextual()) {
      try {
        return Instant.parse(value.asText());
      } catch (java.time.format.DateTimeParseException e) {
        throw new IllegalArgumentException(
            "Cannot read Trino query event: " + path + " is not ISO-8601", e);
      }
    }
    if (value != null && value.isNumber()) {
      BigDecimal seconds = value.decimalValue();
      long whole = seconds.longValue();
      long nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue();
      return Instant.ofEpochSecond(whole, nanos);
    }
    throw new IllegalArgumentException("Cannot read Trino query event: missing " + path);
  }
}
