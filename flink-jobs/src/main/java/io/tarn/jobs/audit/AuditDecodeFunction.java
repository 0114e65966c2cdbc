package io.tarn.jobs.audit;

import io.tarn.jobs.kafka.KafkaRecord;
import io.tarn.jobs.silver.QuarantineRecord;
import io.tarn.jobs.silver.QuarantineTable;
import io.tarn.schemas.audit.AuditEvent;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Reads an audit message: an {@link AuditEvent} from the platform's topic, a completed query from
 * Trino's. A message that is neither goes to {@code audit.quarantine} with rule {@code
 * decode.audit} and the reason, never failing the job.
 */
public final class AuditDecodeFunction extends ProcessFunction<KafkaRecord, AuditEntry> {
  public static final OutputTag<RowData> QUARANTINE =
      new OutputTag<>("audit-quarantine", InternalTypeInfo.of(QuarantineTable.ROW_TYPE));

  private final String trinoTopic;
  private transient Counter malformed;

  public AuditDecodeFunction(String trinoTopic) {
    this.trinoTopic = trinoTopic;
  }

  @Override
  public void open(OpenContext openContext) {
    malformed = getRuntimeContext().getMetricGroup().counter("malformedAuditRecords");
  }

  @Override
  public void processElement(KafkaRecord record, Context ctx, Collector<AuditEntry> out) {
    AuditEvent event;
    try {
      if (record.value == null) {
        throw new IllegalArgumentException("Cannot read audit event: no value");
      }
      event =
          record.topic.equals(trinoTopic)
              ? TrinoQueryEvents.toAuditEvent(record.value)
              : AuditEvent.fromJson(record.value);
    } catch (RuntimeException e) {
      malformed.inc();
      ctx.output(
          QUARANTINE,
          QuarantineTable.toRow(
              QuarantineRecord.of(record, null, "decode", "decode.audit", e.getMessage())));
      return;
    }
    AuditEvent stored = AuditChain.stored(event);
    out.collect(new AuditEntry(stored.eventId(), stored.toJson()));
  }
}
