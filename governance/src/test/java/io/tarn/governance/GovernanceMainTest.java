package io.tarn.governance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GovernanceMainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String stdin, String... args) {
    return GovernanceMain.run(
        args,
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void piiDetectPrintsOneJsonObjectPerFindingWithoutTheValue() throws Exception {
    String input = "nothing here\nmail anna@example.com, card 4111-1111-1111-1111\n";
    assertThat(run(input, "pii", "detect")).isZero();
    String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
    assertThat(lines).hasSize(2);
    JsonNode email = new ObjectMapper().readTree(lines[0]);
    assertThat(email.get("line").asInt()).isEqualTo(2);
    assertThat(email.get("entity_type").asText()).isEqualTo("email");
    assertThat(email.get("start").asInt()).isEqualTo(5);
    assertThat(email.get("end").asInt()).isEqualTo(5 + "anna@example.com".length());
    assertThat(email.get("confidence").asDouble()).isBetween(0.5, 1.0);
    assertThat(new ObjectMapper().readTree(lines[1]).get("entity_type").asText())
        .isEqualTo("card_number");
    assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("anna").doesNotContain("4111");
  }

  @Test
  void usageErrorsExitTwo() {
    assertThat(run("", "pii")).isEqualTo(2);
    assertThat(run("", "pii", "detect", "--threshold")).isEqualTo(2);
    assertThat(run("", "access", "explain", "--user", "x")).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--policy is required");
  }
}
