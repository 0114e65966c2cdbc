package io.tarn.jobs.silver.quality;

import io.tarn.governance.pii.ColumnFinding;
import io.tarn.governance.pii.Detector;
import io.tarn.governance.pii.EntityType;
import io.tarn.governance.protect.TokenKey;
import io.tarn.jobs.config.JobConfig;
import io.tarn.jobs.kafka.SchemaRegistries;
import io.tarn.jobs.silver.AvroColumns;
import io.tarn.jobs.silver.FindingRules;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
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

  /** Counts of PII found in unannotated columns, rows of {@link FindingsTable}. */
  public static final OutputTag<RowData> FINDINGS =
      new OutputTag<>("pii-findings", InternalTypeInfo.of(FindingsTable.ROW_TYPE));

  private static final ListStateDescriptor<String> MASKED_COLUMNS =
      new ListStateDescriptor<>("pii-masked-columns", String.class);

  private final JobConfig config;
  private final PiiProtections protections;
  private transient SchemaRegistry registry;
  private transient RecordDecoder decoder;
  private transient Map<String, TableState> tables;
  private transient ListState<String> maskedColumns;

  private static final class TableState {
    final TableContract contract;
    final OutputTag<RowData> output;
    final QualityCheck check;
    final SilverRowConverter converter;
    final FindingCheck findings;

    TableState(SilverTable table, TokenKey key, FindingCheck findings) {
      this.contract = table.contract();
      this.output = outputFor(table);
      this.check = new QualityCheck(contract);
      this.converter = new SilverRowConverter(table, key);
      this.findings = findings;
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
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    tables = new HashMap<>();
    TokenKey key = protections.tokenKey(config);
    Detector detector = Detector.standard();
    for (TableContract contract : DomainSchemas.all()) {
      FindingCheck findings =
          protections
              .findingRules()
              .map(rules -> new FindingCheck(contract, rules, detector, key))
              .orElse(null);
      tables.put(
          contract.topic(),
          new TableState(new SilverTable(contract, protections.of(contract)), key, findings));
    }
    // union state: a column one subtask found to hold PII is masked by every subtask after a
    // restore
    maskedColumns = context.getOperatorStateStore().getUnionListState(MASKED_COLUMNS);
    for (String entry : maskedColumns.get()) {
      String[] parts = entry.split("\t", 3);
      TableState table = tables.get(parts[0]);
      if (table != null && table.findings != null) {
        table.findings.restoreMasked(parts[1], EntityType.of(parts[2]));
      }
    }
  }

  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    super.snapshotState(context);
    List<String> entries = new ArrayList<>();
    for (Map.Entry<String, TableState> table : tables.entrySet()) {
      if (table.getValue().findings != null) {
        table
            .getValue()
            .findings
            .maskedColumns()
            .forEach(
                (column, type) -> entries.add(table.getKey() + "\t" + column + "\t" + type.id()));
      }
    }
    maskedColumns.update(entries);
  }

  @Override
  public void open() throws Exception {
    super.open();
    registry = SchemaRegistries.connect(config);
    decoder = new RecordDecoder(registry);
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
        if (table.findings != null) {
          FindingCheck.Outcome screened = table.findings.check(value);
          if (screened.quarantined()) {
            quarantine(record, "pii", screened.ruleId(), screened.reason());
            return;
          }
          value = screened.record();
        }
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
      if (table.findings != null) {
        emitFindings(table.findings, checkpointId, subtask, now);
      }
    }
  }

  private void emitFindings(
      FindingCheck findings, long checkpointId, int subtask, TimestampData now) {
    FindingRules rules = protections.findingRules().orElseThrow();
    for (ColumnFinding finding : findings.drainFindings()) {
      GenericRowData row = new GenericRowData(10);
      row.setField(0, checkpointId);
      row.setField(1, subtask);
      row.setField(2, StringData.fromString(finding.table()));
      row.setField(3, StringData.fromString(finding.column()));
      row.setField(4, StringData.fromString(finding.type().id()));
      row.setField(
          5,
          StringData.fromString(
              rules.action(finding.type()).name().toLowerCase(java.util.Locale.ROOT)));
      row.setField(6, finding.confidence());
      row.setField(7, finding.sampleCount());
      row.setField(8, finding.scannedCount());
      row.setField(9, now);
      output.collect(FINDINGS, new StreamRecord<>(row));
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
