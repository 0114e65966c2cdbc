package io.tarn.governance.protect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tarn.governance.policy.Policy;
import io.tarn.schemas.DomainSchemas;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordProtectionTest {
  private static final TokenKey KEY =
      TokenKey.fromConfig(
          Map.of(TokenKey.CONFIG_KEY, Base64.getEncoder().encodeToString(new byte[40])));
  private final Policy policy = Policy.load(Path.of("../deploy/policy/tarn-policy.yaml"));

  @Test
  void protectsEveryAnnotatedFieldAsThePolicySays() {
    RecordProtection customers = policy.recordProtection(DomainSchemas.forTable("customers"));
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("customer_id", "C0000001");
    raw.put("name", "Anna Jansen");
    raw.put("email", "anna@example.com");
    raw.put("phone", "+31612345678");
    raw.put("address", "Main St 1, Utrecht");
    raw.put("birth_date", LocalDate.of(1984, 7, 3));
    raw.put("country", "NL");

    Map<String, Object> silver = customers.apply(raw, KEY);
    assertThat(silver.get("customer_id")).isEqualTo("C0000001");
    assertThat(silver.get("country")).isEqualTo("NL");
    assertThat((String) silver.get("name")).startsWith("tok_");
    assertThat(silver.get("email")).isEqualTo(Protection.token("anna@example.com", KEY));
    assertThat(silver.get("phone")).isEqualTo("+*********78");
    assertThat(silver.get("address")).isEqualTo(Protection.REDACTED);
    assertThat(silver.get("birth_date")).isEqualTo(1984);
    assertThat(silver.values()).doesNotContain("Anna Jansen", "anna@example.com");
    // a join key survives: the same e-mail elsewhere gets the same token
    assertThat(customers.apply(Map.of("email", "anna@example.com"), KEY).get("email"))
        .isEqualTo(silver.get("email"));
    assertThatThrownBy(() -> customers.apply(raw, null)).hasMessageContaining(TokenKey.CONFIG_KEY);
  }

  @Test
  void dropLeavesTheColumnOut() {
    RecordProtection dropping =
        new RecordProtection("payments", Map.of("iban", Protection.of(Protection.Method.DROP)));
    assertThat(dropping.needsKey()).isFalse();
    assertThat(dropping.apply(Map.of("iban", "NL91ABNA0417164300", "amount", 5), null))
        .containsOnlyKeys("amount");
  }
}
