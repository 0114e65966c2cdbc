package io.tarn.jobs.silver.quality;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.jobs.silver.quality.QualityCheck.Outcome;
import io.tarn.jobs.silver.quality.QualityCheck.Verdict;
import io.tarn.schemas.QualityRule;
import io.tarn.schemas.TableContract;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class QualityCheckTest {
  /**
   * One field per action, each with the rule "at most 10", declared from the mildest to the
   * strictest except that drop comes after quarantine, so "strictest wins" is not "last wins".
   */
  private static final TableContract CONTRACT =
      TableContract.of(
          new Schema.Parser()
              .parse(
                  """
                  {"type": "record", "name": "Gauge", "namespace": "io.tarn.test",
                   "doc": "Test table with one rule per action.",
                   "table": "gauges", "topic": "test.gauges", "key": ["id"], "owner": "team-test",
                   "fields": [
                     {"name": "id", "type": "string"},
                     {"name": "warned", "type": "int",
                      "quality": [{"rule": "range", "max": 10, "action": "warn"}]},
                     {"name": "quarantined", "type": "int",
                      "quality": [{"rule": "range", "max": 10, "action": "quarantine"}]},
                     {"name": "dropped", "type": "int",
                      "quality": [{"rule": "range", "max": 10, "action": "drop"}]},
                     {"name": "failed", "type": "int",
                      "quality": [{"rule": "range", "max": 10, "action": "fail"}]},
                     {"name": "email", "type": ["null", "string"], "default": null,
                      "pii": "email",
                      "quality": [{"rule": "not_null", "action": "warn"}]}
                   ]}
                  """));

  private static final String WARN = "gauges.warned.range";
  private static final String QUARANTINE = "gauges.quarantined.range";
  private static final String DROP = "gauges.dropped.range";
  private static final String FAIL = "gauges.failed.range";
  private static final String EMAIL = "gauges.email.not_null";

  /** A record passing every rule, with the named fields set to 11 (above the maximum). */
  private static GenericRecord record(String... broken) {
    GenericData.Record record = new GenericData.Record(CONTRACT.schema());
    record.put("id", "g1");
    for (String field : List.of("warned", "quarantined", "dropped", "failed")) {
      record.put(field, List.of(broken).contains(field) ? 11 : 10);
    }
    record.put("email", "ada@example.com");
    return record;
  }

  private static int index(QualityCheck check, String ruleId) {
    List<String> ids = check.rules().stream().map(QualityRule::id).toList();
    assertThat(ids).contains(ruleId);
    return ids.indexOf(ruleId);
  }

  private static long passed(QualityCheck check, String ruleId) {
    return check.passed(index(check, ruleId));
  }

  private static long failed(QualityCheck check, String ruleId) {
    return check.failed(index(check, ruleId));
  }

  @Test
  void recordPassingEveryRuleIsAcceptedAndCountedAsPassedByEveryRule() {
    QualityCheck check = new QualityCheck(CONTRACT);

    Verdict verdict = check.check(record());

    assertThat(verdict.outcome()).isEqualTo(Outcome.ACCEPT);
    assertThat(verdict.rule()).isNull();
    for (String rule : List.of(WARN, QUARANTINE, DROP, FAIL, EMAIL)) {
      assertThat(passed(check, rule)).as(rule).isEqualTo(1);
      assertThat(failed(check, rule)).as(rule).isZero();
    }
  }

  @Test
  void warnViolationIsAcceptedButCountedAsFailed() {
    QualityCheck check = new QualityCheck(CONTRACT);

    Verdict verdict = check.check(record("warned"));

    assertThat(verdict.outcome()).isEqualTo(Outcome.ACCEPT);
    assertThat(failed(check, WARN)).isEqualTo(1);
    assertThat(passed(check, WARN)).isZero();
    assertThat(passed(check, QUARANTINE)).isEqualTo(1);
  }

  @Test
  void dropViolationDropsTheRecordNamingTheRuleAndReason() {
    QualityCheck check = new QualityCheck(CONTRACT);

    Verdict verdict = check.check(record("dropped"));

    assertThat(verdict.outcome()).isEqualTo(Outcome.DROP);
    assertThat(verdict.rule().id()).isEqualTo(DROP);
    assertThat(verdict.reason()).isEqualTo("dropped 11 is above the maximum 10");
    assertThat(failed(check, DROP)).isEqualTo(1);
  }

  @Test
  void quarantineViolationQuarantinesTheRecordNamingTheRuleAndReason() {
    QualityCheck check = new QualityCheck(CONTRACT);

    Verdict verdict = check.check(record("quarantined"));

    assertThat(verdict.outcome()).isEqualTo(Outcome.QUARANTINE);
    assertThat(verdict.rule().id()).isEqualTo(QUARANTINE);
    assertThat(verdict.reason()).isEqualTo("quarantined 11 is above the maximum 10");
    assertThat(failed(check, QUARANTINE)).isEqualTo(1);
  }

  /**
   * The fail action is only reachable here: QualityOperator takes its contracts from DomainSchemas
   * by topic, and no domain contract has a fail rule, so the operator's throw of
   * QualityFailureException cannot be driven from a unit test.
   */
  @Test
  void failViolationFailsNamingTheRuleAndReason() {
    QualityCheck check = new QualityCheck(CONTRACT);

    Verdict verdict = check.check(record("failed"));

    assertThat(verdict.outcome()).isEqualTo(Outcome.FAIL);
    assertThat(verdict.rule().id()).isEqualTo(FAIL);
    assertThat(verdict.reason()).isEqualTo("failed 11 is above the maximum 10");
  }

  @Test
  void strictestActionWinsWhateverTheDeclarationOrder() {
    QualityCheck check = new QualityCheck(CONTRACT);

    // drop is declared after quarantine, warn before both
    assertThat(check.check(record("warned", "dropped")).rule().id()).isEqualTo(DROP);
    assertThat(check.check(record("quarantined", "dropped")).rule().id()).isEqualTo(QUARANTINE);
    Verdict all = check.check(record("warned", "quarantined", "dropped", "failed"));
    assertThat(all.outcome()).isEqualTo(Outcome.FAIL);
    assertThat(all.rule().id()).isEqualTo(FAIL);
  }

  @Test
  void everyRuleIsCountedEvenAfterAStricterRuleAlreadyDecided() {
    QualityCheck check = new QualityCheck(CONTRACT);

    check.check(record("warned", "quarantined", "dropped", "failed"));

    for (String rule : List.of(WARN, QUARANTINE, DROP, FAIL)) {
      assertThat(failed(check, rule)).as(rule).isEqualTo(1);
      assertThat(passed(check, rule)).as(rule).isZero();
    }
    assertThat(passed(check, EMAIL)).isEqualTo(1);
  }

  @Test
  void countsPassesAndFailuresPerRule() {
    QualityCheck check = new QualityCheck(CONTRACT);

    check.check(record());
    check.check(record("warned"));
    check.check(record("warned", "dropped"));
    GenericRecord noEmail = record("quarantined");
    noEmail.put("email", null);
    check.check(noEmail);

    assertThat(passed(check, WARN)).isEqualTo(2);
    assertThat(failed(check, WARN)).isEqualTo(2);
    assertThat(passed(check, QUARANTINE)).isEqualTo(3);
    assertThat(failed(check, QUARANTINE)).isEqualTo(1);
    assertThat(passed(check, DROP)).isEqualTo(3);
    assertThat(failed(check, DROP)).isEqualTo(1);
    assertThat(passed(check, FAIL)).isEqualTo(4);
    assertThat(failed(check, FAIL)).isZero();
    assertThat(passed(check, EMAIL)).isEqualTo(3);
    assertThat(failed(check, EMAIL)).isEqualTo(1);
  }

  @Test
  void resetCountsStartsANewPeriodFromZero() {
    QualityCheck check = new QualityCheck(CONTRACT);
    check.check(record("warned"));
    check.check(record());

    check.resetCounts();

    for (int i = 0; i < check.rules().size(); i++) {
      assertThat(check.passed(i)).isZero();
      assertThat(check.failed(i)).isZero();
    }
    check.check(record("dropped"));
    assertThat(failed(check, DROP)).isEqualTo(1);
    assertThat(passed(check, WARN)).isEqualTo(1);
    assertThat(failed(check, WARN)).isZero();
  }

  @Test
  void rulesAreTheContractsInFieldOrder() {
    QualityCheck check = new QualityCheck(CONTRACT);

    assertThat(check.rules())
        .extracting(QualityRule::id)
        .containsExactly(WARN, QUARANTINE, DROP, FAIL, EMAIL);
  }
}
