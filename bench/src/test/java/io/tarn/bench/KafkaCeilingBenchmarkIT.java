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

/** B0 end to end, tiny: the harness runs the perf tools and our peers and writes its results. */
class KafkaCeilingBenchmarkIT {
  @TempDir Path dir;

  @Test
  void runsEveryPeerAndWritesResults() throws Exception {
    Path results = dir.resolve("results");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int status =
        BenchMain.run(
            new String[] {
              "kafka",
              "--records",
              "20000",
              "--reps",
              "1",
              "--warmups",
              "0",
              "--results-dir",
              results.toString(),
              "--tmp-dir",
              dir.resolve("work").toString()
            },
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(status).as("exit status; stderr: %s", err).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("rep 1/1 raw-consumer: 20,000 records");

    List<Path> json = new ArrayList<>();
    try (var files = Files.list(results)) {
      files.filter(f -> f.toString().endsWith(".json")).forEach(json::add);
    }
    assertThat(json).hasSize(1);
    JsonNode result = new ObjectMapper().readTree(json.get(0).toFile());
    assertThat(result.path("rows"))
        .extracting(row -> row.path("peer").asText())
        .containsExactly(
            "kafka-perf-producer", "raw-producer", "kafka-perf-consumer", "raw-consumer");
    for (JsonNode row : result.path("rows")) {
      assertThat(row.path("recordsPerSecond").path("median").asDouble()).isPositive();
      assertThat(row.path("cpuSecondsPerMillion").has("broker")).isTrue();
    }
    assertThat(result.path("rows").get(0).path("cpuSecondsPerMillion").has("children")).isTrue();
    assertThat(result.path("rows").get(1).path("ratioToReference").isNumber()).isTrue();
    assertThat(Files.readString(results.resolve("kafka.md"))).contains("| raw-consumer |");
    // the work folder with the broker's data is gone
    try (var left = Files.list(dir.resolve("work"))) {
      assertThat(left).isEmpty();
    }
  }
}
