package io.tarn.governance.policy;

import io.tarn.schemas.DomainSchemas;
import io.tarn.schemas.FieldContract;
import io.tarn.schemas.TableContract;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * The tables of the lake as the policy sees them: {@code bronze.<t>} and {@code silver.<t>} for
 * every contract (silver with the contract's columns and tags), plus the tables the policy file
 * lists under {@code tables:} (quarantine, metrics, gold), whose columns carry no tags.
 */
public final class LakeTables {
  public static final List<String> ZONES = List.of("bronze", "silver", "gold");

  private final Map<String, LakeTable> tables = new LinkedHashMap<>();

  LakeTables(Map<String, List<String>> extra) {
    for (TableContract contract : DomainSchemas.all()) {
      add(new LakeTable("bronze", contract.table(), contract.owner(), List.of()));
      add(new LakeTable("silver", contract.table(), contract.owner(), columns(contract)));
    }
    extra.forEach(
        (zone, names) -> names.forEach(name -> add(new LakeTable(zone, name, null, List.of()))));
  }

  private void add(LakeTable table) {
    tables.putIfAbsent(table.qualifiedName(), table);
  }

  public List<LakeTable> all() {
    return new ArrayList<>(tables.values());
  }

  public Optional<LakeTable> find(String qualifiedName) {
    return Optional.ofNullable(tables.get(qualifiedName));
  }

  public List<LakeTable> inZone(String zone) {
    List<LakeTable> inZone = new ArrayList<>();
    for (LakeTable table : tables.values()) {
      if (table.zone().equals(zone)) {
        inZone.add(table);
      }
    }
    return inZone;
  }

  private static List<LakeTable.Column> columns(TableContract contract) {
    List<LakeTable.Column> columns = new ArrayList<>();
    for (FieldContract field : contract.fields()) {
      List<String> tags = new ArrayList<>();
      field.pii().ifPresent(type -> tags.add("pii:" + type));
      tags.add("classification:" + field.classification().name().toLowerCase(Locale.ROOT));
      Schema schema = contract.schema().getField(field.name()).schema();
      columns.add(new LakeTable.Column(field.name(), trinoType(schema), tags));
    }
    return columns;
  }

  /** The Trino type of an Avro field as the Iceberg connector shows it. */
  static String trinoType(Schema schema) {
    if (schema.getType() == Schema.Type.UNION) {
      for (Schema branch : schema.getTypes()) {
        if (branch.getType() != Schema.Type.NULL) {
          return trinoType(branch);
        }
      }
    }
    LogicalType logical = schema.getLogicalType();
    if (logical instanceof LogicalTypes.Date) {
      return "date";
    }
    if (logical instanceof LogicalTypes.TimestampMillis
        || logical instanceof LogicalTypes.TimestampMicros) {
      return "timestamp(6) with time zone";
    }
    if (logical instanceof LogicalTypes.Decimal) {
      LogicalTypes.Decimal decimal = (LogicalTypes.Decimal) logical;
      return "decimal(" + decimal.getPrecision() + ", " + decimal.getScale() + ")";
    }
    switch (schema.getType()) {
      case INT:
        return "integer";
      case LONG:
        return "bigint";
      case FLOAT:
        return "real";
      case DOUBLE:
        return "double";
      case BOOLEAN:
        return "boolean";
      case BYTES:
      case FIXED:
        return "varbinary";
      default:
        return "varchar";
    }
  }
}
