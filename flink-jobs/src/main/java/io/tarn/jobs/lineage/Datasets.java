package io.tarn.jobs.lineage;

import io.tarn.jobs.config.JobConfig;
import io.tarn.jobs.lineage.JobLineage.Column;
import io.tarn.jobs.lineage.JobLineage.Dataset;
import io.tarn.jobs.lineage.JobLineage.Input;
import io.tarn.schemas.TableContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalType;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;

/** Builds the lineage datasets of topics and tables from the definitions the jobs write with. */
public final class Datasets {
  private Datasets() {}

  /** A domain topic: its columns are the contract's fields (the registered value schema). */
  public static Dataset topic(JobConfig config, TableContract contract) {
    List<Column> columns = new ArrayList<>();
    for (org.apache.avro.Schema.Field field : contract.schema().getFields()) {
      columns.add(new Column(field.name(), avroType(field.schema()), field.doc(), List.of()));
    }
    return new Dataset(
        JobLineage.kafkaNamespace(config),
        contract.topic(),
        contract.doc(),
        contract.owner(),
        columns);
  }

  /** A topic without a contract: its shape is unknown to the job. */
  public static Dataset topic(JobConfig config, String topic) {
    return new Dataset(JobLineage.kafkaNamespace(config), topic, null, null, List.of());
  }

  /**
   * A lake table from the schema and properties it is created with; {@code inputs} says which input
   * fields each column is derived from (columns not named there have none).
   */
  public static Dataset table(
      JobConfig config,
      TableIdentifier id,
      Schema schema,
      Map<String, String> properties,
      Map<String, List<Input>> inputs) {
    List<Column> columns = new ArrayList<>();
    for (Types.NestedField field : schema.columns()) {
      columns.add(
          new Column(
              field.name(),
              field.type().toString(),
              field.doc(),
              List.copyOf(inputs.getOrDefault(field.name(), List.of()))));
    }
    return new Dataset(
        JobLineage.lakeNamespace(config),
        id.toString(),
        properties.get("comment"),
        properties.get("tarn.owner"),
        columns);
  }

  private static String avroType(org.apache.avro.Schema schema) {
    if (schema.getType() == org.apache.avro.Schema.Type.UNION) {
      return schema.getTypes().stream()
          .filter(t -> t.getType() != org.apache.avro.Schema.Type.NULL)
          .findFirst()
          .map(Datasets::avroType)
          .orElse("null");
    }
    LogicalType logical = schema.getLogicalType();
    return logical != null ? logical.getName() : schema.getType().getName();
  }
}
