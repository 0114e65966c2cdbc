package io.tarn.schemas.registry;

/** A schema was rejected because it breaks the subject's compatibility level. */
public class IncompatibleSchemaException extends SchemaRegistryException {

  public IncompatibleSchemaException(String message, int errorCode) {
    super(message, errorCode);
  }
}
