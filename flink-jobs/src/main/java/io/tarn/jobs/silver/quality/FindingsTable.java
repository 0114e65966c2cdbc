package io.tarn.jobs.silver.quality;

import static org.apache.iceberg.types.Types.NestedField.required;

import io.tarn.jobs.lake.TableNames;
import org.apache.flink.table.types.logical.RowType;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.types.Types;

/**
 * {@code silver.pii_findings}: per checkpoint, subtask, column and entity type, how many values of
 * a column the contract does not annotate as PII looked like personal data, and what the policy did
 * about it. Counts and scores only, never a value; committed with the rows they describe.
 */
public final class FindingsTable {
  public static final TableIdentifier ID = TableNames.of("silver", "pii_findings");

  public static final Schema SCHEMA =
      new Schema(
          required(1, "checkpoint_id", Types.LongType.get()),
          required(2, "subtask", Types.IntegerType.get()),
          required(3, "table_name", Types.StringType.get()),
          required(4, "column_name", Types.StringType.get()),
          required(5, "entity_type", Types.StringType.get()),
          required(6, "action", Types.StringType.get()),
          required(7, "confidence", Types.DoubleType.get()),
          required(8, "sample_count", Types.LongType.get()),
          required(9, "scanned_count", Types.LongType.get()),
          required(10, "recorded_at", Types.TimestampType.withZone()));

  public static final PartitionSpec SPEC =
      PartitionSpec.builderFor(SCHEMA).day("recorded_at").build();

  public static final RowType ROW_TYPE = FlinkSchemaUtil.convert(SCHEMA);

  private FindingsTable() {}
}
