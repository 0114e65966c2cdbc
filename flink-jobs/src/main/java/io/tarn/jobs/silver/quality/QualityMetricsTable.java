package io.tarn.jobs.silver.quality;

import static org.apache.iceberg.types.Types.NestedField.required;

import io.tarn.jobs.lake.TableNames;
import java.util.Map;
import org.apache.flink.table.types.logical.RowType;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.types.Types;

/**
 * {@code silver.quality_metrics}: per checkpoint, subtask and rule, how many records passed and
 * failed. Written with the data it describes, so the counts are exactly-once too; sum over
 * checkpoints for totals.
 */
public final class QualityMetricsTable {
  public static final TableIdentifier ID = TableNames.of("silver", "quality_metrics");

  public static final Schema SCHEMA =
      new Schema(
          required(1, "checkpoint_id", Types.LongType.get()),
          required(2, "subtask", Types.IntegerType.get()),
          required(3, "table_name", Types.StringType.get()),
          required(4, "rule_id", Types.StringType.get()),
          required(5, "action", Types.StringType.get()),
          required(6, "passed", Types.LongType.get()),
          required(7, "failed", Types.LongType.get()),
          required(8, "recorded_at", Types.TimestampType.withZone()));

  public static final PartitionSpec SPEC =
      PartitionSpec.builderFor(SCHEMA).day("recorded_at").build();

  public static final Map<String, String> PROPERTIES =
      Map.of(
          "tarn.zone", "silver",
          "tarn.owner", "team-data-platform",
          "tarn.classification", "internal",
          "tarn.tags", "zone:silver,classification:internal,quality",
          "comment",
              "Records passed and failed per checkpoint, subtask and quality rule; sum over"
                  + " checkpoints for totals.");

  public static final RowType ROW_TYPE = FlinkSchemaUtil.convert(SCHEMA);

  private QualityMetricsTable() {}
}
