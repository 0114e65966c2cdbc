package io.tarn.governance.protect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProtectionTest {
  private static final String SECRET = Base64.getEncoder().encodeToString(new byte[32]);
  private static final TokenKey KEY = TokenKey.fromConfig(Map.of(TokenKey.CONFIG_KEY, SECRET));

  @Test
  void tokensAreDeterministicAndKeyed() {
    Protection token = Protection.of(Protection.Method.TOKEN);
    Object first = token.apply("anna@example.com", KEY);
    assertThat(token.apply("anna@example.com", KEY)).isEqualTo(first);
    assertThat(token.apply("ben@example.com", KEY)).isNotEqualTo(first);
    assertThat((String) first).startsWith("tok_").hasSize(26).doesNotContain("anna");
    byte[] other = new byte[32];
    other[0] = 1;
    TokenKey otherKey =
        TokenKey.fromConfig(Map.of(TokenKey.CONFIG_KEY, Base64.getEncoder().encodeToString(other)));
    assertThat(token.apply("anna@example.com", otherKey)).isNotEqualTo(first);
    assertThatThrownBy(() -> token.apply("x", null)).hasMessageContaining(TokenKey.CONFIG_KEY);
  }

  @Test
  void keyFailsFastWithoutLeakingIt() {
    assertThatThrownBy(() -> TokenKey.fromConfig(Map.of()))
        .hasMessageStartingWith("Cannot read " + TokenKey.CONFIG_KEY);
    String shortKey = Base64.getEncoder().encodeToString("sixteen-bytes-ab".getBytes());
    assertThatThrownBy(() -> TokenKey.fromConfig(Map.of(TokenKey.CONFIG_KEY, shortKey)))
        .hasMessageContaining("16 bytes")
        .hasMessageNotContaining(shortKey);
    assertThatThrownBy(() -> TokenKey.fromConfig(Map.of(TokenKey.CONFIG_KEY, "not base64!")))
        .hasMessageContaining("not base64");
    assertThat(KEY.toString()).doesNotContain(SECRET);
  }

  @Test
  void masksRedactsGeneralisesDrops() {
    assertThat(Protection.mask(4).apply("4111 1111 1111 1111", null))
        .isEqualTo("**** **** **** 1111");
    assertThat(Protection.mask(4).apply("NL91ABNA0417164300", null))
        .isEqualTo("**************4300");
    assertThat(Protection.mask(2).apply("+31 6 12345678", null)).isEqualTo("+** * ******78");
    assertThat(Protection.mask(10).apply("abc", null)).isEqualTo("abc");
    assertThat(Protection.of(Protection.Method.REDACT).apply("Main St 1", null))
        .isEqualTo(Protection.REDACTED);
    assertThat(Protection.of(Protection.Method.GENERALISE).apply(LocalDate.of(1984, 7, 3), null))
        .isEqualTo(1984);
    assertThat(Protection.of(Protection.Method.DROP).apply("x", null)).isNull();
    assertThat(Protection.mask(4).apply(null, null)).isNull();
  }

  @Test
  void parsesPolicyNames() {
    assertThat(Protection.parse("mask:2")).isEqualTo(Protection.mask(2));
    assertThat(Protection.parse("mask")).isEqualTo(Protection.mask(4));
    assertThat(Protection.parse("generalize").method()).isEqualTo(Protection.Method.GENERALISE);
    assertThat(Protection.parse("token").toString()).isEqualTo("token");
    assertThatThrownBy(() -> Protection.parse("shred")).hasMessageContaining("known token");
    assertThatThrownBy(() -> Protection.parse("mask:x")).hasMessageContaining("mask:N");
  }
}
