package io.tarn.jobs.gold;

import java.math.BigDecimal;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
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
 * Lifetime value of one customer: orders and revenue, where a later event of the same order
 * (a status change) replaces its amount and a cancelled order counts for nothing.
 */
public final class CustomerValueFunction extends KeyedProcessFunction<String, OrderValue, RowData> {
  private final long flushMillis;
  private final Duration ttl;
  private transient MapState<String, Long> orderAmounts;
  // orders, revenue cents, first order time, last order time, flush pending
  private transient ValueState<long[]> totals;

  public CustomerValueFunction(Duration flush, Duration ttl) {
    this.flushMillis = flush.toMillis();
    this.ttl = ttl;
  }

  @Override
  public void open(OpenContext openContext) {
    StateTtlConfig ttlConfig = StateTtlConfig.newBuilder(ttl).build();
    MapStateDescriptor<String, Long> orders =
        new MapStateDescriptor<>("order-amounts", String.class, Long.class);
    orders.enableTimeToLive(ttlConfig);
    orderAmounts = getRuntimeContext().getMapState(orders);
    ValueStateDescriptor<long[]> sums = new ValueStateDescriptor<>("totals", long[].class);
    sums.enableTimeToLive(ttlConfig);
    totals = getRuntimeContext().getState(sums);
  }

  @Override
  public void processElement(OrderValue order, Context ctx, Collector<RowData> out)
      throws Exception {
    long[] t = totals.value();
    if (t == null) {
      t = new long[] {0, 0, Long.MAX_VALUE, Long.MIN_VALUE, 0};
    }
    Long previous = orderAmounts.get(order.orderId);
    if (previous != null) {
      t[0] -= 1;
      t[1] -= previous;
      orderAmounts.remove(order.orderId);
    }
    if (!order.cancelled) {
      t[0] += 1;
      t[1] += order.amountCents;
      orderAmounts.put(order.orderId, order.amountCents);
    }
    t[2] = Math.min(t[2], order.eventTime);
    t[3] = Math.max(t[3], order.eventTime);
    if (t[4] == 0) {
      t[4] = 1;
      ctx.timerService()
          .registerProcessingTimeTimer(ctx.timerService().currentProcessingTime() + flushMillis);
    }
    totals.update(t);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<RowData> out)
      throws Exception {
    long[] t = totals.value();
    if (t == null) {
      return;
    }
    t[4] = 0;
    totals.update(t);
    GenericRowData row = new GenericRowData(6);
    row.setField(0, StringData.fromString(ctx.getCurrentKey()));
    row.setField(1, t[0]);
    row.setField(2, DecimalData.fromBigDecimal(BigDecimal.valueOf(t[1], 2), 18, 2));
    row.setField(3, TimestampData.fromEpochMillis(t[2]));
    row.setField(4, TimestampData.fromEpochMillis(t[3]));
    row.setField(5, TimestampData.fromEpochMillis(timestamp));
    out.collect(row);
  }
}
