package io.tarn.schemas.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/**
 * One audited act: a Trino query, a job starting or failing, a schema registered or rejected, a
 * policy change, a maintenance action, an erasure.
 *
 * <p>Every producer of the platform publishes these as UTF-8 JSON to the {@link #TOPIC} topic
 * (Kafka key: {@link #actor()}), and the audit job chains them into the lake's {@code audit} table.
 * Details never carry raw values of PII fields.
 *
 * @param eventId unique id, so a replayed publish is recorded once
 * @param time when the act happened
 * @param actor who did it: a user name, or a component such as {@code job:silver}
 * @param action what was done, dotted lower case: {@code query}, {@code job.start}, {@code
 *     job.stop}, {@code job.fail}, {@code schema.register}, {@code schema.reject}, {@code
 *     policy.change}, {@code maintenance.compact}, {@code erasure}
 * @param target what it was done to: a table ({@code silver.orders}), a subject, a job name
 * @param outcome {@code success} or {@code failure}
 * @param details further facts, sorted by key (columns read, row counts, error messages)
 */
public record AuditEvent(
    String eventId,
    Instant time,
    String actor,
    String action,
    String target,
    String outcome,
    Map<String, String> details) {

  /** The Kafka topic every audit event goes to. */
  public static final String TOPIC = "tarn.audit";

  public static final String SUCCESS = "success";
  public static final String FAILURE = "failure";

  private static final ObjectMapper JSON = new ObjectMapper();

  public AuditEvent {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(time, "time");
    requireText("actor", actor);
    requireText("action", action);
    Objects.requireNonNull(target, "target");
    if (!SUCCESS.equals(outcome) && !FAILURE.equals(outcome)) {
      throw new IllegalArgumentException(
          "Cannot create audit event: outcome must be success or failure, not " + outcome);
    }
    details = details == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(details));
  }

  /** A new event with a random id, happening now. */
  public static AuditEvent of(
      String actor, String action, String target, String outcome, Map<String, String> details) {
    return new AuditEvent(
        UUID.randomUUID().toString(), Instant.now(), actor, action, target, outcome, details);
  }

  /**
   * The event as UTF-8 JSON: fields in a fixed order, details sorted, so equal events encode
   * equally and the audit hash chain can cover these bytes.
   */
  public byte[] toJson() {
    ObjectNode node = JSON.createObjectNode();
    node.put("event_id", eventId);
    node.put("time", time.toString());
    node.put("actor", actor);
    node.put("action", action);
    node.put("target", target);
    node.put("outcome", outcome);
    ObjectNode detailNode = node.putObject("details");
    details.forEach(detailNode::put);
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot encode audit event " + eventId, e);
    }
  }

  /**
   * Reads an event written by {@link #toJson()}.
   *
   * @throws IllegalArgumentException naming what is missing or malformed
   */
  public static AuditEvent fromJson(byte[] json) {
    JsonNode node;
    try {
      node = JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("Cannot read audit event: not JSON: " + e.getMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("Cannot read audit event: not a JSON object");
    }
    Map<String, String> details = new TreeMap<>();
    JsonNode detailNode = node.path("details");
    for (Iterator<Map.Entry<String, JsonNode>> it = detailNode.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      details.put(e.getKey(), e.getValue().asText());
    }
    try {
      return new AuditEvent(
          text(node, "event_id"),
          Instant.parse(text(node, "time")),
          text(node, "actor"),
          text(node, "action"),
          text(node, "target"),
          text(node, "outcome"),
          details);
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("Cannot read audit event: time is not ISO-8601", e);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException("Cannot read audit event: missing text field " + field);
    }
    return value.asText();
  }

  private static void requireText(String name, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("Cannot create audit event: " + name + " is empty");
    }
  }
}
