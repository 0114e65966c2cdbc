package io.tarn.schemas.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * The compatibility levels of the Confluent Schema Registry, checked with Avro's resolution rules.
 */
enum CompatibilityLevel {
  NONE(false, false, false),
  BACKWARD(true, false, false),
  BACKWARD_TRANSITIVE(true, false, true),
  FORWARD(false, true, false),
  FORWARD_TRANSITIVE(false, true, true),
  FULL(true, true, false),
  FULL_TRANSITIVE(true, true, true);

  private final boolean backward;
  private final boolean forward;
  private final boolean transitive;

  CompatibilityLevel(boolean backward, boolean forward, boolean transitive) {
    this.backward = backward;
    this.forward = forward;
    this.transitive = transitive;
  }

  static Optional<CompatibilityLevel> parse(String name) {
    if (name == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(valueOf(name.trim().toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * Checks a new schema against the existing versions of a subject.
   *
   * @param existing the subject's schemas, oldest first
   * @return why the new schema breaks this level; empty when it does not
   */
  List<String> check(Schema candidate, List<Schema> existing) {
    if (existing.isEmpty() || this == NONE) {
      return List.of();
    }
    List<Schema> against =
        transitive ? existing : existing.subList(existing.size() - 1, existing.size());
    List<String> problems = new ArrayList<>();
    for (Schema previous : against) {
      if (backward) {
        // consumers on the new schema must read data written with the old one
        problems.addAll(problems(candidate, previous));
      }
      if (forward) {
        // consumers still on the old schema must read data written with the new one
        problems.addAll(problems(previous, candidate));
      }
    }
    return problems;
  }

  /** Why a reader schema cannot read data written with a writer schema; empty when it can. */
  static List<String> problems(Schema reader, Schema writer) {
    SchemaCompatibility.SchemaPairCompatibility pair =
        SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    if (pair.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      return List.of();
    }
    List<String> problems = new ArrayList<>();
    for (SchemaCompatibility.Incompatibility incompatibility :
        pair.getResult().getIncompatibilities()) {
      problems.add(
          incompatibility.getType()
              + " at "
              + incompatibility.getLocation()
              + ": "
              + incompatibility.getMessage());
    }
    return problems;
  }
}
