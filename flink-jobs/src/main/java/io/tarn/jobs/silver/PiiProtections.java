package io.tarn.jobs.silver;

import io.tarn.governance.policy.Policy;
import io.tarn.governance.protect.RecordProtection;
import io.tarn.governance.protect.TokenKey;
import io.tarn.jobs.config.ConfigException;
import io.tarn.jobs.config.JobConfig;
import io.tarn.schemas.DomainSchemas;
import io.tarn.schemas.TableContract;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How silver stores each contract table's PII fields, read once from the policy file named by
 * {@code pii.policy} where the job is built, and shipped to the tasks with it (the file need not
 * exist on the TaskManagers). Without a policy every table keeps its fields as they arrive.
 */
public final class PiiProtections implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Map<String, RecordProtection> byTable;
  private final FindingRules findingRules;

  private PiiProtections(Map<String, RecordProtection> byTable, FindingRules findingRules) {
    this.byTable = Map.copyOf(byTable);
    this.findingRules = findingRules;
  }

  /** No protection: silver keeps every field as it arrives and scans nothing. */
  public static PiiProtections none() {
    return new PiiProtections(Map.of(), null);
  }

  /**
   * Reads the policy of {@code config} and checks that a token key is there if a protection needs
   * one: a job must not start and then fail on its first PII record.
   */
  public static PiiProtections of(JobConfig config) {
    String file = config.get(JobConfig.PII_POLICY);
    Map<String, RecordProtection> byTable = new HashMap<>();
    FindingRules findingRules = null;
    if (!file.isEmpty()) {
      Policy policy;
      try {
        policy = Policy.load(Path.of(file));
      } catch (RuntimeException e) {
        throw new ConfigException(
            "Cannot configure Tarn: %s '%s': %s",
            JobConfig.PII_POLICY.name(), file, e.getMessage());
      }
      for (TableContract contract : DomainSchemas.all()) {
        byTable.put(contract.table(), policy.recordProtection(contract));
      }
      findingRules = FindingRules.of(policy);
    }
    PiiProtections protections = new PiiProtections(byTable, findingRules);
    if (protections.needsKey()) {
      protections.tokenKey(config);
    }
    return protections;
  }

  /** The protections of {@code contract}'s fields; none without a policy. */
  public RecordProtection of(TableContract contract) {
    RecordProtection protection = byTable.get(contract.table());
    return protection != null ? protection : new RecordProtection(contract.table(), Map.of());
  }

  /**
   * What detector findings in unannotated columns lead to; empty without a policy, where silver
   * does not scan.
   */
  public Optional<FindingRules> findingRules() {
    return Optional.ofNullable(findingRules);
  }

  public boolean needsKey() {
    return byTable.values().stream().anyMatch(RecordProtection::needsKey)
        || (findingRules != null && findingRules.needsKey());
  }

  /** The token key of {@code config}, or null if no protection makes tokens. */
  public TokenKey tokenKey(JobConfig config) {
    if (!needsKey()) {
      return null;
    }
    String value = config.get(JobConfig.PII_TOKEN_KEY);
    try {
      return TokenKey.fromConfig(value == null ? Map.of() : Map.of(TokenKey.CONFIG_KEY, value));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          "Cannot configure Tarn: %s is needed by the tokens of %s: %s",
          JobConfig.PII_TOKEN_KEY.name(),
          JobConfig.PII_POLICY.name(),
          e.getMessage().replace(TokenKey.CONFIG_KEY, JobConfig.PII_TOKEN_KEY.name()));
    }
  }
}
