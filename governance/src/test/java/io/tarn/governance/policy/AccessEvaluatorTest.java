package io.tarn.governance.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tarn.governance.policy.TableAccess.ColumnAccess;
import io.tarn.governance.policy.TableAccess.Visibility;
import io.tarn.governance.protect.Protection;
import java.nio.file.Files;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class AccessEvaluatorTest {
  private final AccessEvaluator evaluator;

  AccessEvaluatorTest() throws Exception {
    evaluator = new AccessEvaluator(Policy.parse("example", Files.readString(PolicyTest.EXAMPLE)));
  }

  private Map<String, ColumnAccess> columns(String user, String table) {
    return evaluator.explain(user, table).columns().stream()
        .collect(Collectors.toMap(c -> c.column().name(), c -> c));
  }

  @Test
  void denyByDefault() {
    TableAccess stranger = evaluator.explain("mallory", "silver.customers");
    assertThat(stranger.readable()).isFalse();
    assertThat(stranger.columns()).allMatch(c -> c.visibility() == Visibility.DENIED);
    assertThat(evaluator.explain("carol", "silver.quarantine").readable()).isFalse();
  }

  @Test
  void bronzeOnlyForItsOwners() {
    assertThat(evaluator.explain("bob", "bronze.customers").readable()).isTrue();
    assertThat(evaluator.explain("bob", "bronze.payments").readable()).isFalse();
    assertThat(evaluator.explain("pat", "bronze.payments").readable()).isTrue();
    assertThat(evaluator.explain("erin", "bronze.customers").reason()).contains("team-accounts");
  }

  @Test
  void tagMasksApplyUnlessTheRoleIsExempt() {
    Map<String, ColumnAccess> carol = columns("carol", "silver.customers");
    assertThat(carol.get("email").visibility()).isEqualTo(Visibility.MASKED);
    assertThat(carol.get("email").mask().toString()).isEqualTo("partial:4");
    assertThat(carol.get("birth_date").maskSql()).isEqualTo("date_trunc('year', \"birth_date\")");
    assertThat(carol.get("name").maskSql()).isEqualTo("CAST(NULL AS varchar)");
    assertThat(carol.get("country").visibility()).isEqualTo(Visibility.VISIBLE);

    Map<String, ColumnAccess> erin = columns("erin", "silver.customers");
    assertThat(erin.get("email").visibility()).isEqualTo(Visibility.VISIBLE);
    assertThat(erin.get("email").why()).contains("pii_reader");
  }

  @Test
  void restrictedColumnsAreDeniedAndColumnGrantsLimit() {
    Map<String, ColumnAccess> bob = columns("bob", "silver.payments");
    assertThat(bob.get("card_number").visibility()).isEqualTo(Visibility.DENIED);
    assertThat(bob.get("amount").visibility()).isEqualTo(Visibility.VISIBLE);
    assertThat(columns("pat", "silver.payments").get("card_number").visibility())
        .isEqualTo(Visibility.VISIBLE);
    assertThat(columns("carol", "silver.payments").get("source").why())
        .isEqualTo("not in the granted columns");
  }

  @Test
  void rowFiltersFollowRoles() {
    assertThat(evaluator.explain("dave", "silver.customers").rowFilter()).startsWith("country IN");
    assertThat(evaluator.explain("carol", "silver.customers").rowFilter()).isNull();
    assertThat(evaluator.explain("ada", "silver.customers").owner()).isTrue();
    assertThat(evaluator.explain("ada", "silver.customers").rowFilter()).isNull();
  }

  @Test
  void unknownTableFails() {
    assertThatThrownBy(() -> evaluator.explain("carol", "silver.nope"))
        .hasMessageStartingWith("Cannot explain access to silver.nope");
  }

  @Test
  void explanationTextNamesEveryColumnAndTheFilter() {
    String text = AccessExplanation.text(evaluator.explain("dave", "silver.customers"));
    assertThat(text).contains("readable").contains("rows: where country IN");
    assertThat(text)
        .containsPattern("email +pii:email,classification:confidential +masked partial:4");
    assertThat(text).containsPattern("country +classification:public +visible");
    assertThat(AccessExplanation.text(evaluator.explain("carol", "bronze.orders")))
        .contains("denied (bronze: no owner role of team-checkout)");
  }

  @Test
  void partialMaskSqlMasksLikeSilverMask() {
    // the same regex runs in Trino (Joni); Java's engine agrees on this syntax
    for (String value :
        new String[] {"anna@example.com", "+31 6 12345678", "ab", "", "a-b-c-d-e"}) {
      for (int keep : new int[] {0, 2, 4}) {
        String sql = value.replaceAll(MaskMethod.partialRegex(keep), "*");
        assertThat(sql).isEqualTo(Protection.mask(value, keep));
      }
    }
    assertThat(Pattern.compile(MaskMethod.partialRegex(4))).isNotNull();
  }
}
