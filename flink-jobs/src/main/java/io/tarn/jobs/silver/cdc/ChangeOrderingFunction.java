package io.tarn.jobs.silver.cdc;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Lets a change through only if it is newer (by source position) than the last one applied to its
 * row, so replays and redeliveries after a capture crash never move a row backwards. The position
 * of a deleted row is kept too, so a replayed insert cannot resurrect it.
 */
public final class ChangeOrderingFunction
    extends KeyedProcessFunction<String, ChangeRecord, ChangeRecord> {
  private transient ValueState<Long> applied;
  private transient Counter stale;

  @Override
  public void open(OpenContext openContext) {
    applied =
        getRuntimeContext().getState(new ValueStateDescriptor<>("applied-position", Long.class));
    stale = getRuntimeContext().getMetricGroup().counter("staleChangesDropped");
  }

  @Override
  public void processElement(ChangeRecord change, Context ctx, Collector<ChangeRecord> out)
      throws Exception {
    Long last = applied.value();
    if (last != null && change.position <= last) {
      stale.inc();
      return;
    }
    applied.update(change.position);
    out.collect(change);
  }
}
