package io.tarn.jobs.audit;

import io.tarn.schemas.ProducerSettings;
import io.tarn.schemas.audit.AuditEvent;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes audit events to {@value AuditEvent#TOPIC} with an idempotent producer (acks=all), keyed
 * by actor. A delivery failure is logged and counted, never thrown into the platform's work: the
 * event id makes a retried publish harmless, and {@link #failed()} lets a caller report losses.
 */
public final class KafkaAuditLog implements AuditLog {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaAuditLog.class);

  private final KafkaProducer<String, byte[]> producer;
  private final String topic;
  private final AtomicLong failed = new AtomicLong();

  public KafkaAuditLog(String bootstrapServers) {
    this(bootstrapServers, AuditEvent.TOPIC);
  }

  public KafkaAuditLog(String bootstrapServers, String topic) {
    Properties props = ProducerSettings.of(bootstrapServers, "tarn-audit-log");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    // never hold the platform up for long when Kafka is away: the send fails and is logged
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
    this.producer = ProducerSettings.producer(props);
    this.topic = topic;
  }

  @Override
  public void record(AuditEvent event) {
    producer.send(
        new ProducerRecord<>(topic, event.actor(), event.toJson()),
        (metadata, error) -> {
          if (error != null) {
            failed.incrementAndGet();
            LOG.warn(
                "Cannot record audit event {} ({} {}): {}",
                event.eventId(),
                event.action(),
                event.target(),
                error.toString());
          }
        });
  }

  /** Events whose delivery failed. */
  public long failed() {
    return failed.get();
  }

  /** Waits until every event recorded so far is acknowledged (or failed). */
  public void flush() {
    producer.flush();
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
