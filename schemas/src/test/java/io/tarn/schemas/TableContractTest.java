package io.tarn.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class TableContractTest {

  private static Schema order(String totalAmountField) {
    return new Schema.Parser()
        .parse(
            "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"io.tarn.shop\","
                + "\"doc\":\"Orders.\",\"table\":\"orders\",\"topic\":\"shop.orders\","
                + "\"key\":[\"order_id\"],\"owner\":\"team-checkout\",\"fields\":["
                + "{\"name\":\"order_id\",\"type\":\"string\"},"
                + "{\"name\":\"status\",\"type\":\"string\"},"
                + totalAmountField
                + "]}");
  }

  private static Schema withRecordProps(String props) {
    return new Schema.Parser()
        .parse(
            "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"io.tarn.shop\","
                + props
                + "\"fields\":[{\"name\":\"order_id\",\"type\":\"string\"}]}");
  }

  private static final String DECIMAL =
      "{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":12,\"scale\":2}";

  @Test
  void parsesRulesWithTheirParameters() {
    TableContract contract =
        TableContract.of(
            order(
                "{\"name\":\"total_amount\",\"type\":"
                    + DECIMAL
                    + ",\"quality\":[{\"rule\":\"range\","
                    + "\"min\":0,\"max\":0.5,\"action\":\"fail\"}]}"));
    QualityRule rule = contract.rules().get(0);
    assertThat(rule.id()).isEqualTo("orders.total_amount.range");
    assertThat(rule.field()).isEqualTo("total_amount");
    assertThat(rule.kind()).isEqualTo(RuleKind.RANGE);
    assertThat(rule.action()).isEqualTo(RuleAction.FAIL);
    assertThat(rule.min()).hasValue(BigDecimal.ZERO);
    assertThat(rule.max()).hasValue(new BigDecimal("0.5"));
    assertThat(contract.field("total_amount").orElseThrow().rules()).containsExactly(rule);
  }

  @Test
  void rejectsUnknownRuleNamingTheField() {
    assertThatThrownBy(
            () ->
                TableContract.of(
                    order(
                        "{\"name\":\"total_amount\",\"type\":"
                            + DECIMAL
                            + ",\"quality\":[{\"rule\":\"rnage\",\"min\":0,\"action\":\"quarantine\"}]}")))
        .isInstanceOf(SchemaContractException.class)
        .hasMessageStartingWith(
            "Cannot read contract of io.tarn.shop.Order: field total_amount has unknown rule 'rnage'");
  }

  @Test
  void rejectsUnknownAction() {
    assertThatThrownBy(
            () ->
                TableContract.of(
                    order(
                        "{\"name\":\"total_amount\",\"type\":"
                            + DECIMAL
                            + ",\"quality\":[{\"rule\":\"range\",\"min\":0,\"action\":\"ignore\"}]}")))
        .isInstanceOf(SchemaContractException.class)
        .hasMessageContaining("field total_amount has unknown action 'ignore'")
        .hasMessageContaining("quarantine");
  }

  @Test
  void rejectsRuleWithoutAction() {
    assertThatThrownBy(
            () ->
                TableContract.of(
                    order(
                        "{\"name\":\"total_amount\",\"type\":"
                            + DECIMAL
                            + ",\"quality\":[{\"rule\":\"range\",\"min\":0}]}")))
        .isInstanceOf(SchemaContractException.class)
        .hasMessageContaining("field total_amount rule range has no 'action'");
  }

  @Test
  void rejectsUnknownClassification() {
    assertThatThrownBy(
            () ->
                TableContract.of(
                    order(
                        "{\"name\":\"total_amount\",\"type\":\"int\",\"classification\":\"secret\"}")))
        .isInstanceOf(SchemaContractException.class)
        .hasMessageContaining("field total_amount has unknown classification 'secret'");
  }

  @Test
  void rejectsUnknownPiiType() {
    assertThatThrownBy(
            () ->
                TableContract.of(
                    order("{\"name\":\"total_amount\",\"type\":\"int\",\"pii\":\"salary\"}")))
        .isInstanceOf(SchemaContractException.class)
        .hasMessageContaining("field total_amount has unknown pii type 'salary'");
  }

  @Test
  void rejectsRangeOnNonNumericField() {
    assertThatThrownBy(
            () ->
                TableContract.of(
                    order(
                        "{\"name\":\"total_amount\",\"type\":\"string\",\"quality\":[{\"rule\":\"range\",\"min\":0,\"action\":\"warn\"}]}")))
        .isInstanceOf(SchemaContractException.class)
        .hasMessageContaining(
            "field total_amount rule range needs a numeric type, but the type is string");
  }

  @Test
  void rejectsRangeWithoutBounds() {
    assertThatThrownBy(
            () ->
                TableContract.of(
                    order(
                        "{\"name\":\"total_amount\",\"type\":\"int\",\"quality\":[{\"rule\":\"range\",\"action\":\"warn\"}]}")))
        .isInstanceOf(SchemaContractException.class)
        .hasMessageContaining("field total_amount rule range has neither 'min' nor 'max'");
  }

  @Test
  void rejectsMisspelledRuleProperty() {
    assertThatThrownBy(
            () ->
                TableContract.of(
                    order(
                        "{\"name\":\"total_amount\",\"type\":\"int\",\"quality\":[{\"rule\":\"range\",\"mni\":0,\"action\":\"warn\"}]}")))
        .isInstanceOf(SchemaContractException.class)
        .hasMessageContaining("field total_amount rule range has unknown property 'mni'");
  }

  @Test
  void rejectsNotNullOnNonNullableField() {
    assertThatThrownBy(
            () ->
                TableContract.of(
                    order(
                        "{\"name\":\"total_amount\",\"type\":\"int\",\"quality\":[{\"rule\":\"not_null\",\"action\":\"warn\"}]}")))
        .isInstanceOf(SchemaContractException.class)
        .hasMessageContaining(
            "field total_amount rule not_null needs a nullable type, but the type is int");
  }

  @Test
  void rejectsInvalidPattern() {
    assertThatThrownBy(
            () ->
                TableContract.of(
                    order(
                        "{\"name\":\"total_amount\",\"type\":\"string\",\"quality\":[{\"rule\":\"regex\",\"pattern\":\"[0-9\",\"action\":\"warn\"}]}")))
        .isInstanceOf(SchemaContractException.class)
        .hasMessageContaining("field total_amount rule regex has an invalid pattern");
  }

  @Test
  void rejectsAllowedWithoutValues() {
    assertThatThrownBy(
            () ->
                TableContract.of(
                    order(
                        "{\"name\":\"total_amount\",\"type\":\"string\",\"quality\":[{\"rule\":\"allowed\",\"values\":[],\"action\":\"warn\"}]}")))
        .isInstanceOf(SchemaContractException.class)
        .hasMessageContaining("field total_amount rule allowed has no non-empty 'values' array");
  }

  @Test
  void rejectsTwoRulesOfTheSameKind() {
    assertThatThrownBy(
            () ->
                TableContract.of(
                    order(
                        "{\"name\":\"total_amount\",\"type\":\"int\",\"quality\":[{\"rule\":\"range\",\"min\":0,\"action\":\"warn\"},"
                            + "{\"rule\":\"range\",\"max\":9,\"action\":\"drop\"}]}")))
        .isInstanceOf(SchemaContractException.class)
        .hasMessageContaining("field total_amount has two rules of kind range");
  }

  @Test
  void rejectsMissingRecordProperties() {
    assertThatThrownBy(
            () ->
                TableContract.of(
                    withRecordProps(
                        "\"doc\":\"d\",\"topic\":\"t\",\"key\":[\"order_id\"],\"owner\":\"o\",")))
        .isInstanceOf(SchemaContractException.class)
        .hasMessage("Cannot read contract of io.tarn.shop.Order: missing property 'table'");
    assertThatThrownBy(
            () ->
                TableContract.of(
                    withRecordProps(
                        "\"doc\":\"d\",\"table\":\"t\",\"topic\":\"t\",\"owner\":\"o\",")))
        .isInstanceOf(SchemaContractException.class)
        .hasMessage("Cannot read contract of io.tarn.shop.Order: missing property 'key'");
    assertThatThrownBy(
            () ->
                TableContract.of(
                    withRecordProps(
                        "\"table\":\"t\",\"topic\":\"t\",\"key\":[\"order_id\"],\"owner\":\"o\",")))
        .isInstanceOf(SchemaContractException.class)
        .hasMessage("Cannot read contract of io.tarn.shop.Order: missing property 'doc'");
  }

  @Test
  void rejectsKeyNamingMissingField() {
    assertThatThrownBy(
            () ->
                TableContract.of(
                    withRecordProps(
                        "\"doc\":\"d\",\"table\":\"t\",\"topic\":\"t\",\"key\":[\"order_no\"],\"owner\":\"o\",")))
        .isInstanceOf(SchemaContractException.class)
        .hasMessage(
            "Cannot read contract of io.tarn.shop.Order: key field order_no is not a field of the record");
  }

  @Test
  void rejectsNonRecordSchema() {
    assertThatThrownBy(() -> TableContract.of(Schema.create(Schema.Type.STRING)))
        .isInstanceOf(SchemaContractException.class)
        .hasMessageContaining("not a record");
  }

  @Test
  void defaultsClassificationToInternal() {
    TableContract contract =
        TableContract.of(order("{\"name\":\"total_amount\",\"type\":\"int\"}"));
    assertThat(contract.field("total_amount").orElseThrow().classification())
        .isEqualTo(Classification.INTERNAL);
    assertThat(contract.field("total_amount").orElseThrow().rules()).isEmpty();
    assertThat(contract.field("total_amount").orElseThrow().doc()).isEmpty();
  }
}
