package io.tarn.jobs.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.tarn.jobs.JobEnvironment;
import io.tarn.jobs.LakeServers;
import io.tarn.jobs.bronze.BronzeJob;
import io.tarn.jobs.config.JobConfig;
import io.tarn.jobs.gold.GoldJob;
import io.tarn.jobs.lake.Lake;
import io.tarn.jobs.silver.SilverJob;
import io.tarn.workload.WorkloadProducer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bronze, silver and gold on a real MiniCluster over a real broker report their lineage to an HTTP
 * endpoint standing in for Marquez and to {@code ops.lineage}; cancelling a job completes its run.
 */
class LineageIT {
  @RegisterExtension static final MiniClusterExtension FLINK = LakeServers.flinkCluster();

  @RegisterExtension static final LakeServers SERVERS = new LakeServers();

  private final List<JsonNode> received = new CopyOnWriteArrayList<>();

  @Test
  void jobsReportStartWithColumnLineageAndCompleteWhenCancelled() throws Exception {
    HttpServer marquez = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    marquez.createContext(
        "/api/v1/lineage",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          received.add(new ObjectMapper().readTree(new String(body, StandardCharsets.UTF_8)));
          exchange.sendResponseHeaders(201, -1);
          exchange.close();
        });
    marquez.start();
    Map<String, String> settings = SERVERS.settings();
    settings.put("job.parallelism", "1");
    settings.put(
        "lineage.url", "http://127.0.0.1:" + marquez.getAddress().getPort() + "/api/v1/lineage");
    JobConfig config = JobConfig.of(settings);
    WorkloadProducer.createTopics(SERVERS.bootstrapServers(), 1);

    Map<String, JobClient> jobs = new LinkedHashMap<>();
    try {
      jobs.put(
          BronzeJob.NAME, submit(config, BronzeJob.NAME, BronzeJob::addTo, BronzeJob::lineage));
      jobs.put(
          SilverJob.NAME, submit(config, SilverJob.NAME, SilverJob::addTo, SilverJob::lineage));
      jobs.put(GoldJob.NAME, submit(config, GoldJob.NAME, GoldJob::addTo, GoldJob::lineage));

      awaitUntil(
          "a START event of every job",
          () -> jobs.keySet().stream().allMatch(job -> find(job, "START").isPresent()),
          Duration.ofSeconds(90));
      JsonNode silver = find(SilverJob.NAME, "START").orElseThrow();
      assertThat(silver.at("/job/namespace").asText()).isEqualTo("tarn");
      assertThat(names(silver.get("inputs"))).contains("shop.orders", "shop.customers");
      JsonNode orders = dataset(silver.get("outputs"), "silver.orders");
      assertThat(orders.at("/facets/columnLineage/fields/customer_id/inputFields/0/name").asText())
          .isEqualTo("shop.orders");
      assertThat(orders.at("/facets/columnLineage/fields/customer_id/inputFields/0/field").asText())
          .isEqualTo("customer_id");
      assertThat(
              orders
                  .at("/facets/columnLineage/fields/customer_id/inputFields/0/namespace")
                  .asText())
          .isEqualTo("kafka://" + SERVERS.bootstrapServers());
      JsonNode gold = find(GoldJob.NAME, "START").orElseThrow();
      assertThat(names(gold.get("inputs"))).containsExactly("silver.order_items", "silver.orders");
      JsonNode value = dataset(gold.get("outputs"), "gold.customer_lifetime_value");
      assertThat(value.at("/facets/columnLineage/fields/revenue/inputFields/0/field").asText())
          .isEqualTo("total_amount");
      JsonNode bronze = find(BronzeJob.NAME, "START").orElseThrow();
      assertThat(names(bronze.get("outputs"))).contains("bronze.orders", "bronze.clickstream");

      Lake lake = new Lake(config);
      awaitUntil(
          "ops.lineage to hold the three START events",
          () -> LineageTable.read(lake).size() >= 3,
          Duration.ofSeconds(30));
      List<JsonNode> stored = LineageTable.read(lake);
      for (String job : jobs.keySet()) {
        assertThat(stored)
            .as(job)
            .anyMatch(
                e ->
                    e.equals(find(job, "START").orElseThrow())
                        && e.at("/job/name").asText().equals(job));
      }

      jobs.remove(SilverJob.NAME).cancel().get();
      awaitUntil(
          "a COMPLETE event of the cancelled silver job",
          () -> find(SilverJob.NAME, "COMPLETE").isPresent(),
          Duration.ofSeconds(60));
      assertThat(find(SilverJob.NAME, "COMPLETE").orElseThrow().at("/run/runId").asText())
          .isEqualTo(silver.at("/run/runId").asText());
      assertThat(find(GoldJob.NAME, "COMPLETE")).isEmpty();
    } finally {
      for (JobClient job : jobs.values()) {
        job.cancel().get();
      }
      marquez.stop(0);
    }
  }

  private static JobClient submit(
      JobConfig config,
      String name,
      JobEnvironment.JobGraph job,
      Function<JobConfig, JobLineage> lineage)
      throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.configure(Configuration.fromMap(JobEnvironment.settings(config)));
    env.setParallelism(1);
    job.addTo(env, config);
    StreamGraph graph = env.getStreamGraph();
    graph.setJobName(name);
    LineageHook.attach(graph, config, lineage.apply(config));
    return env.executeAsync(graph);
  }

  private Optional<JsonNode> find(String job, String type) {
    return received.stream()
        .filter(e -> e.at("/job/name").asText().equals(job))
        .filter(e -> e.get("eventType").asText().equals(type))
        .findFirst();
  }

  private static List<String> names(JsonNode datasets) {
    List<String> names = new ArrayList<>();
    datasets.forEach(d -> names.add(d.get("name").asText()));
    return names;
  }

  private static JsonNode dataset(JsonNode datasets, String name) {
    for (JsonNode d : datasets) {
      if (d.get("name").asText().equals(name)) {
        return d;
      }
    }
    throw new AssertionError("no dataset " + name + " in " + names(datasets));
  }

  private static void awaitUntil(String what, BooleanSupplier condition, Duration timeout)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("Timed out waiting for " + what);
      }
      Thread.sleep(200);
    }
  }
}
