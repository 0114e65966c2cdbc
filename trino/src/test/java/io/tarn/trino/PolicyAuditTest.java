package io.tarn.trino;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.schemas.audit.AuditEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyAuditTest {
  @TempDir Path dir;

  @Test
  void aChangeIsReportedOnceRecordedAndAgainWhenTheRulesChange() throws Exception {
    Path rules = Files.writeString(dir.resolve("rules.json"), "{\"tables\":[]}");
    PolicyAudit policy = new PolicyAudit(rules, dir.resolve("state/policy.sha256"));

    AuditEvent first = policy.check().orElseThrow();
    assertThat(first.action()).isEqualTo("policy.change");
    assertThat(first.target()).isEqualTo(rules.toString());
    assertThat(first.details())
        .containsEntry("sha256", PolicyAudit.sha256(rules))
        .containsEntry("previous_sha256", "none");
    // not yet recorded (say Kafka was down): still reported
    assertThat(policy.check()).isPresent();
    policy.recorded(first);
    assertThat(policy.check()).isEmpty();
    assertThat(new PolicyAudit(rules, dir.resolve("state/policy.sha256")).check()).isEmpty();

    Files.writeString(rules, "{\"tables\":[{\"user\":\"ada\",\"privileges\":[\"SELECT\"]}]}");
    AuditEvent second = policy.check().orElseThrow();
    assertThat(second.details())
        .containsEntry("previous_sha256", first.details().get("sha256"))
        .containsEntry("sha256", PolicyAudit.sha256(rules));
    assertThat(second.details().get("sha256")).isNotEqualTo(first.details().get("sha256"));
  }
}
