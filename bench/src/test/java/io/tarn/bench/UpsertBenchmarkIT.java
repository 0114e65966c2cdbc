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
 * B5 end to end on a tiny table: PostgreSQL, Tarn's capture (cdc-capture must be packaged), Kafka,
 * the bronze and silver jobs on a MiniCluster, and both scans. Asserts counts and the result file,
 * never a timing.
 */
class UpsertBenchmarkIT {
  private static final int ROWS = 2000;

  @TempDir Path dir;

  @Test
  void everyChangeIsAppliedAndBothScansReadTheSourceRows() throws Exception {
    Path results = dir.resolve("results");
    List<String> args =
        List.of(
            "upsert",
            "--rows",
            String.valueOf(ROWS),
            "--passes",
            "1",
            "--checkpoint-interval",
            "1s",
            "--reps",
            "1",
            "--warmups",
            "0",
            "--results-dir",
            results.toString(),
            "--tmp-dir",
            dir.resolve("work").toString());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int status =
        BenchMain.run(
            args.toArray(String[]::new),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(status).as("exit status; stdout: %s%nstderr: %s", out, err).isZero();
    JsonNode result;
    try (var files = Files.list(results)) {
      Path json = files.filter(f -> f.toString().endsWith(".json")).findFirst().orElseThrow();
      result = new ObjectMapper().readTree(json.toFile());
    }
    List<String> peers = new ArrayList<>();
    result.path("rows").forEach(row -> peers.add(row.path("peer").asText()));
    assertThat(peers)
        .containsExactly("bronze-append", "silver-upsert", "read-compacted", "read-upsert");
    // snapshot + one update per row + the marker insert
    long changes = 2L * ROWS + 1;
    assertThat(measurement(result, "bronze-append").path("records").asLong()).isEqualTo(changes);
    JsonNode silver = measurement(result, "silver-upsert");
    assertThat(silver.path("records").asLong()).isEqualTo(changes);
    assertThat(silver.path("extra").path("commits").asDouble()).isPositive();
    for (String read : List.of("read-compacted", "read-upsert")) {
      assertThat(measurement(result, read).path("extra").path("rows").asLong()).isEqualTo(ROWS + 1);
    }
    assertThat(result.path("rows").get(3).path("reference").asText()).isEqualTo("read-compacted");
  }

  private static JsonNode measurement(JsonNode result, String peer) {
    for (JsonNode m : result.path("measurements")) {
      if (m.path("peer").asText().equals(peer) && !m.path("warmup").asBoolean()) {
        return m;
      }
    }
    throw new AssertionError("no measurement of " + peer);
  }
}
