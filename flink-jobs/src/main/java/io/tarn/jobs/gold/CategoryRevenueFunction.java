package io.tarn.jobs.gold;

import java.math.BigDecimal;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.util.Collector;

/**
 * Keeps revenue, units and lines of one (category, window) and writes the current totals at most
 * once per flush interval. Windows never close: a late line updates its window for as long as the
 * state lives ({@code gold.state.ttl}), and the upsert replaces the row.
 */
public final class CategoryRevenueFunction extends KeyedProcessFunction<String, ItemSale, RowData> {
  private final long windowMillis;
  private final long flushMillis;
  private final Duration ttl;
  private transient ValueState<long[]> totals;

  public CategoryRevenueFunction(Duration window, Duration flush, Duration ttl) {
    this.windowMillis = window.toMillis();
    this.flushMillis = flush.toMillis();
    this.ttl = ttl;
  }

  /** Key of the window a sale belongs to. */
  public static String keyOf(ItemSale sale, Duration window) {
    return sale.category + '|' + ItemSale.windowStart(sale.eventTime, window.toMillis());
  }

  @Override
  public void open(OpenContext openContext) {
    ValueStateDescriptor<long[]> descriptor = new ValueStateDescriptor<>("totals", long[].class);
    descriptor.enableTimeToLive(StateTtlConfig.newBuilder(ttl).build());
    totals = getRuntimeContext().getState(descriptor);
  }

  @Override
  public void processElement(ItemSale sale, Context ctx, Collector<RowData> out) throws Exception {
    long[] t = totals.value();
    boolean flushPending = t != null && t[3] != 0;
    if (t == null) {
      t = new long[] {0, 0, 0, 0};
    }
    t[0] += sale.revenueCents;
    t[1] += sale.units;
    t[2] += 1;
    if (!flushPending) {
      t[3] = 1;
      ctx.timerService()
          .registerProcessingTimeTimer(ctx.timerService().currentProcessingTime() + flushMillis);
    }
    totals.update(t);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<RowData> out) throws Exception {
    long[] t = totals.value();
    if (t == null) {
      return;
    }
    t[3] = 0;
    totals.update(t);
    String key = ctx.getCurrentKey();
    int bar = key.lastIndexOf('|');
    GenericRowData row = new GenericRowData(6);
    row.setField(0, StringData.fromString(key.substring(0, bar)));
    row.setField(1, TimestampData.fromEpochMillis(Long.parseLong(key.substring(bar + 1))));
    row.setField(2, DecimalData.fromBigDecimal(BigDecimal.valueOf(t[0], 2), 18, 2));
    row.setField(3, t[1]);
    row.setField(4, t[2]);
    row.setField(5, TimestampData.fromEpochMillis(timestamp));
    out.collect(row);
  }
}
