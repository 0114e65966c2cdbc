package io.tarn.jobs.audit;

import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Passes the first event of each id (the stream is keyed by {@code event_id}) and drops repeats — a
 * producer's retry or replay — for {@code retention} after the first.
 */
public final class FirstSeenFunction extends KeyedProcessFunction<String, AuditEntry, AuditEntry> {
  private final Duration retention;
  private transient ValueState<Boolean> seen;

  public FirstSeenFunction(Duration retention) {
    this.retention = retention;
  }

  @Override
  public void open(OpenContext openContext) {
    ValueStateDescriptor<Boolean> descriptor = new ValueStateDescriptor<>("seen", Boolean.class);
    descriptor.enableTimeToLive(StateTtlConfig.newBuilder(retention).build());
    seen = getRuntimeContext().getState(descriptor);
  }

  @Override
  public void processElement(AuditEntry entry, Context ctx, Collector<AuditEntry> out)
      throws Exception {
    if (seen.value() == null) {
      seen.update(true);
      out.collect(entry);
    }
  }
}
