package io.tarn.jobs.audit;

import io.tarn.schemas.audit.AuditEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

/**
 * The hash chain of the audit table: each record's hash is SHA-256 over the previous record's hash
 * (lower-case hex) followed by the record's canonical event JSON ({@link AuditEvent#toJson()}), so
 * changing, removing or reordering any record breaks every link after it.
 */
public final class AuditChain {
  /** The {@code prev_hash} of the first record. */
  public static final String GENESIS = "0".repeat(64);

  private AuditChain() {}

  public static String hash(String prevHash, byte[] eventJson) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(prevHash.getBytes(StandardCharsets.UTF_8));
      sha.update(eventJson);
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Cannot hash audit record: no SHA-256", e);
    }
  }

  /**
   * The event as the table stores it: time truncated to microseconds (Iceberg's timestamp
   * precision), so the JSON hashed at write time is the JSON a verifier rebuilds from the row.
   */
  public static AuditEvent stored(AuditEvent event) {
    Instant time = event.time().truncatedTo(ChronoUnit.MICROS);
    if (time.equals(event.time())) {
      return event;
    }
    return new AuditEvent(
        event.eventId(),
        time,
        event.actor(),
        event.action(),
        event.target(),
        event.outcome(),
        event.details());
  }
}
