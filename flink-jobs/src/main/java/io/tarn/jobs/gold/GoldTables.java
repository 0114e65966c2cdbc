package io.tarn.jobs.gold;

import static org.apache.iceberg.types.Types.NestedField.required;

import io.tarn.jobs.lake.TableNames;
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
  /** One gold table: its identifier, schema (with identifier fields) and upsert key. */
  public record GoldTable(TableIdentifier id, Schema schema, List<String> key) {
    public RowType rowType() {
      return FlinkSchemaUtil.convert(schema);
    }

    public PartitionSpec spec() {
      return PartitionSpec.unpartitioned();
    }
  }

  public static final Map<String, String> PROPERTIES =
      Map.of("tarn.zone", "gold", "write.upsert.enabled", "true");

  private GoldTables() {}

  /** Revenue per product category per window; late items update their window. */
  public static GoldTable revenuePerCategory(String window) {
    Schema schema =
        new Schema(
            List.of(
                required(1, "category", Types.StringType.get()),
                required(2, "window_start", Types.TimestampType.withZone()),
                required(
                    3, "revenue", Types.DecimalType.of(18, 2), "Sum of quantity x unit price, EUR"),
                required(4, "units", Types.LongType.get()),
                required(5, "order_lines", Types.LongType.get()),
                required(6, "updated_at", Types.TimestampType.withZone())),
            Set.of(1, 2));
    return new GoldTable(
        TableNames.of("gold", "revenue_per_category_" + window),
        schema,
        List.of("category", "window_start"));
  }

  /** Orders and revenue per customer over all time, cancelled orders excluded. */
  public static final GoldTable CUSTOMER_LIFETIME_VALUE =
      new GoldTable(
          TableNames.of("gold", "customer_lifetime_value"),
          new Schema(
              List.of(
                  required(1, "customer_id", Types.StringType.get()),
                  required(2, "orders", Types.LongType.get()),
                  required(3, "revenue", Types.DecimalType.of(18, 2), "EUR"),
                  required(4, "first_order_at", Types.TimestampType.withZone()),
                  required(5, "last_order_at", Types.TimestampType.withZone()),
                  required(6, "updated_at", Types.TimestampType.withZone())),
              Set.of(1)),
          List.of("customer_id"));
}
