package io.tarn.jobs.bronze;

import static org.apache.iceberg.types.Types.NestedField.optional;
import static org.apache.iceberg.types.Types.NestedField.required;

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
          required(1, "kafka_topic", Types.StringType.get()),
          required(2, "kafka_partition", Types.IntegerType.get()),
          required(3, "kafka_offset", Types.LongType.get()),
          required(4, "kafka_timestamp", Types.TimestampType.withZone()),
          optional(5, "kafka_key", Types.BinaryType.get()),
          optional(
              6, "value", Types.BinaryType.get(), "Raw record value (restricted: may hold PII)"),
          optional(
              7, "schema_id", Types.IntegerType.get(), "Registry schema id from the wire header"),
          optional(8, "decode_error", Types.StringType.get(), "Why the value does not decode"),
          required(9, "ingest_time", Types.TimestampType.withZone()));

  public static final PartitionSpec SPEC =
      PartitionSpec.builderFor(SCHEMA).hour("ingest_time").build();

  public static final RowType ROW_TYPE = FlinkSchemaUtil.convert(SCHEMA);

  private BronzeTable() {}
}
