package io.tarn.schemas.registry;

import java.util.Locale;

/**
 * A Kafka value could not be decoded into a record. This is bad data, not a failure: callers route
 * it to quarantine under {@link #ruleId()}.
 */
public final class DecodeException extends RuntimeException {

  /** Why a payload could not be decoded. */
  public enum Reason {
    /** Null, shorter than the 5-byte header, or not starting with magic byte 0. */
    NOT_WIRE_FORMAT,
    /** The registry has no schema with the payload's id. */
    UNKNOWN_SCHEMA_ID,
    /** The reader schema cannot read data written with the payload's schema. */
    INCOMPATIBLE_SCHEMA,
    /** The Avro bytes are truncated or corrupt. */
    CORRUPT_PAYLOAD
  }

  private final Reason reason;

  public DecodeException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public DecodeException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  /** The quarantine rule id, e.g. {@code decode.unknown_schema_id}. */
  public String ruleId() {
    return "decode." + reason.name().toLowerCase(Locale.ROOT);
  }
}
