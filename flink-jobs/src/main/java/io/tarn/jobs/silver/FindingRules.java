package io.tarn.jobs.silver;

import io.tarn.governance.pii.EntityType;
import io.tarn.governance.pii.FindingAction;
import io.tarn.governance.policy.Policy;
import io.tarn.governance.protect.Protection;
import java.io.Serializable;
import java.util.EnumMap;
import java.util.Map;

/**
 * The policy's answer, per entity type, to PII the detector finds in a column the contract does not
 * annotate: mask the column (and how), quarantine the record, or only record the finding. Resolved
 * from the policy where the job is built, so the tasks need no policy file.
 */
public final class FindingRules implements Serializable {
  private static final long serialVersionUID = 1L;

  private final EnumMap<EntityType, FindingAction> actions;
  private final EnumMap<EntityType, Protection> masks;

  public FindingRules(Map<EntityType, FindingAction> actions, Map<EntityType, Protection> masks) {
    this.actions = new EnumMap<>(EntityType.class);
    this.masks = new EnumMap<>(EntityType.class);
    for (EntityType type : EntityType.values()) {
      this.actions.put(type, actions.getOrDefault(type, FindingAction.ALERT));
      this.masks.put(type, masks.getOrDefault(type, Protection.of(Protection.Method.REDACT)));
    }
  }

  public static FindingRules of(Policy policy) {
    Map<EntityType, FindingAction> actions = new EnumMap<>(EntityType.class);
    Map<EntityType, Protection> masks = new EnumMap<>(EntityType.class);
    for (EntityType type : EntityType.values()) {
      actions.put(type, policy.findingAction(type));
      masks.put(type, policy.findingProtection(type));
    }
    return new FindingRules(actions, masks);
  }

  public FindingAction action(EntityType type) {
    return actions.get(type);
  }

  /** How a column found to hold {@code type} is protected when the action is to mask. */
  public Protection mask(EntityType type) {
    return masks.get(type);
  }

  boolean needsKey() {
    for (EntityType type : EntityType.values()) {
      if (actions.get(type) == FindingAction.MASK
          && masks.get(type).method() == Protection.Method.TOKEN) {
        return true;
      }
    }
    return false;
  }
}
