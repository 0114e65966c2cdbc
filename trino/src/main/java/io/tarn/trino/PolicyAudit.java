package io.tarn.trino;

import io.tarn.schemas.ProducerSettings;
import io.tarn.schemas.audit.AuditEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Notices when the access rules Trino enforces change — at start, and while it runs, since Trino
 * re-reads the file — and records a {@code policy.change} audit event with the file's SHA-256 and
 * the one before it. The last hash seen is kept next to Trino's data, so a restart with the same
 * rules records nothing.
 */
final class PolicyAudit {
  private final Path rules;
  private final Path lastHash;
  private final String actor;

  /**
   * @param rules the rules file Trino enforces
   * @param lastHash where the last recorded hash is kept
   */
  PolicyAudit(Path rules, Path lastHash) {
    this.rules = rules;
    this.lastHash = lastHash;
    this.actor = "user:" + System.getProperty("user.name", "unknown");
  }

  /**
   * The change since the last {@link #recorded}, if the rules file's content changed (or was never
   * recorded).
   */
  synchronized Optional<AuditEvent> check() {
    String hash = sha256(rules);
    String previous = previous();
    if (hash.equals(previous)) {
      return Optional.empty();
    }
    return Optional.of(
        AuditEvent.of(
            actor,
            "policy.change",
            rules.toString(),
            AuditEvent.SUCCESS,
            Map.of("sha256", hash, "previous_sha256", previous == null ? "none" : previous)));
  }

  /** Remembers the event's hash as the last recorded, once it is safely published. */
  synchronized void recorded(AuditEvent change) {
    try {
      Files.createDirectories(lastHash.getParent());
      Files.writeString(lastHash, change.details().get("sha256") + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot record the policy hash in " + lastHash, e);
    }
  }

  private String previous() {
    try {
      return Files.exists(lastHash) ? Files.readString(lastHash).trim() : null;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + lastHash, e);
    }
  }

  static String sha256(Path file) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read access rules " + file, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Cannot hash access rules: no SHA-256", e);
    }
  }

  /** Publishes one event to the audit topic and waits for the broker's acknowledgement. */
  static void publish(String bootstrapServers, AuditEvent event) {
    Properties props = ProducerSettings.of(bootstrapServers, "tarn-policy-audit");
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
    try (KafkaProducer<String, byte[]> producer = ProducerSettings.producer(props)) {
      producer
          .send(new ProducerRecord<>(AuditEvent.TOPIC, event.actor(), event.toJson()))
          .get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(
          "Cannot record policy change " + event.eventId() + " in " + AuditEvent.TOPIC + ": " + e,
          e);
    }
  }
}
