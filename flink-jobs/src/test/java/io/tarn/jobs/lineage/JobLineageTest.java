package io.tarn.jobs.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tarn.jobs.bronze.BronzeJob;
import io.tarn.jobs.config.JobConfig;
import io.tarn.jobs.gold.GoldJob;
import io.tarn.jobs.gold.GoldTables;
import io.tarn.jobs.silver.SilverJob;
import io.tarn.schemas.DomainSchemas;
import io.tarn.schemas.FieldContract;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OpenLineage events of the jobs, built from the definitions the jobs write with. */
class JobLineageTest {
  @TempDir Path dir;

  private JobConfig config() {
    return JobConfig.of(
        Map.of(
            "kafka.bootstrap.servers", "127.0.0.1:19092,127.0.0.1:19093",
            "registry.url", "http://127.0.0.1:18081",
            "catalog.uri", "jdbc:sqlite:" + dir.resolve("catalog.db"),
            "catalog.warehouse", dir.resolve("warehouse").toString(),
            "lineage.namespace", "shop-prod"));
  }

  private static JsonNode event(JobLineage lineage) {
    return new RunEvent(
            RunEvent.START,
            Instant.parse("2026-01-02T03:04:05Z"),
            UUID.fromString("11111111-2222-3333-4444-555555555555"),
            "shop-prod",
            lineage)
        .toJson();
  }

  private static JsonNode dataset(JsonNode datasets, String name) {
    for (JsonNode d : datasets) {
      if (d.get("name").asText().equals(name)) {
        return d;
      }
    }
    throw new AssertionError("no dataset " + name + " in " + datasets);
  }

  private static List<String> inputFields(JsonNode output, String column) {
    List<String> fields = new ArrayList<>();
    for (JsonNode input :
        output
            .path("facets")
            .path("columnLineage")
            .path("fields")
            .path(column)
            .path("inputFields")) {
      fields.add(
          input.get("namespace").asText()
              + "|"
              + input.get("name").asText()
              + "|"
              + input.get("field").asText()
              + "|"
              + input.path("transformations").path(0).path("subtype").asText());
    }
    return fields;
  }

  @Test
  void runEventHasTheSpecsRequiredFields() {
    JsonNode event = event(SilverJob.lineage(config()));

    assertThat(event.get("eventType").asText()).isEqualTo("START");
    assertThat(event.get("eventTime").asText()).isEqualTo("2026-01-02T03:04:05Z");
    assertThat(event.at("/run/runId").asText()).isEqualTo("11111111-2222-3333-4444-555555555555");
    assertThat(event.at("/job/namespace").asText()).isEqualTo("shop-prod");
    assertThat(event.at("/job/name").asText()).isEqualTo("tarn-silver");
    assertThat(event.at("/job/facets/jobType/processingType").asText()).isEqualTo("STREAMING");
    assertThat(event.get("producer").asText()).startsWith("https://");
    assertThat(event.get("schemaURL").asText())
        .isEqualTo("https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent");
    JsonNode schemaFacet = dataset(event.get("outputs"), "silver.orders").at("/facets/schema");
    assertThat(schemaFacet.get("_producer").asText()).isEqualTo(RunEvent.PRODUCER);
    assertThat(schemaFacet.get("_schemaURL").asText()).contains("SchemaDatasetFacet.json");
  }

  @Test
  void silverColumnsDeriveFromTheSameNamedTopicFields() {
    JsonNode event = event(SilverJob.lineage(config()));

    JsonNode topic = dataset(event.get("inputs"), "shop.customers");
    assertThat(topic.get("namespace").asText()).isEqualTo("kafka://127.0.0.1:19092");
    JsonNode customers = dataset(event.get("outputs"), "silver.customers");
    assertThat(customers.get("namespace").asText())
        .isEqualTo("file:" + dir.resolve("warehouse").toAbsolutePath());
    for (FieldContract field : DomainSchemas.forTable("customers").fields()) {
      assertThat(inputFields(customers, field.name()))
          .as(field.name())
          .containsExactly("kafka://127.0.0.1:19092|shop.customers|" + field.name() + "|IDENTITY");
    }
    // bookkeeping columns come from no input field
    assertThat(inputFields(customers, "_kafka_offset")).isEmpty();
    assertThat(customers.at("/facets/ownership/owners/0/name").asText()).isEqualTo("team-accounts");
    assertThat(customers.at("/facets/documentation/description").asText())
        .isEqualTo(DomainSchemas.forTable("customers").doc());
    assertThat(dataset(event.get("outputs"), "silver.quarantine")).isNotNull();
  }

  @Test
  void goldColumnsDeriveFromTheSilverColumnsTheAggregatesRead() {
    JsonNode event = event(GoldJob.lineage(config()));
    String silver = "file:" + dir.resolve("warehouse").toAbsolutePath();

    assertThat(event.get("inputs")).hasSize(2);
    JsonNode value = dataset(event.get("outputs"), "gold.customer_lifetime_value");
    assertThat(inputFields(value, "customer_id"))
        .containsExactly(silver + "|silver.orders|customer_id|IDENTITY");
    assertThat(inputFields(value, "revenue"))
        .containsExactly(
            silver + "|silver.orders|total_amount|AGGREGATION",
            silver + "|silver.orders|order_id|AGGREGATION",
            silver + "|silver.orders|status|FILTER");
    assertThat(inputFields(value, "updated_at")).isEmpty();
    JsonNode revenue = dataset(event.get("outputs"), "gold.revenue_per_category_hour");
    assertThat(inputFields(revenue, "revenue"))
        .containsExactly(
            silver + "|silver.order_items|quantity|AGGREGATION",
            silver + "|silver.order_items|unit_price|AGGREGATION");
    assertThat(inputFields(revenue, "window_start"))
        .containsExactly(silver + "|silver.order_items|event_time|TRANSFORMATION");
    JsonNode filter =
        revenue.at("/facets/columnLineage/fields/order_lines/inputFields/0/transformations/0");
    assertThat(filter.get("type").asText()).isEqualTo("INDIRECT");
  }

  @Test
  void goldReadsExactlyTheSilverColumnsItsLineageNames() {
    assertThat(GoldTables.CUSTOMER_LIFETIME_VALUE.silverColumns())
        .containsExactlyInAnyOrder(
            "order_id", "customer_id", "status", "total_amount", "event_time");
    assertThat(GoldTables.revenuePerCategory("minute").silverColumns())
        .containsExactlyInAnyOrder("category", "quantity", "unit_price", "event_time");
  }

  @Test
  void bronzeValueDerivesFromEveryFieldOfItsTopicAndTheKeyFromTheKeyFields() {
    JsonNode event = event(BronzeJob.lineage(config()));

    JsonNode items = dataset(event.get("outputs"), "bronze.order_items");
    assertThat(inputFields(items, "value"))
        .hasSize(DomainSchemas.forTable("order_items").fields().size())
        .allMatch(f -> f.startsWith("kafka://127.0.0.1:19092|shop.order_items|"));
    assertThat(inputFields(items, "kafka_key"))
        .containsExactly(
            "kafka://127.0.0.1:19092|shop.order_items|order_id|TRANSFORMATION",
            "kafka://127.0.0.1:19092|shop.order_items|line_no|TRANSFORMATION");
    assertThat(items.at("/facets/ownership/owners/0/name").asText()).isEqualTo("team-checkout");
  }

  @Test
  void goldColumnsAreAsSensitiveAsTheirMostSensitiveSource() {
    Map<String, String> props = GoldTables.CUSTOMER_LIFETIME_VALUE.metadata().properties();

    assertThat(props)
        .containsEntry("tarn.zone", "gold")
        .containsEntry("tarn.owner", "team-checkout")
        .containsEntry("write.upsert.enabled", "true")
        .containsEntry("tarn.column.updated_at.classification", "internal")
        .containsKey("comment");
    assertThat(GoldTables.CUSTOMER_LIFETIME_VALUE.documentedSchema().findField("revenue").doc())
        .startsWith("Total of those orders, EUR [");
  }
}
