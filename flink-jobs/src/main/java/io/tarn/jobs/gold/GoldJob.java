package io.tarn.jobs.gold;

import io.tarn.jobs.JobEnvironment;
import io.tarn.jobs.config.JobConfig;
import io.tarn.jobs.gold.GoldTables.GoldTable;
import io.tarn.jobs.lake.Lake;
import io.tarn.jobs.lake.TableMetadata;
import io.tarn.jobs.lineage.Datasets;
import io.tarn.jobs.lineage.JobLineage;
import io.tarn.jobs.lineage.JobLineage.Dataset;
import io.tarn.jobs.lineage.JobLineage.Input;
import io.tarn.jobs.silver.SilverTable;
import io.tarn.schemas.DomainSchemas;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.iceberg.flink.sink.IcebergSink;

/**
 * Gold: aggregates over the silver tables, kept current with exactly-once upserts — revenue per
 * category per minute and per hour (late lines correct their window) and customer lifetime value.
 */
public final class GoldJob {
  public static final String NAME = "tarn-gold";

  private GoldJob() {}

  public static void main(String[] args) throws Exception {
    JobEnvironment.run(NAME, args, GoldJob::addTo, GoldJob::lineage);
  }

  /** The gold tables as the job computes them: each column from the silver columns it reads. */
  public static JobLineage lineage(JobConfig config) {
    List<GoldTable> tables =
        List.of(
            GoldTables.revenuePerCategory("minute"),
            GoldTables.revenuePerCategory("hour"),
            GoldTables.CUSTOMER_LIFETIME_VALUE);
    Map<String, Dataset> inputs = new LinkedHashMap<>();
    List<Dataset> outputs = new ArrayList<>();
    for (GoldTable table : tables) {
      SilverTable silver = new SilverTable(DomainSchemas.forTable(table.silverTable()));
      Dataset source =
          inputs.computeIfAbsent(
              silver.id().toString(),
              name ->
                  Datasets.table(
                      config, silver.id(), silver.schema(), silver.properties(), Map.of()));
      Map<String, List<Input>> derived = new LinkedHashMap<>();
      table
          .derivation()
          .forEach(
              (column, sources) ->
                  derived.put(
                      column,
                      sources.stream().map(s -> source.field(s.column(), s.subtype())).toList()));
      TableMetadata metadata = table.metadata();
      outputs.add(
          Datasets.table(
              config, table.id(), table.documentedSchema(), metadata.properties(), derived));
    }
    return new JobLineage(NAME, List.copyOf(inputs.values()), outputs);
  }

  public static void addTo(StreamExecutionEnvironment env, JobConfig config) {
    Lake lake = new Lake(config);
    Duration flush = config.get(JobConfig.GOLD_FLUSH);
    Duration ttl = config.get(JobConfig.GOLD_STATE_TTL);

    GoldTable perMinute = GoldTables.revenuePerCategory("minute");
    SilverReader.Projection items =
        SilverReader.read(env, lake, perMinute.silverTable(), perMinute.silverColumns());
    int category = items.position("category");
    int quantity = items.position("quantity");
    int unitPrice = items.position("unit_price");
    int itemTime = items.position("event_time");
    int priceScale = 2;
    DataStream<ItemSale> sales =
        items.stream()
            .filter(r -> !r.isNullAt(category) && !r.isNullAt(quantity) && !r.isNullAt(unitPrice))
            .map(
                r -> {
                  long qty = r.getInt(quantity);
                  long priceCents = r.getDecimal(unitPrice, 10, priceScale).toUnscaledLong();
                  return new ItemSale(
                      r.getString(category).toString(),
                      r.getTimestamp(itemTime, 6).getMillisecond(),
                      qty * priceCents,
                      qty);
                })
            .returns(ItemSale.class)
            .uid("gold-item-sales")
            .name("item-sales");

    for (Map.Entry<String, Duration> window :
        Map.of("minute", Duration.ofMinutes(1), "hour", Duration.ofHours(1)).entrySet()) {
      GoldTable table = GoldTables.revenuePerCategory(window.getKey());
      Duration size = window.getValue();
      DataStream<RowData> rows =
          sales
              .keyBy(s -> CategoryRevenueFunction.keyOf(s, size))
              .process(new CategoryRevenueFunction(size, flush, ttl))
              .returns(InternalTypeInfo.of(table.rowType()))
              .uid("gold-revenue-" + window.getKey())
              .name("revenue-per-category-" + window.getKey());
      upsert(lake, table, rows);
    }

    GoldTable lifetimeValue = GoldTables.CUSTOMER_LIFETIME_VALUE;
    SilverReader.Projection orders =
        SilverReader.read(env, lake, lifetimeValue.silverTable(), lifetimeValue.silverColumns());
    int orderId = orders.position("order_id");
    int customerId = orders.position("customer_id");
    int status = orders.position("status");
    int amount = orders.position("total_amount");
    int orderTime = orders.position("event_time");
    DataStream<RowData> customerValue =
        orders.stream()
            .filter(r -> !r.isNullAt(customerId) && !r.isNullAt(amount))
            .map(
                r ->
                    new OrderValue(
                        r.getString(customerId).toString(),
                        r.getString(orderId).toString(),
                        !r.isNullAt(status) && "cancelled".equals(r.getString(status).toString()),
                        r.getDecimal(amount, 12, 2).toUnscaledLong(),
                        r.getTimestamp(orderTime, 6).getMillisecond()))
            .returns(OrderValue.class)
            .uid("gold-order-values")
            .name("order-values")
            .keyBy(o -> o.customerId)
            .process(new CustomerValueFunction(flush, ttl))
            .returns(InternalTypeInfo.of(GoldTables.CUSTOMER_LIFETIME_VALUE.rowType()))
            .uid("gold-customer-value")
            .name("customer-lifetime-value");
    upsert(lake, GoldTables.CUSTOMER_LIFETIME_VALUE, customerValue);
  }

  private static void upsert(Lake lake, GoldTable table, DataStream<RowData> rows) {
    lake.createIfAbsent(
        table.id(), table.documentedSchema(), table.spec(), table.metadata().properties());
    IcebergSink.forRowData(rows)
        .tableLoader(lake.tableLoader(table.id()))
        .upsert(true)
        .equalityFieldColumns(table.key())
        .uidSuffix("gold-" + table.id().name())
        .append();
  }
}
