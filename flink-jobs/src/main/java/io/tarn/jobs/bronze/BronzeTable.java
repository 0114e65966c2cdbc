package io.tarn.jobs.bronze;

import static org.apache.iceberg.types.Types.NestedField.optional;
import static org.apache.iceberg.types.Types.NestedField.required;

import io.tarn.jobs.lake.TableMetadata;
import io.tarn.schemas.Classification;
import io.tarn.schemas.DomainSchemas;
import io.tarn.schemas.FieldContract;
import io.tarn.schemas.TableContract;
import java.util.Optional;
import org.apache.flink.table.types.logical.RowType;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.types.Types;

/**
 * The shape of every bronze table: the Kafka record exactly as received plus where it came from,
 * which schema it claims and whether it decodes. Partitioned by ingest hour.
 */
public final class BronzeTable {
  public static final Schema SCHEMA =
      new Schema(
          required(1, "kafka_topic", Types.StringType.get(), "Topic the record was read from"),
          required(2, "kafka_partition", Types.IntegerType.get(), "Partition of the record"),
          required(3, "kafka_offset", Types.LongType.get(), "Offset of the record"),
          required(4, "kafka_timestamp", Types.TimestampType.withZone(), "Kafka record timestamp"),
          optional(5, "kafka_key", Types.BinaryType.get(), "Raw record key"),
          optional(
              6, "value", Types.BinaryType.get(), "Raw record value (restricted: may hold PII)"),
          optional(
              7, "schema_id", Types.IntegerType.get(), "Registry schema id from the wire header"),
          optional(8, "decode_error", Types.StringType.get(), "Why the value does not decode"),
          required(9, "ingest_time", Types.TimestampType.withZone(), "When bronze wrote it"));

  public static final PartitionSpec SPEC =
      PartitionSpec.builderFor(SCHEMA).hour("ingest_time").build();

  public static final RowType ROW_TYPE = FlinkSchemaUtil.convert(SCHEMA);

  private BronzeTable() {}

  /**
   * The catalog metadata of the bronze table of {@code topic}: restricted as a whole, since the raw
   * value holds every field of the event, PII included; owned by the contract's owner.
   */
  public static TableMetadata metadata(String topic) {
    Optional<TableContract> contract = DomainSchemas.forTopic(topic);
    TableMetadata metadata =
        new TableMetadata(
                "bronze",
                contract.map(TableContract::owner).orElse(null),
                "Raw records of Kafka topic "
                    + topic
                    + " exactly as received (restricted: values may hold PII)."
                    + contract.map(c -> " " + c.doc()).orElse(""))
            .property("tarn.source-topic", topic);
    String piiTypes =
        contract
            .map(
                c ->
                    String.join(
                        ",",
                        c.fields().stream()
                            .map(FieldContract::pii)
                            .flatMap(Optional::stream)
                            .distinct()
                            .toList()))
            .filter(s -> !s.isEmpty())
            .orElse(null);
    for (Types.NestedField column : SCHEMA.columns()) {
      boolean raw = column.name().equals("value");
      metadata.column(
          column.name(),
          raw ? Classification.RESTRICTED : Classification.INTERNAL,
          raw ? piiTypes : null);
    }
    return metadata;
  }
}
