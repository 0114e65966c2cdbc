package io.tarn.jobs.audit;

import static org.apache.iceberg.types.Types.NestedField.required;

import io.tarn.jobs.lake.TableNames;
import io.tarn.schemas.audit.AuditEvent;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.RowType;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.types.Types;

/**
 * {@code audit.events}: every audited act once, numbered by {@code seq} and chained by {@code hash}
 * (see {@link AuditChain}). Unpartitioned: the verifier reads it whole, in seq order.
 */
public final class AuditTable {
  public static final TableIdentifier ID = TableNames.of("audit", "events");

  public static final Schema SCHEMA =
      new Schema(
          required(1, "seq", Types.LongType.get(), "Position in the chain, from 1, no gaps"),
          required(2, "event_id", Types.StringType.get()),
          required(3, "time", Types.TimestampType.withZone(), "When the act happened"),
          required(4, "actor", Types.StringType.get(), "User or component (job:silver)"),
          required(5, "action", Types.StringType.get(), "query, job.start, schema.register, ..."),
          required(6, "target", Types.StringType.get()),
          required(7, "outcome", Types.StringType.get(), "success or failure"),
          required(
              8,
              "details",
              Types.MapType.ofRequired(9, 10, Types.StringType.get(), Types.StringType.get())),
          required(11, "prev_hash", Types.StringType.get()),
          required(
              12,
              "hash",
              Types.StringType.get(),
              "SHA-256 hex of prev_hash followed by the event's canonical JSON"));

  public static final PartitionSpec SPEC = PartitionSpec.unpartitioned();

  public static final RowType ROW_TYPE = FlinkSchemaUtil.convert(SCHEMA);

  private AuditTable() {}

  public static RowData toRow(long seq, AuditEvent event, String prevHash, String hash) {
    GenericRowData row = new GenericRowData(10);
    row.setField(0, seq);
    row.setField(1, StringData.fromString(event.eventId()));
    row.setField(2, TimestampData.fromInstant(event.time()));
    row.setField(3, StringData.fromString(event.actor()));
    row.setField(4, StringData.fromString(event.action()));
    row.setField(5, StringData.fromString(event.target()));
    row.setField(6, StringData.fromString(event.outcome()));
    Map<StringData, StringData> details = new HashMap<>();
    event
        .details()
        .forEach((k, v) -> details.put(StringData.fromString(k), StringData.fromString(v)));
    row.setField(7, new GenericMapData(details));
    row.setField(8, StringData.fromString(prevHash));
    row.setField(9, StringData.fromString(hash));
    return row;
  }
}
