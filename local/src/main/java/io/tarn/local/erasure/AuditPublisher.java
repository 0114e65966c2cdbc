package io.tarn.local.erasure;

import io.tarn.schemas.ProducerSettings;
import io.tarn.schemas.audit.AuditEvent;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes an erasure's {@link AuditEvent} to {@link AuditEvent#TOPIC}, where the audit job chains
 * it into the lake's audit table. The event names the subject only by its keyed hash.
 */
public final class AuditPublisher {
  static final String ACTOR = "cli:erase";

  private final String bootstrapServers;

  public AuditPublisher(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
  }

  /** The audit event of a finished erasure: counts and the subject's hash, no raw values. */
  public static AuditEvent eventOf(Certificate certificate) {
    return AuditEvent.of(
        ACTOR,
        "erasure",
        "subject:" + certificate.subjectHash(),
        AuditEvent.SUCCESS,
        Map.of(
            "erasure_id", certificate.erasureId(),
            "tables", String.valueOf(certificate.tables().size()),
            "tables_changed",
                String.valueOf(
                    certificate.tables().stream().filter(t -> t.rowsDeleted() > 0).count()),
            "rows_deleted", String.valueOf(certificate.rowsDeleted()),
            "snapshots_expired", String.valueOf(certificate.snapshotsExpired()),
            "identifiers", String.valueOf(certificate.identifiers())));
  }

  /** Sends the event and waits for the broker's acknowledgement. */
  public void publish(AuditEvent event) {
    Properties props = ProducerSettings.of(bootstrapServers, "tarn-erasure-audit");
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "20000");
    try (KafkaProducer<String, byte[]> producer = ProducerSettings.producer(props)) {
      producer
          .send(new ProducerRecord<>(AuditEvent.TOPIC, event.actor(), event.toJson()))
          .get(40, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "Cannot publish the erasure audit event to "
              + AuditEvent.TOPIC
              + " at "
              + bootstrapServers
              + ": "
              + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Cannot publish the erasure audit event: interrupted", e);
    }
  }
}
