package io.tarn.jobs.silver.quality;

import io.tarn.schemas.QualityRule;
import io.tarn.schemas.RuleAction;
import io.tarn.schemas.TableContract;
import java.util.List;
import org.apache.avro.generic.GenericRecord;

/**
 * Applies a table's quality rules to one record, like Delta Live Tables expectations: every rule is
 * evaluated (so each gets a pass/fail count), then the strictest action decides the outcome.
 */
public final class QualityCheck {
  /** What happens to the record. */
  public enum Outcome {
    ACCEPT,
    DROP,
    QUARANTINE,
    FAIL
  }

  /** The outcome and, unless accepted, the deciding rule and reason. */
  public record Verdict(Outcome outcome, QualityRule rule, String reason) {}

  private static final Verdict ACCEPTED = new Verdict(Outcome.ACCEPT, null, null);

  private final List<QualityRule> rules;
  private final long[] passed;
  private final long[] failed;

  public QualityCheck(TableContract contract) {
    this.rules = contract.rules();
    this.passed = new long[rules.size()];
    this.failed = new long[rules.size()];
  }

  public Verdict check(GenericRecord record) {
    Verdict verdict = ACCEPTED;
    for (int i = 0; i < rules.size(); i++) {
      QualityRule rule = rules.get(i);
      String violation = rule.violation(record.get(rule.field()));
      if (violation == null) {
        passed[i]++;
        continue;
      }
      failed[i]++;
      Outcome outcome = outcomeOf(rule.action());
      if (outcome.compareTo(verdict.outcome()) > 0) {
        verdict = new Verdict(outcome, rule, violation);
      }
    }
    return verdict;
  }

  private static Outcome outcomeOf(RuleAction action) {
    return switch (action) {
      case WARN -> Outcome.ACCEPT;
      case DROP -> Outcome.DROP;
      case QUARANTINE -> Outcome.QUARANTINE;
      case FAIL -> Outcome.FAIL;
    };
  }

  public List<QualityRule> rules() {
    return rules;
  }

  public long passed(int rule) {
    return passed[rule];
  }

  public long failed(int rule) {
    return failed[rule];
  }

  /** Starts a new counting period (after the counts were emitted for a checkpoint). */
  public void resetCounts() {
    java.util.Arrays.fill(passed, 0);
    java.util.Arrays.fill(failed, 0);
  }
}
