package io.tarn.jobs.silver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tarn.schemas.DomainSchemas;
import io.tarn.schemas.FieldContract;
import io.tarn.schemas.TableContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SilverTableTest {
  static List<TableContract> contracts() {
    return DomainSchemas.all();
  }

  private static Types.NestedField column(String table, String name) {
    Types.NestedField column =
        new SilverTable(DomainSchemas.forTable(table)).schema().findField(name);
    assertThat(column).as(table + "." + name).isNotNull();
    return column;
  }

  /** A contract around one extra field, to try types the domain does not use. */
  private static TableContract contractWith(String fieldJson) {
    return TableContract.of(
        new Schema.Parser()
            .parse(
                """
                {"type": "record", "name": "Widget", "namespace": "io.tarn.test",
                 "doc": "Test table.", "table": "widgets", "topic": "test.widgets",
                 "key": ["id"], "owner": "team-test",
                 "fields": [
                   {"name": "id", "type": "string"},
                   {"name": "event_time", "type": {"type": "long", "logicalType": "timestamp-millis"}},
                """
                    + fieldJson
                    + "]}"));
  }

  @ParameterizedTest
  @MethodSource("contracts")
  void columnsAreTheAvroFieldsInOrderThenTheLineageColumns(TableContract contract) {
    SilverTable table = new SilverTable(contract);

    List<String> expected = new ArrayList<>();
    contract.schema().getFields().forEach(f -> expected.add(f.name()));
    expected.addAll(SilverTable.LINEAGE_COLUMNS);
    assertThat(table.schema().columns()).extracting(Types.NestedField::name).isEqualTo(expected);
    assertThat(table.rowType().getFieldNames()).isEqualTo(expected);
  }

  @ParameterizedTest
  @MethodSource("contracts")
  void columnsAreOptionalExactlyWhenTheAvroTypeIsANullableUnionAndCarryTheFieldDocs(
      TableContract contract) {
    SilverTable table = new SilverTable(contract);

    for (Schema.Field field : contract.schema().getFields()) {
      Types.NestedField column = table.schema().findField(field.name());
      boolean nullUnion =
          field.schema().getType() == Schema.Type.UNION
              && field.schema().getTypes().size() == 2
              && field.schema().getTypes().get(0).getType() == Schema.Type.NULL;
      assertThat(column.isOptional()).as(field.name()).isEqualTo(nullUnion);
      assertThat(field.doc()).as(field.name()).isNotBlank();
      assertThat(column.doc()).as(field.name()).startsWith(field.doc() + " [");
    }
  }

  @ParameterizedTest
  @MethodSource("contracts")
  void lineageColumnsAreRequiredWithTheirTypes(TableContract contract) {
    SilverTable table = new SilverTable(contract);
    List<Types.NestedField> columns = table.schema().columns();
    List<Types.NestedField> lineage =
        columns.subList(columns.size() - SilverTable.LINEAGE_COLUMNS.size(), columns.size());

    assertThat(lineage).allSatisfy(c -> assertThat(c.isRequired()).as(c.name()).isTrue());
    assertThat(lineage)
        .extracting(Types.NestedField::type)
        .containsExactly(
            Types.IntegerType.get(),
            Types.LongType.get(),
            Types.IntegerType.get(),
            Types.TimestampType.withZone());
  }

  @ParameterizedTest
  @MethodSource("contracts")
  void tableIsSilverDotTableNamePartitionedByEventDay(TableContract contract) {
    SilverTable table = new SilverTable(contract);

    assertThat(table.id().toString()).isEqualTo("silver." + contract.table());
    assertThat(table.spec().fields()).hasSize(1);
    PartitionField partition = table.spec().fields().get(0);
    assertThat(partition.transform().toString()).isEqualTo("day");
    assertThat(table.schema().findColumnName(partition.sourceId())).isEqualTo("event_time");
  }

  @Test
  void logicalTypesMapToTheirIcebergTypes() {
    assertThat(column("orders", "total_amount").type()).isEqualTo(Types.DecimalType.of(12, 2));
    assertThat(column("order_items", "unit_price").type()).isEqualTo(Types.DecimalType.of(10, 2));
    assertThat(column("payments", "amount").type()).isEqualTo(Types.DecimalType.of(12, 2));
    assertThat(column("customers", "birth_date").type()).isEqualTo(Types.DateType.get());
    assertThat(column("customers", "created_at").type()).isEqualTo(Types.TimestampType.withZone());
    assertThat(column("orders", "event_time").type()).isEqualTo(Types.TimestampType.withZone());
  }

  @Test
  void primitiveTypesMapToTheirIcebergTypes() {
    assertThat(column("orders", "event_id").type()).isEqualTo(Types.StringType.get());
    assertThat(column("orders", "schema_version").type()).isEqualTo(Types.IntegerType.get());
    assertThat(column("order_items", "quantity").type()).isEqualTo(Types.IntegerType.get());
    assertThat(column("clickstream", "url").type()).isEqualTo(Types.StringType.get());
  }

  @Test
  void nullableUnionsBecomeOptionalColumnsOfTheirValueType() {
    Types.NestedField birthDate = column("customers", "birth_date");
    assertThat(birthDate.isOptional()).isTrue();
    assertThat(birthDate.type()).isEqualTo(Types.DateType.get());
    Types.NestedField customerId = column("orders", "customer_id");
    assertThat(customerId.isOptional()).isTrue();
    assertThat(customerId.type()).isEqualTo(Types.StringType.get());
    assertThat(column("orders", "order_id").isRequired()).isTrue();
  }

  @Test
  void docsOfTheContractBecomeColumnDocs() {
    assertThat(column("orders", "total_amount").doc())
        .isEqualTo("Order total in EUR, including VAT. [internal]");
    assertThat(column("customers", "email").doc())
        .isEqualTo("Contact e-mail address. [confidential, pii:email]");
  }

  @ParameterizedTest
  @MethodSource("contracts")
  void propertiesCarryTheContractsGovernanceMetadata(TableContract contract) {
    Map<String, String> props = new SilverTable(contract).properties();

    assertThat(props)
        .containsEntry("tarn.zone", "silver")
        .containsEntry("tarn.owner", contract.owner())
        .containsEntry("tarn.source-topic", contract.topic())
        .containsEntry("tarn.key", String.join(",", contract.key()))
        .containsEntry("comment", contract.doc());
    for (FieldContract field : contract.fields()) {
      String prefix = "tarn.column." + field.name() + ".";
      assertThat(props)
          .containsEntry(
              prefix + "classification", field.classification().name().toLowerCase(Locale.ROOT));
      if (field.pii().isPresent()) {
        assertThat(props).containsEntry(prefix + "pii", field.pii().get());
      } else {
        assertThat(props).doesNotContainKey(prefix + "pii");
      }
    }
  }

  @Test
  void customersPropertiesTagPiiAndClassification() {
    Map<String, String> props = new SilverTable(DomainSchemas.forTable("customers")).properties();

    assertThat(props)
        .containsEntry("tarn.owner", "team-accounts")
        .containsEntry("tarn.column.email.pii", "email")
        .containsEntry("tarn.column.email.classification", "confidential")
        .containsEntry("tarn.column.birth_date.pii", "birth_date")
        .containsEntry("tarn.column.country.classification", "public")
        .containsEntry("tarn.column.customer_id.classification", "internal")
        .doesNotContainKey("tarn.column.customer_id.pii")
        .doesNotContainKey("tarn.column.country.pii")
        .containsEntry("tarn.classification", "confidential");
    assertThat(props.get("tarn.tags").split(","))
        .contains("zone:silver", "pii", "pii:email", "pii:birth_date")
        .doesNotContain("pii:card_number");
    assertThat(new SilverTable(DomainSchemas.forTable("payments")).properties())
        .containsEntry("tarn.column.card_number.pii", "card_number")
        .containsEntry("tarn.column.card_number.classification", "restricted");
    assertThat(new SilverTable(DomainSchemas.forTable("order_items")).properties())
        .containsEntry("tarn.key", "order_id,line_no");
  }

  @Test
  void otherAvroPrimitivesAreMapped() {
    TableContract contract =
        contractWith(
            """
            {"name": "flag", "type": "boolean"},
            {"name": "ratio", "type": "float"},
            {"name": "score", "type": "double"},
            {"name": "count", "type": "long"},
            {"name": "blob", "type": "bytes"},
            {"name": "kind", "type": {"type": "enum", "name": "Kind", "symbols": ["A", "B"]}},
            {"name": "micros", "type": {"type": "long", "logicalType": "timestamp-micros"}}
            """);

    SilverTable table = new SilverTable(contract);

    Map<String, Type> expected =
        Map.of(
            "flag", Types.BooleanType.get(),
            "ratio", Types.FloatType.get(),
            "score", Types.DoubleType.get(),
            "count", Types.LongType.get(),
            "blob", Types.BinaryType.get(),
            "kind", Types.StringType.get(),
            "micros", Types.TimestampType.withZone());
    expected.forEach(
        (name, type) -> assertThat(table.schema().findType(name)).as(name).isEqualTo(type));
  }

  @Test
  void nestedRecordFieldFailsNamingTheField() {
    TableContract contract =
        contractWith(
            """
            {"name": "dimensions", "type": {"type": "record", "name": "Dimensions",
              "fields": [{"name": "width", "type": "int"}]}}
            """);

    assertThatThrownBy(() -> new SilverTable(contract))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot map field dimensions of widgets")
        .hasMessageContaining("RECORD");
  }

  @Test
  void arrayFieldMapsToAList() {
    TableContract contract =
        contractWith(
            "{\"name\": \"tags\", \"type\": {\"type\": \"array\", \"items\": \"string\"}}");

    Types.NestedField tags = new SilverTable(contract).schema().findField("tags");
    assertThat(tags.isRequired()).isTrue();
    assertThat(tags.type().isListType()).isTrue();
    assertThat(tags.type().asListType().elementType()).isEqualTo(Types.StringType.get());
    assertThat(tags.type().asListType().isElementRequired()).isTrue();
  }

  @Test
  void nullableArrayOfNullableElementsMapsToAnOptionalList() {
    TableContract contract =
        contractWith(
            """
            {"name": "tags", "type": ["null", {"type": "array", "items": ["null", "long"]}],
             "default": null}
            """);

    Types.NestedField tags = new SilverTable(contract).schema().findField("tags");
    assertThat(tags.isOptional()).isTrue();
    assertThat(tags.type().asListType().elementType()).isEqualTo(Types.LongType.get());
    assertThat(tags.type().asListType().isElementOptional()).isTrue();
  }

  @Test
  void arrayOfRecordsFailsNamingTheField() {
    TableContract contract =
        contractWith(
            """
            {"name": "parts", "type": {"type": "array", "items": {"type": "record",
              "name": "Part", "fields": [{"name": "n", "type": "int"}]}}}
            """);

    assertThatThrownBy(() -> new SilverTable(contract))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot map field parts of widgets")
        .hasMessageContaining("RECORD");
  }

  @Test
  void unionOfSeveralValueTypesFailsNamingTheField() {
    TableContract contract =
        contractWith(
            "{\"name\": \"reading\", \"type\": [\"null\", \"string\", \"long\"], \"default\":"
                + " null}");

    assertThatThrownBy(() -> new SilverTable(contract))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot map field reading of widgets");
  }

  @Test
  void unionWithoutNullFailsNamingTheField() {
    TableContract contract =
        contractWith("{\"name\": \"reading\", \"type\": [\"string\", \"long\"]}");

    assertThatThrownBy(() -> new SilverTable(contract))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot map field reading of widgets")
        .hasMessageContaining("UNION");
  }
}
