package io.tarn.jobs.lineage;

import io.tarn.jobs.config.JobConfig;
import io.tarn.jobs.lake.Lake;
import java.io.Serializable;
import java.util.List;

/**
 * What a job reads and writes, column by column: the datasets of its OpenLineage run events.
 * Datasets are named as OpenLineage's naming spec says: a Kafka topic in {@code kafka://host:port},
 * an Iceberg table ({@code silver.orders}) in its warehouse location.
 */
public record JobLineage(String job, List<Dataset> inputs, List<Dataset> outputs)
    implements Serializable {

  /** A dataset with its columns; for an output, each column says what it is derived from. */
  public record Dataset(
      String namespace, String name, String description, String owner, List<Column> columns)
      implements Serializable {
    public Column column(String columnName) {
      return columns.stream()
          .filter(c -> c.name().equals(columnName))
          .findFirst()
          .orElseThrow(
              () ->
                  new IllegalArgumentException(
                      "Cannot find column " + columnName + " in dataset " + name));
    }

    /** A reference to one of this dataset's columns, as an input of {@code subtype}. */
    public Input field(String columnName, String subtype) {
      column(columnName);
      return new Input(namespace, name, columnName, subtype);
    }
  }

  /** A column: name, type, doc, and the input fields its values come from (none for inputs). */
  public record Column(String name, String type, String description, List<Input> inputs)
      implements Serializable {}

  /**
   * An input field of a column. {@code subtype} is OpenLineage's transformation subtype: {@code
   * IDENTITY}, {@code TRANSFORMATION} and {@code AGGREGATION} are direct (the value flows into the
   * column); {@code FILTER}, {@code GROUP_BY} and {@code JOIN} are indirect (they decide which rows
   * count).
   */
  public record Input(String namespace, String name, String field, String subtype)
      implements Serializable {
    public String type() {
      return switch (subtype) {
        case "IDENTITY", "TRANSFORMATION", "AGGREGATION" -> "DIRECT";
        default -> "INDIRECT";
      };
    }
  }

  /** A job that declares no datasets (it only maintains tables it does not change). */
  public static JobLineage none(String job) {
    return new JobLineage(job, List.of(), List.of());
  }

  /** OpenLineage's namespace of the Kafka cluster: {@code kafka://} and the first broker. */
  public static String kafkaNamespace(JobConfig config) {
    return "kafka://" + config.get(JobConfig.KAFKA_BOOTSTRAP).split(",")[0].trim();
  }

  /** OpenLineage's namespace of the lake's tables: the warehouse location. */
  public static String lakeNamespace(JobConfig config) {
    return Lake.warehouseLocation(config.get(JobConfig.WAREHOUSE));
  }
}
