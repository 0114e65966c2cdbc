package io.tarn.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * B2 end to end on a tiny table: a real PostgreSQL, the Debezium-only engine and Tarn's capture in
 * child JVMs (cdc-capture must be packaged), Kafka, and the bronze+silver jobs on a MiniCluster.
 * Asserts what every peer counted and that the result file is complete, never a timing.
 */
class CdcBenchmarkIT {
  private static final int ROWS = 3000;
  private static final int PACED = 40;
  private static final int BULK = 1500;

  @TempDir Path dir;

  @Test
  void everyPeerSeesEveryChangeAndTheResultIsComplete() throws Exception {
    JsonNode result =
        run(
            "--rows", String.valueOf(ROWS),
            "--paced", String.valueOf(PACED),
            "--rate", "40",
            "--bulk", String.valueOf(BULK),
            "--bulk-tx", "500");

    assertThat(peers(result))
        .containsExactly(
            "engine-snapshot",
            "engine-paced",
            "engine-bulk",
            "capture-snapshot",
            "capture-paced",
            "capture-bulk",
            "silver-paced");
    for (String family : List.of("engine", "capture")) {
      JsonNode snapshot = measurement(result, family + "-snapshot");
      // the rows after the first hand-over are timed (start-up excluded): some, never more than
      // the table holds
      assertThat(snapshot.path("records").asLong()).isBetween(1L, (long) ROWS);
      assertThat(snapshot.path("extra").path("launch_to_last_row_s").asDouble()).isPositive();
      assertThat(snapshot.path("cpuSeconds").has(CdcBenchmark.CDC_PROCESS)).isTrue();

      JsonNode paced = measurement(result, family + "-paced");
      assertThat(paced.path("records").asLong()).isEqualTo(PACED);
      assertThat(paced.path("latency").path("count").asLong()).isEqualTo(PACED);
      assertThat(paced.path("latency").path("kind").asText()).isEqualTo("commit→hand-over");

      assertThat(measurement(result, family + "-bulk").path("records").asLong()).isEqualTo(BULK);
    }
    JsonNode silver = measurement(result, "silver-paced");
    assertThat(silver.path("extra").path("missing").asDouble()).isZero();
    assertThat(silver.path("extra").path("probes").asDouble()).isEqualTo(PACED);
    assertThat(silver.path("latency").path("kind").asText()).isEqualTo("commit→silver");
    assertThat(silver.path("extra").path("catch_up_s").asDouble()).isPositive();

    JsonNode captureRow = row(result, "capture-bulk");
    assertThat(captureRow.path("reference").asText()).isEqualTo("engine-bulk");
    assertThat(captureRow.path("ratioToReference").asDouble()).isPositive();
    assertThat(row(result, "silver-paced").path("setup").path("checkpoint_interval").asText())
        .isEqualTo("1s");
    try (var files = Files.list(dir.resolve("results"))) {
      assertThat(files.map(f -> f.getFileName().toString())).contains("cdc.md");
    }
  }

  private JsonNode run(String... options) throws Exception {
    Path results = dir.resolve("results");
    List<String> args = new ArrayList<>(List.of("cdc"));
    args.addAll(List.of(options));
    args.addAll(
        List.of(
            "--reps",
            "1",
            "--warmups",
            "0",
            "--results-dir",
            results.toString(),
            "--tmp-dir",
            dir.resolve("work").toString()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int status =
        BenchMain.run(
            args.toArray(String[]::new),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(status).as("exit status; stdout: %s%nstderr: %s", out, err).isZero();
    try (var files = Files.list(results)) {
      Path json = files.filter(f -> f.toString().endsWith(".json")).findFirst().orElseThrow();
      return new ObjectMapper().readTree(json.toFile());
    }
  }

  private static List<String> peers(JsonNode result) {
    List<String> peers = new ArrayList<>();
    result.path("rows").forEach(row -> peers.add(row.path("peer").asText()));
    return peers;
  }

  private static JsonNode row(JsonNode result, String peer) {
    for (JsonNode row : result.path("rows")) {
      if (row.path("peer").asText().equals(peer)) {
        return row;
      }
    }
    throw new AssertionError("no row for " + peer);
  }

  /** The peer's single measured repetition. */
  private static JsonNode measurement(JsonNode result, String peer) {
    for (JsonNode m : result.path("measurements")) {
      if (m.path("peer").asText().equals(peer) && !m.path("warmup").asBoolean()) {
        return m;
      }
    }
    throw new AssertionError("no measurement of " + peer);
  }
}
