package io.tarn.schemas.registry;

/** A schema registry call failed; subclasses name the failures callers act on. */
public class SchemaRegistryException extends RuntimeException {
  private final int errorCode;

  public SchemaRegistryException(String message) {
    this(message, -1, null);
  }

  public SchemaRegistryException(String message, Throwable cause) {
    this(message, -1, cause);
  }

  public SchemaRegistryException(String message, int errorCode) {
    this(message, errorCode, null);
  }

  public SchemaRegistryException(String message, int errorCode, Throwable cause) {
    super(message, cause);
    this.errorCode = errorCode;
  }

  /** The Confluent error code of the server's answer (e.g. 40401), or -1 if there was none. */
  public int errorCode() {
    return errorCode;
  }
}
