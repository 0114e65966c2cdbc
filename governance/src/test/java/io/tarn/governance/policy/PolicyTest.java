package io.tarn.governance.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tarn.governance.pii.EntityType;
import io.tarn.governance.pii.FindingAction;
import io.tarn.governance.protect.Protection;
import io.tarn.schemas.DomainSchemas;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PolicyTest {
  static final Path EXAMPLE = Path.of("../deploy/policy/tarn-policy.yaml");

  static final String MINIMAL =
      String.join(
          "\n",
          "catalog: tarn",
          "roles:",
          "  analyst: reads silver",
          "users:",
          "  carol: [analyst]",
          "grants:",
          "  - roles: [analyst]",
          "    zone: silver",
          "    tables: [orders]",
          "pii:",
          "  protect: {name: token, email: token, phone: mask:2, address: redact,",
          "            birth_date: generalise, card_number: mask:4, iban: mask:4, ip: token}",
          "");

  @Test
  void theShippedExampleIsValid() throws Exception {
    Policy policy = Policy.parse(EXAMPLE.toString(), Files.readString(EXAMPLE));
    assertThat(policy.catalog()).isEqualTo("tarn");
    assertThat(policy.rolesOf("dave")).containsExactly("analyst", "analyst_eu");
    assertThat(policy.rolesOf("nobody")).isEmpty();
    assertThat(policy.ownerRoles("team-payments")).containsExactly("payments_owner");
    var payments = DomainSchemas.forTable("payments");
    assertThat(policy.protection("payments", payments.field("card_number").orElseThrow()))
        .isEqualTo(Protection.mask(4));
    assertThat(policy.protection("payments", payments.field("amount").orElseThrow())).isNull();
    assertThat(policy.findingAction(EntityType.CARD_NUMBER)).isEqualTo(FindingAction.QUARANTINE);
    assertThat(policy.findingAction(EntityType.IP)).isEqualTo(FindingAction.ALERT);
  }

  @Test
  void unknownRoleFailsNamingKeyAndLine() {
    String text = MINIMAL.replace("carol: [analyst]", "carol: [analyst, auditor]");
    assertThatThrownBy(() -> Policy.parse("p.yaml", text))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("p.yaml")
        .hasMessageContaining("key users.carol[1] (line 5)")
        .hasMessageContaining("unknown role 'auditor'");
  }

  @Test
  void unknownTableFailsNamingKeyAndLine() {
    String text = MINIMAL.replace("tables: [orders]", "tables: [orderz]");
    assertThatThrownBy(() -> Policy.parse("p.yaml", text))
        .hasMessageContaining("key grants[0].tables[0] (line 9)")
        .hasMessageContaining("unknown table silver.orderz");
  }

  @Test
  void bronzeGrantsUnknownKeysAndMissingProtectionAreRejected() {
    assertThatThrownBy(
            () -> Policy.parse("p.yaml", MINIMAL.replace("zone: silver", "zone: bronze")))
        .hasMessageContaining("bronze is readable only by its owners");
    assertThatThrownBy(() -> Policy.parse("p.yaml", MINIMAL.replace("    zone:", "    zones:")))
        .hasMessageContaining("grants[0].zones")
        .hasMessageContaining("unknown key");
    assertThatThrownBy(() -> Policy.parse("p.yaml", MINIMAL.replace(" ip: token", " ip: shred")))
        .hasMessageContaining("pii.protect.ip");
    assertThatThrownBy(() -> Policy.parse("p.yaml", MINIMAL.replace(", ip: token", "")))
        .hasMessageContaining("no method for type 'ip'");
    assertThatThrownBy(() -> Policy.parse("p.yaml", MINIMAL.replace("catalog: tarn\n", "")))
        .hasMessageContaining("key catalog is missing");
    assertThatThrownBy(
            () ->
                Policy.parse(
                    "p.yaml", MINIMAL + "masks:\n  - tag: pii:shoe_size\n    mask: redact\n"))
        .hasMessageContaining("masks[0].tag (line 14)")
        .hasMessageContaining("unknown tag");
  }
}
