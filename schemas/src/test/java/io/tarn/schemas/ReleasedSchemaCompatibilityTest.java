package io.tarn.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.junit.jupiter.api.Test;

/**
 * Guards the released contracts: data written with a released schema must stay readable with the
 * current one (BACKWARD), or every consumer upgraded first breaks on old data still in Kafka.
 */
class ReleasedSchemaCompatibilityTest {
  private static final Path RELEASED = Path.of("released", "shop");

  @Test
  void currentSchemasReadDataWrittenWithReleasedSchemas() throws IOException {
    List<String> failures = new ArrayList<>();
    for (Path released : releasedFiles()) {
      String file = released.getFileName().toString();
      String table = file.substring(0, file.length() - ".avsc".length());
      Schema writer = new Schema.Parser().parse(released.toFile());
      Schema reader = DomainSchemas.forTable(table).schema();
      SchemaCompatibility.SchemaPairCompatibility result =
          SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
      if (result.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
        for (SchemaCompatibility.Incompatibility incompatibility :
            result.getResult().getIncompatibilities()) {
          failures.add(
              reader.getFullName()
                  + " ("
                  + table
                  + ".avsc) cannot read data written with released/shop/"
                  + file
                  + ": "
                  + incompatibility.getType()
                  + " at "
                  + incompatibility.getLocation()
                  + ": "
                  + incompatibility.getMessage());
        }
      }
    }
    if (!failures.isEmpty()) {
      fail(
          "Incompatible schema changes (add fields with defaults instead):\n"
              + String.join("\n", failures));
    }
  }

  @Test
  void everyDomainSchemaHasAReleasedVersion() throws IOException {
    List<String> released = new ArrayList<>();
    for (Path file : releasedFiles()) {
      released.add(file.getFileName().toString());
    }
    for (TableContract contract : DomainSchemas.all()) {
      assertThat(released)
          .as("released/shop must hold the released version of %s", contract.table())
          .contains(contract.table() + ".avsc");
    }
  }

  private static List<Path> releasedFiles() throws IOException {
    assertThat(RELEASED)
        .as("released schemas directory (tests run in the module directory)")
        .isDirectory();
    try (Stream<Path> files = Files.list(RELEASED)) {
      return files.filter(file -> file.toString().endsWith(".avsc")).sorted().toList();
    }
  }
}
