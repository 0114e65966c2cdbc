package io.tarn.jobs.silver.quality;

import io.tarn.governance.pii.ColumnFinding;
import io.tarn.governance.pii.ColumnScanner;
import io.tarn.governance.pii.Detector;
import io.tarn.governance.pii.EntityType;
import io.tarn.governance.pii.Finding;
import io.tarn.governance.pii.FindingAction;
import io.tarn.governance.protect.TokenKey;
import io.tarn.jobs.silver.FindingRules;
import io.tarn.schemas.FieldContract;
import io.tarn.schemas.TableContract;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Screens the string fields of one table that the contract does not annotate as PII, and acts on
 * what the detector finds as the policy says: a {@code quarantine} finding refuses the record, a
 * {@code mask} finding protects that column from then on (the finding's value and every later one),
 * an {@code alert} finding is only counted. Counts per column and type are kept for the findings
 * table; no value is ever kept or reported.
 */
public final class FindingCheck {
  private final TableContract contract;
  private final FindingRules rules;
  private final TokenKey key;
  private final ColumnScanner scanner;
  private final Map<String, EntityType> maskedColumns = new TreeMap<>();

  /** The outcome for one record: the record as silver stores it, or the rule that refused it. */
  public record Outcome(GenericRecord record, String ruleId, String reason) {
    public boolean quarantined() {
      return ruleId != null;
    }
  }

  /**
   * @param key the token key, needed if a masked type's protection is a token
   */
  public FindingCheck(TableContract contract, FindingRules rules, Detector detector, TokenKey key) {
    this.contract = contract;
    this.rules = rules;
    this.key = key;
    this.scanner = new ColumnScanner(contract, detector);
  }

  public Outcome check(GenericRecord record) {
    GenericData.Record masked = null;
    for (FieldContract field : contract.fields()) {
      String column = field.name();
      if (!scanner.scans(column) || !(record.get(column) instanceof CharSequence text)) {
        continue;
      }
      for (Finding finding : scanner.scan(column, text)) {
        FindingAction action = rules.action(finding.type());
        if (action == FindingAction.QUARANTINE) {
          return new Outcome(null, ruleId(column, finding.type()), reason(column, finding));
        }
        if (action == FindingAction.MASK) {
          maskedColumns.putIfAbsent(column, finding.type());
        }
      }
      EntityType maskedAs = maskedColumns.get(column);
      if (maskedAs != null) {
        masked = masked != null ? masked : copy(record);
        masked.put(column, rules.mask(maskedAs).apply(text.toString(), key));
      }
    }
    return new Outcome(masked != null ? masked : record, null, null);
  }

  /** The rule id of a quarantined finding: {@code <table>.<column>.pii_<type>}. */
  public String ruleId(String column, EntityType type) {
    return contract.table() + "." + column + ".pii_" + type.id();
  }

  /**
   * Columns masked because of a finding, with the type found: kept across restarts by the caller.
   */
  public Map<String, EntityType> maskedColumns() {
    return Map.copyOf(maskedColumns);
  }

  public void restoreMasked(String column, EntityType type) {
    maskedColumns.putIfAbsent(column, type);
  }

  /** Counts since the last call, one per column and type found. */
  public List<ColumnFinding> drainFindings() {
    List<ColumnFinding> findings = scanner.findings();
    scanner.reset();
    return findings;
  }

  public TableContract contract() {
    return contract;
  }

  private String reason(String column, Finding finding) {
    return String.format(
        Locale.ROOT,
        "column %s is not annotated as PII but holds what looks like %s (confidence %.2f,"
            + " characters %d-%d); the policy quarantines such records",
        column,
        finding.type().id(),
        finding.confidence(),
        finding.start(),
        finding.end());
  }

  private static GenericData.Record copy(GenericRecord record) {
    GenericData.Record copy = new GenericData.Record(record.getSchema());
    for (org.apache.avro.Schema.Field field : record.getSchema().getFields()) {
      copy.put(field.pos(), record.get(field.pos()));
    }
    return copy;
  }
}
