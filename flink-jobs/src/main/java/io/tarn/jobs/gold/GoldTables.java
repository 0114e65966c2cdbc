package io.tarn.jobs.gold;

import static org.apache.iceberg.types.Types.NestedField.required;

import io.tarn.jobs.lake.TableMetadata;
import io.tarn.jobs.lake.TableNames;
import io.tarn.schemas.Classification;
import io.tarn.schemas.DomainSchemas;
import io.tarn.schemas.FieldContract;
import io.tarn.schemas.TableContract;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.table.types.logical.RowType;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.types.Types;

/** The gold tables: aggregates kept current by upserts on their identifier fields. */
public final class GoldTables {
  /** A silver column a gold column is computed from, with OpenLineage's transformation subtype. */
  public record Source(String column, String subtype) {}

  /**
   * One gold table: its identifier, schema (with identifier fields), upsert key, documentation, the
   * silver table it aggregates and, per gold column, the silver columns it is computed from.
   */
  public record GoldTable(
      TableIdentifier id,
      Schema schema,
      List<String> key,
      String doc,
      String silverTable,
      Map<String, List<Source>> derivation) {
    public RowType rowType() {
      return FlinkSchemaUtil.convert(schema);
    }

    public PartitionSpec spec() {
      return PartitionSpec.unpartitioned();
    }

    /** The silver columns the job reads for this table: every column of the derivation. */
    public List<String> silverColumns() {
      Set<String> columns = new LinkedHashSet<>();
      derivation.values().forEach(sources -> sources.forEach(s -> columns.add(s.column())));
      return List.copyOf(columns);
    }

    /**
     * Owner and classification come from the silver contract: a gold column is as sensitive as the
     * most sensitive silver column it is computed from.
     */
    public TableMetadata metadata() {
      TableContract contract = DomainSchemas.forTable(silverTable);
      TableMetadata metadata =
          new TableMetadata("gold", contract.owner(), doc)
              .property("write.upsert.enabled", "true")
              .property("tarn.key", String.join(",", key))
              .property("tarn.source-tables", "silver." + silverTable);
      for (Types.NestedField column : schema.columns()) {
        Classification classification = Classification.INTERNAL;
        String pii = null;
        for (Source source : derivation.getOrDefault(column.name(), List.of())) {
          FieldContract field = contract.field(source.column()).orElseThrow();
          if (field.classification().compareTo(classification) > 0) {
            classification = field.classification();
          }
          if (source.subtype().equals("IDENTITY") && field.pii().isPresent()) {
            pii = field.pii().get();
          }
        }
        metadata.column(column.name(), classification, pii);
      }
      return metadata;
    }

    /** The schema as created: column docs carry their classification. */
    public Schema documentedSchema() {
      return metadata().document(schema);
    }
  }

  private GoldTables() {}

  private static Map<String, List<Source>> derivation(Object... columnAndSources) {
    Map<String, List<Source>> result = new LinkedHashMap<>();
    for (int i = 0; i < columnAndSources.length; i += 2) {
      @SuppressWarnings("unchecked")
      List<Source> sources = (List<Source>) columnAndSources[i + 1];
      result.put((String) columnAndSources[i], sources);
    }
    return result;
  }

  private static Source identity(String column) {
    return new Source(column, "IDENTITY");
  }

  private static Source transformed(String column) {
    return new Source(column, "TRANSFORMATION");
  }

  private static Source aggregated(String column) {
    return new Source(column, "AGGREGATION");
  }

  private static Source filtered(String column) {
    return new Source(column, "FILTER");
  }

  /** Revenue per product category per window; late items update their window. */
  public static GoldTable revenuePerCategory(String window) {
    Schema schema =
        new Schema(
            List.of(
                required(1, "category", Types.StringType.get(), "Product category"),
                required(
                    2,
                    "window_start",
                    Types.TimestampType.withZone(),
                    "Start of the " + window + " the order lines' event time falls in"),
                required(
                    3, "revenue", Types.DecimalType.of(18, 2), "Sum of quantity x unit price, EUR"),
                required(4, "units", Types.LongType.get(), "Sum of quantities"),
                required(5, "order_lines", Types.LongType.get(), "Number of order lines"),
                required(
                    6,
                    "updated_at",
                    Types.TimestampType.withZone(),
                    "When this row was last written")),
            Set.of(1, 2));
    return new GoldTable(
        TableNames.of("gold", "revenue_per_category_" + window),
        schema,
        List.of("category", "window_start"),
        "Revenue, units and order lines per product category per " + window + ", by event time.",
        "order_items",
        derivation(
            "category", List.of(identity("category")),
            "window_start", List.of(transformed("event_time")),
            "revenue", List.of(aggregated("quantity"), aggregated("unit_price")),
            "units", List.of(aggregated("quantity")),
            "order_lines",
                List.of(filtered("category"), filtered("quantity"), filtered("unit_price"))));
  }

  /** Orders and revenue per customer over all time, cancelled orders excluded. */
  public static final GoldTable CUSTOMER_LIFETIME_VALUE =
      new GoldTable(
          TableNames.of("gold", "customer_lifetime_value"),
          new Schema(
              List.of(
                  required(1, "customer_id", Types.StringType.get(), "The customer"),
                  required(2, "orders", Types.LongType.get(), "Orders not cancelled"),
                  required(3, "revenue", Types.DecimalType.of(18, 2), "Total of those orders, EUR"),
                  required(
                      4, "first_order_at", Types.TimestampType.withZone(), "First order event"),
                  required(
                      5, "last_order_at", Types.TimestampType.withZone(), "Latest order event"),
                  required(
                      6,
                      "updated_at",
                      Types.TimestampType.withZone(),
                      "When this row was last written")),
              Set.of(1)),
          List.of("customer_id"),
          "Orders and revenue per customer over all time; cancelled orders excluded.",
          "orders",
          derivation(
              "customer_id", List.of(identity("customer_id")),
              "orders", List.of(aggregated("order_id"), filtered("status")),
              "revenue",
                  List.of(aggregated("total_amount"), aggregated("order_id"), filtered("status")),
              "first_order_at", List.of(aggregated("event_time")),
              "last_order_at", List.of(aggregated("event_time"))));
}
