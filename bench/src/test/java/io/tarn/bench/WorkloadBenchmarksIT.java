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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * B1 and B3 end to end on a tiny workload: every peer reads every produced record (B3 includes the
 * Tarn bronze job on a MiniCluster), and the silver-pii benchmark: the silver job with and without
 * the shipped PII policy over every record.
 */
// silver-pii last: the bronze test has loaded and warmed Flink and Iceberg by then, which keeps
// this smoke run's two silver jobs short
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkloadBenchmarksIT {
  @TempDir Path dir;

  @Test
  @Order(1)
  void decodeBenchmarkDecodesEveryRecordTheRawConsumerReads() throws Exception {
    JsonNode result = run("decode", "--events", "2000");

    assertThat(peers(result)).containsExactly("raw-consumer", "decode-consumer");
    long raw = records(result, "raw-consumer");
    assertThat(raw).isGreaterThanOrEqualTo(2000);
    assertThat(records(result, "decode-consumer")).isEqualTo(raw);
  }

  @Test
  @Order(2)
  void bronzeBenchmarkCommitsEveryRecordWithoutEmptySnapshots() throws Exception {
    JsonNode result = run("bronze", "--events", "2000", "--commit-interval", "1s");

    assertThat(peers(result)).containsExactly("raw-consumer", "iceberg-ceiling", "tarn-bronze");
    assertThat(records(result, "iceberg-ceiling")).isEqualTo(records(result, "raw-consumer"));
    assertThat(records(result, "tarn-bronze")).isEqualTo(records(result, "raw-consumer"));
    for (int i = 1; i <= 2; i += 1) {
      JsonNode row = result.path("rows").get(i);
      assertThat(row.path("extra").path("empty_snapshots").path("median").asDouble()).isZero();
      assertThat(row.path("extra").path("commits").path("median").asDouble()).isPositive();
      assertThat(row.path("extra").path("x_raw_consumer").path("median").asDouble()).isPositive();
      assertThat(row.path("latencyKind").asText()).isEqualTo("commit");
      assertThat(row.path("setup").path("checkpoint_interval").asText()).isEqualTo("1s");
    }
    assertThat(result.path("rows").get(2).path("reference").asText()).isEqualTo("iceberg-ceiling");
  }

  @Test
  @Order(3)
  void silverPiiBenchmarkRunsSilverWithAndWithoutThePolicyOverEveryRecord() throws Exception {
    JsonNode result = run("silver-pii", "--events", "600", "--checkpoint-interval", "500ms");

    assertThat(peers(result))
        .containsExactly("quality-path", "quality-path-pii", "silver", "silver-pii");
    long read = records(result, "quality-path");
    assertThat(read).isGreaterThanOrEqualTo(600);
    for (String peer : List.of("quality-path-pii", "silver", "silver-pii")) {
      assertThat(records(result, peer)).as(peer).isEqualTo(read);
    }
    JsonNode plain = extra(result, "silver");
    JsonNode pii = extra(result, "silver-pii");
    assertThat(plain.path("quarantined").asLong()).isZero();
    assertThat(plain.path("silver_rows").asLong()).isEqualTo(read);
    assertThat(pii.path("silver_rows").asLong() + pii.path("quarantined").asLong()).isEqualTo(read);
    // the policy tokenises e-mail addresses: none stays in clear with it, all do without
    assertThat(plain.path("emails_in_clear").asLong()).isPositive();
    assertThat(pii.path("emails_in_clear").asLong()).isZero();
    JsonNode scanned = extra(result, "quality-path-pii");
    assertThat(scanned.path("scanned_strings_per_record").asDouble()).isPositive();
    assertThat(scanned.path("finding_check_us").asDouble()).isPositive();
    assertThat(extra(result, "quality-path").has("finding_check_us")).isFalse();
    assertThat(result.path("rows").get(3).path("reference").asText()).isEqualTo("silver");
  }

  private JsonNode run(String id, String... options) throws Exception {
    Path results = dir.resolve(id);
    List<String> args = new ArrayList<>(List.of(id));
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
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int status =
        BenchMain.run(
            args.toArray(String[]::new),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(status).as("exit status; stderr: %s", err).isZero();
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

  /** Notes of the peer's single measured repetition. */
  private static JsonNode extra(JsonNode result, String peer) {
    for (JsonNode m : result.path("measurements")) {
      if (m.path("peer").asText().equals(peer) && !m.path("warmup").asBoolean()) {
        return m.path("extra");
      }
    }
    throw new AssertionError("no measurement of " + peer);
  }

  /** Records of the peer's single measured repetition. */
  private static long records(JsonNode result, String peer) {
    for (JsonNode m : result.path("measurements")) {
      if (m.path("peer").asText().equals(peer) && !m.path("warmup").asBoolean()) {
        return m.path("records").asLong();
      }
    }
    throw new AssertionError("no measurement of " + peer);
  }
}
