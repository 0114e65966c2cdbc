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
 * Lifetime value of one customer: orders and revenue. Each order counts with its latest event by
 * event time (a status change replaces the amount; a cancellation removes the order; on equal times
 * a cancellation wins), so the result does not depend on the order events arrive in.
 */
public final class CustomerValueFunction extends KeyedProcessFunction<String, OrderValue, RowData> {
  private final long flushMillis;
  private final Duration ttl;
  // per order: event time, amount cents, cancelled (0/1)
  private transient MapState<String, long[]> orderStates;
  // orders, revenue cents, first order time, last order time, flush pending
  private transient ValueState<long[]> totals;

  public CustomerValueFunction(Duration flush, Duration ttl) {
    this.flushMillis = flush.toMillis();
    this.ttl = ttl;
  }

  @Override
  public void open(OpenContext openContext) {
    StateTtlConfig ttlConfig = StateTtlConfig.newBuilder(ttl).build();
    MapStateDescriptor<String, long[]> orders =
        new MapStateDescriptor<>("orders", String.class, long[].class);
    orders.enableTimeToLive(ttlConfig);
    orderStates = getRuntimeContext().getMapState(orders);
    ValueStateDescriptor<long[]> sums = new ValueStateDescriptor<>("totals", long[].class);
    sums.enableTimeToLive(ttlConfig);
    totals = getRuntimeContext().getState(sums);
  }

  /** Whether an order event supersedes the state kept for its order. */
  static boolean supersedes(OrderValue event, long[] previous) {
    long cancelled = event.cancelled ? 1 : 0;
    return previous == null
        || event.eventTime > previous[0]
        || (event.eventTime == previous[0] && cancelled > previous[2]);
  }

  @Override
  public void processElement(OrderValue order, Context ctx, Collector<RowData> out)
      throws Exception {
    long[] t = totals.value();
    if (t == null) {
      t = new long[] {0, 0, Long.MAX_VALUE, Long.MIN_VALUE, 0};
    }
    long[] previous = orderStates.get(order.orderId);
    if (supersedes(order, previous)) {
      if (previous != null && previous[2] == 0) {
        t[0] -= 1;
        t[1] -= previous[1];
      }
      if (!order.cancelled) {
        t[0] += 1;
        t[1] += order.amountCents;
      }
      orderStates.put(
          order.orderId, new long[] {order.eventTime, order.amountCents, order.cancelled ? 1 : 0});
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
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<RowData> out) throws Exception {
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
