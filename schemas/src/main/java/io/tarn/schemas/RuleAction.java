package io.tarn.schemas;

/** What the pipeline does with a record that violates a quality rule. */
public enum RuleAction {
  /** Keep the record and count the violation. */
  WARN,
  /** Discard the record and count it. */
  DROP,
  /** Divert the record to the quarantine table with the rule id and reason. */
  QUARANTINE,
  /** Fail the job: the data is not safe to process further. */
  FAIL
}
