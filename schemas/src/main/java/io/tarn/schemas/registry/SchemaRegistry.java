package io.tarn.schemas.registry;

import java.util.List;
import org.apache.avro.Schema;

/**
 * The subset of the Confluent Schema Registry API that Tarn uses.
 *
 * <p>Implementations are thread-safe.
 */
public interface SchemaRegistry extends AutoCloseable {

  /**
   * Registers a schema under a subject, or finds it if it is already registered there.
   *
   * @return the global schema id; the same schema always gets the same id
   * @throws IncompatibleSchemaException if the schema breaks the subject's compatibility level
   */
  int register(String subject, Schema schema);

  /**
   * The schema with a global id.
   *
   * @throws UnknownSchemaException if no schema has that id
   */
  Schema schemaById(int id);

  /**
   * The latest version of a subject.
   *
   * @throws UnknownSchemaException if the subject does not exist
   */
  SchemaVersion latest(String subject);

  /**
   * The version numbers of a subject, oldest first.
   *
   * @throws UnknownSchemaException if the subject does not exist
   */
  List<Integer> versions(String subject);

  /** Every subject, in no particular order. */
  List<String> subjects();

  /**
   * Whether registering a schema under a subject would pass its compatibility check; true for a
   * subject that does not exist yet.
   */
  boolean isCompatible(String subject, Schema schema);

  @Override
  void close();
}
