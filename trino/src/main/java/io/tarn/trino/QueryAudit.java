package io.tarn.trino;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Trino's own Kafka event listener ({@code plugin/kafka-event-listener}), publishing every
 * completed query — user, SQL, tables and columns read, rows, failure — to the topic the audit job
 * reads ({@code tarn.audit.trino}).
 *
 * @param bootstrapServers the Kafka brokers, host:port[,host:port]
 * @param topic where completed-query events go
 */
public record QueryAudit(String bootstrapServers, String topic) {
  /** The topic the audit job reads Trino's events from (its {@code AuditJob.TRINO_TOPIC}). */
  public static final String DEFAULT_TOPIC = "tarn.audit.trino";

  public QueryAudit {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("Cannot audit Trino queries: no Kafka bootstrap servers");
    }
    if (topic == null || topic.isBlank()) {
      throw new IllegalArgumentException("Cannot audit Trino queries: no topic");
    }
  }

  public static QueryAudit to(String bootstrapServers) {
    return new QueryAudit(bootstrapServers, DEFAULT_TOPIC);
  }

  /** The contents of {@code etc/event-listener.properties}. */
  Map<String, String> properties() {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("event-listener.name", "kafka");
    props.put("kafka-event-listener.broker-endpoints", bootstrapServers);
    props.put("kafka-event-listener.client-id", "tarn-trino");
    props.put("kafka-event-listener.publish-created-event", "false");
    props.put("kafka-event-listener.publish-completed-event", "true");
    props.put("kafka-event-listener.completed-event.topic", topic);
    return props;
  }
}
