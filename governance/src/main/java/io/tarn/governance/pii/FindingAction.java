package io.tarn.governance.pii;

/** What the policy does about a {@link ColumnFinding} of a given entity type. */
public enum FindingAction {
  /** Protect the whole column from then on as if it were annotated with the type. */
  MASK,
  /** Send records whose value holds a finding to quarantine (with the rule id, never the value). */
  QUARANTINE,
  /** Only record the finding. */
  ALERT
}
