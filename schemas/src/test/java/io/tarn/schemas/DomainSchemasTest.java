package io.tarn.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

class DomainSchemasTest {

  @Test
  void loadsTheFiveShopTables() {
    assertThat(DomainSchemas.all())
        .extracting(TableContract::table)
        .containsExactly("customers", "orders", "order_items", "payments", "clickstream");
  }

  @Test
  void everySchemaStartsWithTheEnvelope() {
    for (TableContract contract : DomainSchemas.all()) {
      List<Schema.Field> fields = contract.schema().getFields();
      assertThat(fields).as(contract.table()).hasSizeGreaterThan(4);
      assertThat(fields.subList(0, 4))
          .as("envelope of %s", contract.table())
          .extracting(Schema.Field::name)
          .containsExactly("event_id", "event_time", "source", "schema_version");
      assertThat(fields.get(0).schema().getType()).isEqualTo(Schema.Type.STRING);
      assertThat(fields.get(1).schema().getType()).isEqualTo(Schema.Type.LONG);
      assertThat(fields.get(1).schema().getLogicalType()).isEqualTo(LogicalTypes.timestampMillis());
      assertThat(fields.get(2).schema().getType()).isEqualTo(Schema.Type.STRING);
      assertThat(fields.get(3).schema().getType()).isEqualTo(Schema.Type.INT);
    }
  }

  @Test
  void everyKeyNamesNonNullFieldsOfTheRecord() {
    for (TableContract contract : DomainSchemas.all()) {
      assertThat(contract.key()).as("key of %s", contract.table()).isNotEmpty();
      for (String key : contract.key()) {
        Schema.Field field = contract.schema().getField(key);
        assertThat(field).as("key field %s of %s", key, contract.table()).isNotNull();
        // a key must always be there: Kafka partitions and silver dedupes by it
        assertThat(field.schema().getType())
            .as("type of key field %s", key)
            .isNotEqualTo(Schema.Type.UNION);
      }
    }
  }

  @Test
  void topicsAndSubjectsFollowTheNamingConvention() {
    for (TableContract contract : DomainSchemas.all()) {
      assertThat(contract.topic()).isEqualTo("shop." + contract.table());
      assertThat(contract.subject()).isEqualTo("shop." + contract.table() + "-value");
      assertThat(contract.schema().getNamespace()).isEqualTo("io.tarn.shop");
      assertThat(contract.owner()).isNotBlank();
      assertThat(contract.doc()).isNotBlank();
    }
  }

  @Test
  void findsContractsByTableAndTopic() {
    assertThat(DomainSchemas.forTable("orders").schema().getName()).isEqualTo("Order");
    assertThat(DomainSchemas.forTopic("shop.payments"))
        .map(TableContract::table)
        .hasValue("payments");
    assertThat(DomainSchemas.forTopic("shop.returns")).isEmpty();
  }

  @Test
  void rejectsUnknownTableListingKnownOnes() {
    assertThatThrownBy(() -> DomainSchemas.forTable("returns"))
        .isInstanceOf(SchemaContractException.class)
        .hasMessageContaining("returns")
        .hasMessageContaining("customers")
        .hasMessageContaining("clickstream");
  }

  @Test
  void exposesGovernanceAnnotations() {
    TableContract customers = DomainSchemas.forTable("customers");
    assertThat(customers.field("email").orElseThrow().pii()).hasValue("email");
    assertThat(customers.field("email").orElseThrow().classification())
        .isEqualTo(Classification.CONFIDENTIAL);
    assertThat(customers.field("customer_id").orElseThrow().pii()).isEmpty();
    assertThat(customers.field("customer_id").orElseThrow().classification())
        .isEqualTo(Classification.INTERNAL);
    assertThat(customers.field("nope")).isEmpty();
    TableContract payments = DomainSchemas.forTable("payments");
    assertThat(payments.field("card_number").orElseThrow().classification())
        .isEqualTo(Classification.RESTRICTED);
    assertThat(payments.field("iban").orElseThrow().pii()).hasValue("iban");
    assertThat(DomainSchemas.forTable("orders").doc()).contains("EUR");
  }

  @Test
  void buildsKafkaKeysFromKeyFields() {
    TableContract items = DomainSchemas.forTable("order_items");
    GenericData.Record item = new GenericData.Record(items.schema());
    item.put("order_id", new Utf8("O000000042"));
    item.put("line_no", 2);
    assertThat(items.keyOf(item)).isEqualTo("O000000042:2");
    TableContract orders = DomainSchemas.forTable("orders");
    GenericData.Record order = new GenericData.Record(orders.schema());
    order.put("order_id", "O000000042");
    assertThat(orders.keyOf(order)).isEqualTo("O000000042");
    order.put("order_id", null);
    assertThatThrownBy(() -> orders.keyOf(order))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot build key of orders record: key field order_id is null");
  }

  @Test
  void survivesJavaSerialization() throws IOException, ClassNotFoundException {
    TableContract orders = DomainSchemas.forTable("orders");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(orders);
    }
    TableContract copy;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (TableContract) in.readObject();
    }
    assertThat(copy).isEqualTo(orders);
    assertThat(copy.schema()).isEqualTo(orders.schema());
    assertThat(copy.rules()).isEqualTo(orders.rules());
    assertThat(copy.rules().get(0).violation(null)).isEqualTo("customer_id is null");
  }
}
