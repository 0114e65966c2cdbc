package io.tarn.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

class QualityRuleTest {

  private static QualityRule rule(String id) {
    String table = id.substring(0, id.indexOf('.'));
    return DomainSchemas.forTable(table).rules().stream()
        .filter(rule -> rule.id().equals(id))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no rule " + id));
  }

  @Test
  void notNullFailsOnlyOnNull() {
    QualityRule rule = rule("orders.customer_id.not_null");
    assertThat(rule.kind()).isEqualTo(RuleKind.NOT_NULL);
    assertThat(rule.violation(null)).isEqualTo("customer_id is null");
    assertThat(rule.violation(new Utf8("C0000001"))).isNull();
  }

  @Test
  void rangeChecksDecimalBounds() {
    QualityRule rule = rule("orders.total_amount.range");
    assertThat(rule.violation(new BigDecimal("-5.00")))
        .isEqualTo("total_amount -5.00 is below the minimum 0");
    assertThat(rule.violation(new BigDecimal("1000000.01")))
        .isEqualTo("total_amount 1000000.01 is above the maximum 1000000");
    assertThat(rule.violation(new BigDecimal("0.00"))).isNull();
    assertThat(rule.violation(new BigDecimal("1000000.00"))).isNull();
  }

  @Test
  void rangeChecksIntegerBounds() {
    QualityRule rule = rule("order_items.quantity.range");
    assertThat(rule.violation(0)).isEqualTo("quantity 0 is below the minimum 1");
    assertThat(rule.violation(1001)).isEqualTo("quantity 1001 is above the maximum 1000");
    assertThat(rule.violation(1)).isNull();
    assertThat(rule.violation(1000L)).isNull();
    assertThat(rule.violation(999.5d)).isNull();
    assertThat(rule.violation(Double.NaN)).contains("is not a finite number");
  }

  @Test
  void rangeWithOnlyMinimumHasNoUpperBound() {
    QualityRule rule = rule("order_items.unit_price.range");
    assertThat(rule.max()).isEmpty();
    assertThat(rule.violation(new BigDecimal("99999999.99"))).isNull();
    assertThat(rule.violation(new BigDecimal("-0.01")))
        .isEqualTo("unit_price -0.01 is below the minimum 0");
  }

  @Test
  void regexSearchesThePattern() {
    QualityRule rule = rule("clickstream.url.regex");
    assertThat(rule.violation(new Utf8("https://shop.example/p/1"))).isNull();
    assertThat(rule.violation("ftp://shop.example/"))
        .isEqualTo("url 'ftp://shop.example/' does not match ^https?://.*");
  }

  @Test
  void allowedAcceptsListedValuesOfAnyStringType() {
    QualityRule rule = rule("orders.status.allowed");
    assertThat(rule.values()).containsExactly("placed", "paid", "shipped", "cancelled");
    assertThat(rule.violation(new Utf8("paid"))).isNull();
    assertThat(rule.violation("shipped")).isNull();
    assertThat(rule.violation(new Utf8("refunded")))
        .isEqualTo("status 'refunded' is not one of [placed, paid, shipped, cancelled]");
    Schema statusEnum = Schema.createEnum("Status", null, "io.tarn.shop", List.of("paid", "lost"));
    assertThat(rule.violation(new GenericData.EnumSymbol(statusEnum, "paid"))).isNull();
    assertThat(rule.violation(new GenericData.EnumSymbol(statusEnum, "lost"))).isNotNull();
  }

  @Test
  void rulesOtherThanNotNullPassOnNull() {
    for (TableContract contract : DomainSchemas.all()) {
      for (QualityRule rule : contract.rules()) {
        if (rule.kind() != RuleKind.NOT_NULL) {
          assertThat(rule.violation(null)).as(rule.id()).isNull();
        }
      }
    }
  }

  @Test
  void readsEachActionFromTheContract() {
    Map<String, RuleAction> actions =
        DomainSchemas.all().stream()
            .flatMap(contract -> contract.rules().stream())
            .collect(Collectors.toMap(QualityRule::id, QualityRule::action));
    assertThat(actions)
        .containsEntry("orders.total_amount.range", RuleAction.QUARANTINE)
        .containsEntry("order_items.unit_price.range", RuleAction.DROP)
        .containsEntry("payments.currency.allowed", RuleAction.WARN)
        .containsEntry("clickstream.url.regex", RuleAction.WARN)
        .containsEntry("customers.email.regex", RuleAction.QUARANTINE);
    TableContract failing =
        TableContract.of(
            new Schema.Parser()
                .parse(
                    "{\"type\":\"record\",\"name\":\"T\",\"doc\":\"d\",\"table\":\"t\",\"topic\":\"x.t\","
                        + "\"key\":[\"id\"],\"owner\":\"o\",\"fields\":[{\"name\":\"id\",\"type\":\"long\","
                        + "\"quality\":[{\"rule\":\"range\",\"min\":1,\"action\":\"fail\"}]}]}"));
    assertThat(failing.rules().get(0).action()).isEqualTo(RuleAction.FAIL);
    assertThat(failing.rules().get(0).violation(0L)).isEqualTo("id 0 is below the minimum 1");
  }

  @Test
  void reasonOfPiiFieldDoesNotContainTheValue() {
    QualityRule rule = rule("customers.email.regex");
    String value = "jane.doe.at.example.org";
    String reason = rule.violation(new Utf8(value));
    assertThat(reason)
        .isNotNull()
        .startsWith("email ")
        .doesNotContain(value)
        .doesNotContain("jane");
    assertThat(rule.violation(new Utf8("jane.doe@example.org"))).isNull();
  }

  @Test
  void idsAreTableFieldRule() {
    assertThat(
            DomainSchemas.all().stream()
                .flatMap(contract -> contract.rules().stream())
                .map(QualityRule::id))
        .contains(
            "customers.email.regex",
            "customers.country.allowed",
            "orders.customer_id.not_null",
            "order_items.category.allowed",
            "payments.method.allowed",
            "clickstream.action.allowed")
        .doesNotHaveDuplicates();
  }
}
