package io.tarn.jobs.silver;

import io.tarn.jobs.lake.TableMetadata;
import io.tarn.jobs.lake.TableNames;
import io.tarn.schemas.FieldContract;
import io.tarn.schemas.TableContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.table.types.logical.RowType;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.types.Types;

/**
 * A silver table: the contract's fields as typed columns (with their docs), then the lineage
 * columns {@code _kafka_partition}, {@code _kafka_offset}, {@code _schema_id} and {@code
 * _processed_at}. Partitioned by event day.
 */
public final class SilverTable {
  public static final List<String> LINEAGE_COLUMNS =
      List.of("_kafka_partition", "_kafka_offset", "_schema_id", "_processed_at");

  private final TableContract contract;
  private final Schema schema;

  public SilverTable(TableContract contract) {
    this.contract = contract;
    this.schema = schemaOf(contract);
  }

  public TableContract contract() {
    return contract;
  }

  public TableIdentifier id() {
    return TableNames.of("silver", contract.table());
  }

  public Schema schema() {
    return schema;
  }

  public RowType rowType() {
    return FlinkSchemaUtil.convert(schema);
  }

  public PartitionSpec spec() {
    return PartitionSpec.builderFor(schema).day("event_time").build();
  }

  /** Table properties carrying the contract's governance metadata. */
  public Map<String, String> properties() {
    return metadata(contract).properties();
  }

  /** The catalog metadata of the contract's silver table. */
  static TableMetadata metadata(TableContract contract) {
    TableMetadata metadata =
        new TableMetadata("silver", contract.owner(), contract.doc())
            .property("tarn.source-topic", contract.topic())
            .property("tarn.key", String.join(",", contract.key()));
    for (FieldContract field : contract.fields()) {
      metadata.column(field.name(), field.classification(), field.pii().orElse(null));
    }
    return metadata;
  }

  private static Schema schemaOf(TableContract contract) {
    int[] nextId = {1};
    List<Types.NestedField> columns =
        new ArrayList<>(AvroColumns.of(contract.schema(), contract.table(), nextId).columns());
    columns.add(
        Types.NestedField.required(nextId[0]++, "_kafka_partition", Types.IntegerType.get()));
    columns.add(Types.NestedField.required(nextId[0]++, "_kafka_offset", Types.LongType.get()));
    columns.add(Types.NestedField.required(nextId[0]++, "_schema_id", Types.IntegerType.get()));
    columns.add(
        Types.NestedField.required(nextId[0], "_processed_at", Types.TimestampType.withZone()));
    return metadata(contract).document(new Schema(columns));
  }
}
