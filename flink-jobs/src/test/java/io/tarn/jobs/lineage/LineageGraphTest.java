package io.tarn.jobs.lineage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tarn.jobs.bronze.BronzeJob;
import io.tarn.jobs.config.JobConfig;
import io.tarn.jobs.gold.GoldJob;
import io.tarn.jobs.silver.SilverJob;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Upstream, downstream and columns of a table, from the jobs' newest events. */
class LineageGraphTest {
  @TempDir Path dir;

  private List<JsonNode> events() {
    JobConfig config =
        JobConfig.of(
            Map.of(
                "kafka.bootstrap.servers",
                "127.0.0.1:19092",
                "registry.url",
                "http://127.0.0.1:18081",
                "catalog.uri",
                "jdbc:sqlite:" + dir.resolve("catalog.db"),
                "catalog.warehouse",
                dir.resolve("warehouse").toString()));
    Instant t = Instant.parse("2026-01-02T03:04:05Z");
    return List.of(
        new RunEvent("START", t, UUID.randomUUID(), "tarn", BronzeJob.lineage(config)).toJson(),
        new RunEvent("START", t, UUID.randomUUID(), "tarn", SilverJob.lineage(config)).toJson(),
        new RunEvent("START", t, UUID.randomUUID(), "tarn", GoldJob.lineage(config)).toJson(),
        new RunEvent(
                "COMPLETE", t.plusSeconds(60), UUID.randomUUID(), "tarn", GoldJob.lineage(config))
            .toJson());
  }

  @Test
  void silverOrdersComesFromItsTopicAndFeedsCustomerValue() {
    LineageGraph graph = new LineageGraph(events());

    assertThat(graph.upstream("silver.orders"))
        .containsExactly(new LineageGraph.Edge("shop.orders", "tarn-silver", "silver.orders"));
    assertThat(graph.downstream("silver.orders"))
        .containsExactly(
            new LineageGraph.Edge("silver.orders", "tarn-gold", "gold.customer_lifetime_value"));
    assertThat(graph.columns("silver.orders").get("customer_id"))
        .containsExactly("shop.orders.customer_id (IDENTITY)");
  }

  @Test
  void upstreamIsTransitiveAndDownstreamOfATopicReachesGold() {
    LineageGraph graph = new LineageGraph(events());

    assertThat(graph.upstream("gold.revenue_per_category_minute"))
        .containsExactly(
            new LineageGraph.Edge(
                "silver.order_items", "tarn-gold", "gold.revenue_per_category_minute"),
            new LineageGraph.Edge("shop.order_items", "tarn-silver", "silver.order_items"));
    assertThat(graph.downstream("shop.order_items"))
        .contains(
            new LineageGraph.Edge("shop.order_items", "tarn-bronze", "bronze.order_items"),
            new LineageGraph.Edge(
                "silver.order_items", "tarn-gold", "gold.revenue_per_category_hour"));
  }

  @Test
  void renderShowsUpstreamDownstreamColumnsAndTheNewestRunOfEachJob() {
    String report = new LineageGraph(events()).render("silver.orders");

    assertThat(report)
        .contains("shop.orders  --tarn-silver-->  silver.orders")
        .contains("silver.orders  --tarn-gold-->  gold.customer_lifetime_value")
        .contains("total_amount")
        .contains("<- shop.orders.total_amount (IDENTITY)")
        .contains("tarn-gold: COMPLETE at 2026-01-02T03:05:05Z");
  }

  @Test
  void unknownDatasetNamesTheKnownOnes() {
    assertThatThrownBy(() -> new LineageGraph(events()).render("silver.nope"))
        .hasMessageContaining("Cannot show lineage of silver.nope")
        .hasMessageContaining("silver.orders");
  }
}
