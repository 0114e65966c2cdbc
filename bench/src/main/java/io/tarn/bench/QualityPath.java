package io.tarn.bench;

import io.tarn.governance.pii.ColumnScanner;
import io.tarn.governance.pii.Detector;
import io.tarn.governance.protect.TokenKey;
import io.tarn.jobs.config.JobConfig;
import io.tarn.jobs.silver.PiiProtections;
import io.tarn.jobs.silver.SilverRecord;
import io.tarn.jobs.silver.SilverRowConverter;
import io.tarn.jobs.silver.SilverTable;
import io.tarn.jobs.silver.quality.FindingCheck;
import io.tarn.jobs.silver.quality.QualityCheck;
import io.tarn.schemas.DomainSchemas;
import io.tarn.schemas.FieldContract;
import io.tarn.schemas.TableContract;
import io.tarn.schemas.registry.RecordDecoder;
import io.tarn.schemas.registry.SchemaRegistry;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.table.data.RowData;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The per-record work of silver's quality operator without Flink, for the raw consumer: decode with
 * the contract's schema, the quality rules, then (with a policy) the {@link FindingCheck} over the
 * unannotated string columns, then the conversion to a silver row (which applies the policy's
 * protections). Each stage is timed on its own so the run can say where a record's time goes.
 */
final class QualityPath implements RawConsumer.Handler {
  private final RecordDecoder decoder;
  private final Map<String, Stage> byTopic = new HashMap<>();
  private long accepted;
  private long quarantined;
  private long refused;
  private long scannedStrings;
  private long scannedChars;
  private long decodeNanos;
  private long checkNanos;
  private long findingNanos;
  private long convertNanos;
  private long sink;

  private static final class Stage {
    final TableContract contract;
    final QualityCheck check;
    final FindingCheck findings;
    final ColumnScanner scanner;
    final SilverRowConverter converter;

    Stage(TableContract contract, PiiProtections protections, TokenKey key, Detector detector) {
      this.contract = contract;
      this.check = new QualityCheck(contract);
      this.findings =
          protections
              .findingRules()
              .map(rules -> new FindingCheck(contract, rules, detector, key))
              .orElse(null);
      this.scanner = new ColumnScanner(contract, detector);
      this.converter =
          new SilverRowConverter(new SilverTable(contract, protections.of(contract)), key);
    }
  }

  /** The path as the silver job of {@code config} runs it (its {@code pii.*} settings included). */
  QualityPath(JobConfig config, SchemaRegistry registry) {
    this.decoder = new RecordDecoder(registry);
    PiiProtections protections = PiiProtections.of(config);
    TokenKey key = protections.tokenKey(config);
    Detector detector = Detector.standard();
    for (TableContract contract : DomainSchemas.all()) {
      byTopic.put(contract.topic(), new Stage(contract, protections, key, detector));
    }
  }

  @Override
  public void accept(ConsumerRecord<byte[], byte[]> record) {
    Stage stage = byTopic.get(record.topic());
    long t0 = System.nanoTime();
    GenericRecord value = decoder.decode(record.value(), stage.contract.schema());
    long t1 = System.nanoTime();
    QualityCheck.Verdict verdict = stage.check.check(value);
    long t2 = System.nanoTime();
    decodeNanos += t1 - t0;
    checkNanos += t2 - t1;
    if (verdict.outcome() != QualityCheck.Outcome.ACCEPT) {
      refused += 1;
      return;
    }
    if (stage.findings != null) {
      countScanned(stage, value);
      FindingCheck.Outcome screened = stage.findings.check(value);
      if (screened.quarantined()) {
        findingNanos += System.nanoTime() - t2;
        quarantined += 1;
        return;
      }
      value = screened.record();
    }
    long t3 = System.nanoTime();
    SilverRecord source = new SilverRecord();
    source.topic = record.topic();
    source.partition = record.partition();
    source.offset = record.offset();
    source.schemaId = 1;
    RowData row = stage.converter.convert(value, source);
    long t4 = System.nanoTime();
    if (stage.findings != null) {
      findingNanos += t3 - t2;
    }
    convertNanos += t4 - t3;
    sink += row.getArity(); // keeps the row alive to the JIT
    accepted += 1;
  }

  /** Unannotated string values the finding check scans; the count is not timed. */
  private void countScanned(Stage stage, GenericRecord value) {
    for (FieldContract field : stage.contract.fields()) {
      if (stage.scanner.scans(field.name())
          && value.get(field.name()) instanceof CharSequence text) {
        scannedStrings += 1;
        scannedChars += text.length();
      }
    }
  }

  /** The figures of a finished run: stage costs per record in microseconds, counts. */
  Outcome describe(Outcome read) {
    long records = Math.max(1, read.records());
    Outcome outcome =
        read.with("accepted", accepted)
            .with("quarantined", quarantined)
            .with("refused_by_rules", refused)
            .with("decode_us", decodeNanos / 1e3 / records)
            .with("rules_us", checkNanos / 1e3 / records)
            .with("convert_us", convertNanos / 1e3 / Math.max(1, accepted));
    if (scannedStrings == 0 && findingNanos == 0) {
      return outcome;
    }
    return outcome
        .with("finding_check_us", findingNanos / 1e3 / records)
        .with("scanned_strings_per_record", scannedStrings / (double) records)
        .with("chars_per_scanned_string", scannedChars / (double) Math.max(1, scannedStrings))
        .with("us_per_scanned_string", findingNanos / 1e3 / Math.max(1, scannedStrings));
  }

  long sink() {
    return sink;
  }
}
