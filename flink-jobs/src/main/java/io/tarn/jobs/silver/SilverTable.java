package io.tarn.jobs.silver;

import io.tarn.governance.protect.Protection;
import io.tarn.governance.protect.RecordProtection;
import io.tarn.jobs.lake.TableMetadata;
import io.tarn.jobs.lake.TableNames;
import io.tarn.schemas.FieldContract;
import io.tarn.schemas.TableContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.flink.table.types.logical.RowType;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.types.Types;

/**
 * A silver table: the contract's fields as typed columns (with their docs), then the lineage
 * columns {@code _kafka_partition}, {@code _kafka_offset}, {@code _schema_id} and {@code
 * _processed_at}. Partitioned by event day. PII fields hold what the policy's protection makes of
 * them (a token, mask or redaction is a string, a generalised date its year; a dropped field is no
 * column): raw values stay in bronze.
 */
public final class SilverTable {
  public static final List<String> LINEAGE_COLUMNS =
      List.of("_kafka_partition", "_kafka_offset", "_schema_id", "_processed_at");

  private final TableContract contract;
  private final RecordProtection protection;
  private final org.apache.avro.Schema recordSchema;
  private final Schema schema;

  /** The table with its PII fields as they arrive (no policy). */
  public SilverTable(TableContract contract) {
    this(contract, new RecordProtection(contract.table(), Map.of()));
  }

  public SilverTable(TableContract contract, RecordProtection protection) {
    this.contract = contract;
    this.protection = protection;
    this.recordSchema = protectedSchema(contract.schema(), protection);
    this.schema = metadata().document(schemaOf(recordSchema, contract.table()));
  }

  public RecordProtection protection() {
    return protection;
  }

  /** The Avro shape of the records silver stores: the contract's, with protected fields retyped. */
  public org.apache.avro.Schema recordSchema() {
    return recordSchema;
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
    return metadata().properties();
  }

  /**
   * The catalog metadata of the contract's silver table, with how each protected field is stored.
   */
  TableMetadata metadata() {
    TableMetadata metadata =
        new TableMetadata("silver", contract.owner(), contract.doc())
            .property("tarn.source-topic", contract.topic())
            .property("tarn.key", String.join(",", contract.key()));
    for (FieldContract field : contract.fields()) {
      metadata.column(field.name(), field.classification(), field.pii().orElse(null));
      Protection stored = protection.byField().get(field.name());
      if (stored != null) {
        metadata.property("tarn.column." + field.name() + ".protection", stored.toString());
      }
    }
    return metadata;
  }

  /**
   * {@code contract} with each protected field as the protection writes it: a string (token, mask,
   * redaction), an int year (a generalised date), or left out (drop). Nullability and properties
   * are kept.
   */
  static org.apache.avro.Schema protectedSchema(
      org.apache.avro.Schema contract, RecordProtection protection) {
    if (protection.byField().isEmpty()) {
      return contract;
    }
    List<org.apache.avro.Schema.Field> fields = new ArrayList<>();
    for (org.apache.avro.Schema.Field field : contract.getFields()) {
      Protection p = protection.byField().get(field.name());
      if (p == null) {
        fields.add(new org.apache.avro.Schema.Field(field, field.schema()));
        continue;
      }
      if (p.method() == Protection.Method.DROP) {
        continue;
      }
      org.apache.avro.Schema type = field.schema();
      boolean nullable = type.isNullable();
      if (type.isUnion()) {
        type =
            type.getTypes().stream()
                .filter(t -> t.getType() != org.apache.avro.Schema.Type.NULL)
                .findFirst()
                .orElseThrow();
      }
      org.apache.avro.Schema stored =
          org.apache.avro.Schema.create(
              p.method() == Protection.Method.GENERALISE
                      && type.getLogicalType() instanceof LogicalTypes.Date
                  ? org.apache.avro.Schema.Type.INT
                  : org.apache.avro.Schema.Type.STRING);
      org.apache.avro.Schema.Field out =
          nullable
              ? new org.apache.avro.Schema.Field(
                  field.name(),
                  org.apache.avro.Schema.createUnion(
                      org.apache.avro.Schema.create(org.apache.avro.Schema.Type.NULL), stored),
                  field.doc(),
                  JsonProperties.NULL_VALUE)
              : new org.apache.avro.Schema.Field(field.name(), stored, field.doc());
      field.getObjectProps().forEach(out::addProp);
      fields.add(out);
    }
    org.apache.avro.Schema out =
        org.apache.avro.Schema.createRecord(
            contract.getName(), contract.getDoc(), contract.getNamespace(), false, fields);
    contract.getObjectProps().forEach(out::addProp);
    return out;
  }

  private static Schema schemaOf(org.apache.avro.Schema record, String table) {
    int[] nextId = {1};
    List<Types.NestedField> columns =
        new ArrayList<>(AvroColumns.of(record, table, nextId).columns());
    columns.add(
        Types.NestedField.required(nextId[0]++, "_kafka_partition", Types.IntegerType.get()));
    columns.add(Types.NestedField.required(nextId[0]++, "_kafka_offset", Types.LongType.get()));
    columns.add(Types.NestedField.required(nextId[0]++, "_schema_id", Types.IntegerType.get()));
    columns.add(
        Types.NestedField.required(nextId[0], "_processed_at", Types.TimestampType.withZone()));
    return new Schema(columns);
  }
}
