package io.tarn.schemas;

/** Thrown when a schema's governance or quality annotations cannot be read. */
public class SchemaContractException extends RuntimeException {

  public SchemaContractException(String message) {
    super(message);
  }

  public SchemaContractException(String message, Throwable cause) {
    super(message, cause);
  }
}
