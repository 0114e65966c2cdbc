package io.tarn.jobs.silver;

import io.tarn.jobs.lake.TableNames;
import io.tarn.schemas.FieldContract;
import io.tarn.schemas.TableContract;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.flink.table.types.logical.RowType;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.types.Type;
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
    Map<String, String> props = new HashMap<>();
    props.put("tarn.zone", "silver");
    props.put("tarn.owner", contract.owner());
    props.put("tarn.source-topic", contract.topic());
    props.put("tarn.key", String.join(",", contract.key()));
    if (contract.doc() != null) {
      props.put("comment", contract.doc());
    }
    for (FieldContract field : contract.fields()) {
      props.put(
          "tarn.column." + field.name() + ".classification",
          field.classification().name().toLowerCase(java.util.Locale.ROOT));
      field.pii().ifPresent(pii -> props.put("tarn.column." + field.name() + ".pii", pii));
    }
    return props;
  }

  private static Schema schemaOf(TableContract contract) {
    List<Types.NestedField> columns = new ArrayList<>();
    int id = 1;
    for (org.apache.avro.Schema.Field field : contract.schema().getFields()) {
      org.apache.avro.Schema type = field.schema();
      boolean optional = type.isNullable();
      org.apache.avro.Schema valueType = optional ? nonNull(contract, field.name(), type) : type;
      Type icebergType = icebergType(contract, field.name(), valueType);
      columns.add(
          optional
              ? Types.NestedField.optional(id++, field.name(), icebergType, field.doc())
              : Types.NestedField.required(id++, field.name(), icebergType, field.doc()));
    }
    columns.add(Types.NestedField.required(id++, "_kafka_partition", Types.IntegerType.get()));
    columns.add(Types.NestedField.required(id++, "_kafka_offset", Types.LongType.get()));
    columns.add(Types.NestedField.required(id++, "_schema_id", Types.IntegerType.get()));
    columns.add(Types.NestedField.required(id, "_processed_at", Types.TimestampType.withZone()));
    return new Schema(columns);
  }

  static org.apache.avro.Schema nonNull(
      TableContract contract, String field, org.apache.avro.Schema union) {
    if (union.getType() != org.apache.avro.Schema.Type.UNION) {
      return union;
    }
    List<org.apache.avro.Schema> types =
        union.getTypes().stream()
            .filter(t -> t.getType() != org.apache.avro.Schema.Type.NULL)
            .toList();
    if (types.size() != 1) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot map field %s of %s to a silver column: union %s is not supported, only"
                  + " [null, T]",
              field, contract.table(), union));
    }
    return types.get(0);
  }

  private static Type icebergType(
      TableContract contract, String field, org.apache.avro.Schema type) {
    LogicalType logical = type.getLogicalType();
    if (logical instanceof LogicalTypes.Decimal decimal) {
      return Types.DecimalType.of(decimal.getPrecision(), decimal.getScale());
    }
    if (logical instanceof LogicalTypes.Date) {
      return Types.DateType.get();
    }
    if (logical instanceof LogicalTypes.TimestampMillis
        || logical instanceof LogicalTypes.TimestampMicros) {
      return Types.TimestampType.withZone();
    }
    if (logical instanceof LogicalTypes.LocalTimestampMillis
        || logical instanceof LogicalTypes.LocalTimestampMicros) {
      return Types.TimestampType.withoutZone();
    }
    return switch (type.getType()) {
      case STRING, ENUM -> Types.StringType.get();
      case INT -> Types.IntegerType.get();
      case LONG -> Types.LongType.get();
      case FLOAT -> Types.FloatType.get();
      case DOUBLE -> Types.DoubleType.get();
      case BOOLEAN -> Types.BooleanType.get();
      case BYTES, FIXED -> Types.BinaryType.get();
      default ->
          throw new IllegalArgumentException(
              String.format(
                  "Cannot map field %s of %s to a silver column: Avro type %s is not supported",
                  field, contract.table(), type.getType()));
    };
  }
}
