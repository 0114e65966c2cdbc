package io.tarn.jobs.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.tarn.jobs.config.JobConfig;
import io.tarn.jobs.lake.Lake;
import io.tarn.jobs.silver.SilverJob;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Delivery of run events to an HTTP endpoint and the lineage table, and what a failure does. */
class LineageHookTest {
  @TempDir Path dir;
  private HttpServer server;
  private final List<JsonNode> received = new CopyOnWriteArrayList<>();
  private volatile int status = 201;

  @BeforeEach
  void startEndpoint() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/api/v1/lineage",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          received.add(new ObjectMapper().readTree(body));
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stopEndpoint() {
    server.stop(0);
  }

  private JobConfig config(String url) {
    Map<String, String> settings = new HashMap<>();
    settings.put("kafka.bootstrap.servers", "127.0.0.1:19092");
    settings.put("registry.url", "http://127.0.0.1:18081");
    settings.put("catalog.uri", "jdbc:sqlite:" + dir.resolve("catalog.db"));
    settings.put("catalog.warehouse", dir.resolve("warehouse").toString());
    settings.put("lineage.url", url);
    return JobConfig.of(settings);
  }

  private String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/lineage";
  }

  private static RunEvent event(LineageHook hook, JobConfig config, String type) {
    return new RunEvent(type, Instant.now(), hook.runId(), "tarn", SilverJob.lineage(config));
  }

  @Test
  void eventGoesToTheEndpointAndTheLineageTable() {
    JobConfig config = config(endpoint());
    LineageHook hook = new LineageHook(config, SilverJob.lineage(config));

    hook.send(event(hook, config, RunEvent.START));
    hook.send(event(hook, config, RunEvent.COMPLETE));

    assertThat(received)
        .extracting(e -> e.get("eventType").asText())
        .containsExactly("START", "COMPLETE");
    assertThat(received).allMatch(e -> e.at("/run/runId").asText().equals(hook.runId().toString()));
    List<JsonNode> stored = LineageTable.read(new Lake(config));
    assertThat(stored)
        .extracting(e -> e.get("eventType").asText())
        .containsExactly("START", "COMPLETE");
    assertThat(stored.get(0)).isEqualTo(received.get(0));
  }

  @Test
  void aRefusingOrUnreachableEndpointNeverFailsAndTheTableStillGetsTheEvent() throws Exception {
    status = 500;
    JobConfig refusing = config(endpoint());
    LineageHook hook = new LineageHook(refusing, SilverJob.lineage(refusing));
    hook.send(event(hook, refusing, RunEvent.START));
    assertThat(received).hasSize(1);

    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    JobConfig unreachable = config("http://127.0.0.1:" + closedPort + "/api/v1/lineage");
    LineageHook other = new LineageHook(unreachable, SilverJob.lineage(unreachable));
    other.send(event(other, unreachable, RunEvent.FAIL));

    assertThat(LineageTable.read(new Lake(refusing)))
        .extracting(e -> e.get("eventType").asText())
        .containsExactly("START", "FAIL");
  }
}
