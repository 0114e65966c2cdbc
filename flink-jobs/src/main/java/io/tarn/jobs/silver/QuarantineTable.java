package io.tarn.jobs.silver;

import static org.apache.iceberg.types.Types.NestedField.optional;
import static org.apache.iceberg.types.Types.NestedField.required;

import io.tarn.jobs.lake.TableNames;
import io.tarn.schemas.DomainSchemas;
import java.util.Map;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.RowType;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.types.Types;

/** {@code silver.quarantine}: every record silver refused, raw, with the rule id and reason. */
public final class QuarantineTable {
  public static final TableIdentifier ID = TableNames.of("silver", "quarantine");

  public static final Schema SCHEMA =
      new Schema(
          optional(1, "table_name", Types.StringType.get()),
          required(2, "kafka_topic", Types.StringType.get()),
          required(3, "kafka_partition", Types.IntegerType.get()),
          required(4, "kafka_offset", Types.LongType.get()),
          optional(5, "kafka_key", Types.BinaryType.get()),
          optional(
              6, "value", Types.BinaryType.get(), "Raw record value (restricted: may hold PII)"),
          optional(7, "schema_id", Types.IntegerType.get()),
          optional(8, "event_id", Types.StringType.get()),
          required(9, "stage", Types.StringType.get(), "decode, dedupe or quality"),
          required(10, "rule_id", Types.StringType.get()),
          required(11, "reason", Types.StringType.get()),
          required(12, "quarantined_at", Types.TimestampType.withZone()));

  public static final PartitionSpec SPEC =
      PartitionSpec.builderFor(SCHEMA).day("quarantined_at").build();

  /** Restricted like bronze: refused records are kept raw. */
  public static final Map<String, String> PROPERTIES =
      Map.of(
          "tarn.zone", "silver",
          "tarn.owner", "team-data-platform",
          "tarn.classification", "restricted",
          "tarn.tags", "zone:silver,classification:restricted,pii,quarantine",
          "comment",
              "Every record silver refused (undecodable, duplicate beyond the horizon, failing a"
                  + " quality rule), raw, with the rule id and reason.");

  public static final RowType ROW_TYPE = FlinkSchemaUtil.convert(SCHEMA);

  private QuarantineTable() {}

  public static RowData toRow(QuarantineRecord q) {
    GenericRowData row = new GenericRowData(12);
    // the silver table the record was headed for; none for a topic without a contract
    row.setField(
        0,
        DomainSchemas.forTopic(q.topic)
            .map(contract -> StringData.fromString(contract.table()))
            .orElse(null));
    row.setField(1, StringData.fromString(q.topic));
    row.setField(2, q.partition);
    row.setField(3, q.offset);
    row.setField(4, q.key);
    row.setField(5, q.value);
    row.setField(6, q.schemaId);
    row.setField(7, q.eventId == null ? null : StringData.fromString(q.eventId));
    row.setField(8, StringData.fromString(q.stage));
    row.setField(9, StringData.fromString(q.ruleId));
    row.setField(10, StringData.fromString(q.reason == null ? "" : q.reason));
    row.setField(11, TimestampData.fromEpochMillis(System.currentTimeMillis()));
    return row;
  }
}
