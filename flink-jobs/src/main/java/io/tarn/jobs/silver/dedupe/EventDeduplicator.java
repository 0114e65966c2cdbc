package io.tarn.jobs.silver.dedupe;

import io.tarn.jobs.silver.QuarantineRecord;
import io.tarn.jobs.silver.SilverRecord;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Passes the first copy of every event id and drops the rest. An id is remembered until the
 * watermark passes its event time plus the retention; a copy that arrives after that cannot be told
 * apart from a new event, so it is quarantined ({@code dedupe.beyond_horizon}) rather than risk a
 * duplicate in silver. A processing-time TTL backs the timers up, so state stays bounded even when
 * the watermark stalls.
 */
public final class EventDeduplicator
    extends KeyedProcessFunction<String, SilverRecord, SilverRecord> {
  public static final OutputTag<QuarantineRecord> QUARANTINE =
      new OutputTag<>("quarantine-dedupe", TypeInformation.of(QuarantineRecord.class));

  private final long retentionMillis;
  private transient ValueState<Long> firstSeen;
  private transient Counter duplicates;

  public EventDeduplicator(Duration retention) {
    this.retentionMillis = retention.toMillis();
  }

  @Override
  public void open(OpenContext openContext) {
    ValueStateDescriptor<Long> descriptor = new ValueStateDescriptor<>("first-seen", Long.class);
    descriptor.enableTimeToLive(
        StateTtlConfig.newBuilder(Duration.ofMillis(retentionMillis * 2))
            .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
            .build());
    firstSeen = getRuntimeContext().getState(descriptor);
    duplicates = getRuntimeContext().getMetricGroup().counter("duplicatesDropped");
  }

  @Override
  public void processElement(SilverRecord record, Context ctx, Collector<SilverRecord> out)
      throws Exception {
    if (firstSeen.value() != null) {
      duplicates.inc();
      return;
    }
    long watermark = ctx.timerService().currentWatermark();
    long expiry = record.eventTime + retentionMillis;
    if (watermark != Long.MIN_VALUE && expiry <= watermark) {
      ctx.output(
          QUARANTINE,
          QuarantineRecord.of(
              record,
              "dedupe",
              "dedupe.beyond_horizon",
              "event time is more than the dedupe retention behind the watermark"));
      return;
    }
    firstSeen.update(record.eventTime);
    ctx.timerService().registerEventTimeTimer(expiry);
    out.collect(record);
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<SilverRecord> out) {
    firstSeen.clear();
  }
}
