package io.tarn.jobs.audit;

import io.tarn.schemas.audit.AuditEvent;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.table.data.RowData;
import org.apache.flink.util.Collector;
import org.apache.iceberg.flink.CatalogLoader;

/**
 * Numbers and chains the events: one key, so one chain. The next {@code seq} and the last hash are
 * checkpointed state, taken in the same checkpoint whose Iceberg commit holds the rows, so after a
 * restart the chain continues exactly from the last committed record.
 */
public final class AuditChainFunction extends KeyedProcessFunction<Integer, AuditEntry, RowData> {
  private final CatalogLoader catalog;
  private transient ValueState<Long> lastSeq;
  private transient ValueState<String> lastHash;

  /**
   * @param catalog where {@code audit.events} is: started without state (a new job, checkpoints
   *     lost), the chain continues from the table's last record rather than restarting at 1
   */
  public AuditChainFunction(CatalogLoader catalog) {
    this.catalog = catalog;
  }

  @Override
  public void open(OpenContext openContext) {
    lastSeq = getRuntimeContext().getState(new ValueStateDescriptor<>("last-seq", Long.class));
    lastHash = getRuntimeContext().getState(new ValueStateDescriptor<>("last-hash", String.class));
  }

  @Override
  public void processElement(AuditEntry entry, Context ctx, Collector<RowData> out)
      throws Exception {
    if (lastSeq.value() == null) {
      AuditRecord tail = AuditTableReader.last(catalog);
      lastSeq.update(tail == null ? 0L : tail.seq());
      lastHash.update(tail == null ? AuditChain.GENESIS : tail.hash());
    }
    long seq = lastSeq.value() + 1;
    String prev = lastHash.value();
    String hash = AuditChain.hash(prev, entry.json);
    out.collect(AuditTable.toRow(seq, AuditEvent.fromJson(entry.json), prev, hash));
    lastSeq.update(seq);
    lastHash.update(hash);
  }
}
