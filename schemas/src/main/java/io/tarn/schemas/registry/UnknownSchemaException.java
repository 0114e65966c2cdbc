package io.tarn.schemas.registry;

/** The registry has no such schema id, subject or version. */
public class UnknownSchemaException extends SchemaRegistryException {

  public UnknownSchemaException(String message, int errorCode) {
    super(message, errorCode);
  }
}
