package io.tarn.jobs.silver.quality;

import io.tarn.governance.protect.TokenKey;
import io.tarn.jobs.config.JobConfig;
import io.tarn.jobs.kafka.SchemaRegistries;
import io.tarn.jobs.silver.AvroColumns;
import io.tarn.jobs.silver.PiiProtections;
import io.tarn.jobs.silver.QuarantineRecord;
import io.tarn.jobs.silver.SilverRecord;
import io.tarn.jobs.silver.SilverRowConverter;
import io.tarn.jobs.silver.SilverTable;
import io.tarn.schemas.DomainSchemas;
import io.tarn.schemas.QualityRule;
import io.tarn.schemas.TableContract;
import io.tarn.schemas.registry.DecodeException;
import io.tarn.schemas.registry.RecordDecoder;
import io.tarn.schemas.registry.SchemaRegistry;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.util.OutputTag;

/**
 * Checks deduplicated records against their table's quality rules and converts the accepted ones to
 * silver rows, one side output per table; refused ones go to the quarantine output. Its main output
 * is the per-rule pass/fail counts, emitted just before each checkpoint barrier so they are
 * committed together with the rows they count.
 */
public final class QualityOperator extends AbstractStreamOperator<RowData>
    implements OneInputStreamOperator<SilverRecord, RowData> {
  public static final OutputTag<QuarantineRecord> QUARANTINE =
      new OutputTag<>("quarantine-quality", TypeInformation.of(QuarantineRecord.class));

  private final JobConfig config;
  private final PiiProtections protections;
  private transient SchemaRegistry registry;
  private transient RecordDecoder decoder;
  private transient Map<String, TableState> tables;

  private static final class TableState {
    final TableContract contract;
    final OutputTag<RowData> output;
    final QualityCheck check;
    final SilverRowConverter converter;

    TableState(SilverTable table, TokenKey key) {
      this.contract = table.contract();
      this.output = outputFor(table);
      this.check = new QualityCheck(contract);
      this.converter = new SilverRowConverter(table, key);
    }
  }

  /** Without PII protection: silver keeps fields as they arrive. */
  public QualityOperator(JobConfig config) {
    this(config, PiiProtections.none());
  }

  public QualityOperator(JobConfig config, PiiProtections protections) {
    this.config = config;
    this.protections = protections;
  }

  /** The side output carrying the rows of one silver table. */
  public static OutputTag<RowData> outputFor(SilverTable table) {
    return new OutputTag<>(
        "silver-" + table.contract().table(), InternalTypeInfo.of(table.rowType()));
  }

  @Override
  public void open() throws Exception {
    super.open();
    registry = SchemaRegistries.connect(config);
    decoder = new RecordDecoder(registry);
    tables = new HashMap<>();
    TokenKey key = protections.tokenKey(config);
    for (TableContract contract : DomainSchemas.all()) {
      tables.put(
          contract.topic(),
          new TableState(new SilverTable(contract, protections.of(contract)), key));
    }
  }

  @Override
  public void processElement(StreamRecord<SilverRecord> element) {
    SilverRecord record = element.getValue();
    TableState table = tables.get(record.topic);
    GenericRecord value;
    try {
      value = decoder.decode(record.value, table.contract.schema());
    } catch (DecodeException e) {
      quarantine(record, "decode", e.ruleId(), e.getMessage());
      return;
    }
    QualityCheck.Verdict verdict = table.check.check(value);
    switch (verdict.outcome()) {
      case ACCEPT -> {
        RowData row;
        try {
          row = table.converter.convert(value, record);
        } catch (AvroColumns.ConversionException e) {
          quarantine(record, "quality", table.contract.table() + ".convert", e.getMessage());
          return;
        }
        output.collect(table.output, new StreamRecord<>(row));
      }
      case DROP -> {}
      case QUARANTINE -> quarantine(record, "quality", verdict.rule().id(), verdict.reason());
      case FAIL ->
          throw new QualityFailureException(
              String.format(
                  "Cannot accept %s/%d@%d: rule %s (action fail) failed: %s",
                  record.topic,
                  record.partition,
                  record.offset,
                  verdict.rule().id(),
                  verdict.reason()));
    }
  }

  private void quarantine(SilverRecord record, String stage, String ruleId, String reason) {
    output.collect(
        QUARANTINE, new StreamRecord<>(QuarantineRecord.of(record, stage, ruleId, reason)));
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    super.prepareSnapshotPreBarrier(checkpointId);
    emitCounts(checkpointId);
  }

  @Override
  public void finish() throws Exception {
    emitCounts(-1); // counts after the last checkpoint of a finishing job
    super.finish();
  }

  private void emitCounts(long checkpointId) {
    int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
    TimestampData now = TimestampData.fromEpochMillis(System.currentTimeMillis());
    for (TableState table : tables.values()) {
      QualityCheck check = table.check;
      for (int i = 0; i < check.rules().size(); i++) {
        if (check.passed(i) + check.failed(i) == 0) {
          continue;
        }
        QualityRule rule = check.rules().get(i);
        GenericRowData row = new GenericRowData(8);
        row.setField(0, checkpointId);
        row.setField(1, subtask);
        row.setField(2, StringData.fromString(table.contract.table()));
        row.setField(3, StringData.fromString(rule.id()));
        row.setField(
            4, StringData.fromString(rule.action().name().toLowerCase(java.util.Locale.ROOT)));
        row.setField(5, check.passed(i));
        row.setField(6, check.failed(i));
        row.setField(7, now);
        output.collect(new StreamRecord<>(row));
      }
      check.resetCounts();
    }
  }

  @Override
  public void close() throws Exception {
    if (registry != null) {
      registry.close();
    }
    super.close();
  }
}
