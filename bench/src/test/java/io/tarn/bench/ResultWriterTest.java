package io.tarn.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultWriterTest {
  @TempDir Path dir;

  @Test
  void writesJsonWithRunInfoOnEveryRowAndRebuildsMarkdownNewestFirst() throws Exception {
    ResultWriter writer = new ResultWriter(dir);
    Path first = writer.write(result("2026-01-02T03:04:05Z", "aaa1111", 100_000));
    Path second = writer.write(result("2026-02-03T04:05:06Z", "bbb2222", 200_000));

    assertThat(first.getFileName().toString()).isEqualTo("kafka-20260102-030405.json");
    assertThat(second.getFileName().toString()).isEqualTo("kafka-20260203-040506.json");
    JsonNode json = new ObjectMapper().readTree(second.toFile());
    JsonNode row = json.path("rows").get(1);
    assertThat(row.path("git").asText()).isEqualTo("bbb2222");
    assertThat(row.path("versions").path("iceberg").asText()).isEqualTo("1.11.0");
    assertThat(row.path("setup").path("record_bytes").asText()).isEqualTo("200");
    assertThat(row.path("ratioToReference").asDouble()).isEqualTo(0.5);

    String md = Files.readString(dir.resolve("kafka.md"));
    assertThat(md).startsWith("# B0 `kafka`: Kafka ceiling");
    assertThat(md)
        .contains("| 2026-02-03 04:05 | ours | 100,000 [100,000–100,000] | 0.50 × tool |");
    assertThat(md.indexOf("bbb2222")).isLessThan(md.indexOf("aaa1111"));
    assertThat(md).contains("| 200 | 3 | 1 | - | 4.2.0 | 2.1.1 | 1.11.0 | aaa1111 |");
  }

  @Test
  void ignoresFilesOfOtherBenchmarksWithAPrefixedName() throws Exception {
    Files.writeString(dir.resolve("kafka-extra-20260101-000000.json"), "not json");
    ResultWriter writer = new ResultWriter(dir);

    writer.write(result("2026-01-02T03:04:05Z", "aaa1111", 100_000));

    assertThat(writer.runs("kafka")).hasSize(1);
  }

  private static BenchResult result(String started, String git, long toolRate) {
    Peer tool = new Peer("tool", "the reference", null).setup(Peer.RECORD_BYTES, 200);
    Peer ours = new Peer("ours", "the subject", "tool").setup(Peer.RECORD_BYTES, 200);
    for (Peer peer : List.of(tool, ours)) {
      peer.setup(Peer.PARTITIONS, 3).setup(Peer.PARALLELISM, 1);
    }
    List<Measurement> measurements =
        List.of(
            new Measurement(
                "tool",
                1,
                false,
                toolRate,
                toolRate * 200,
                1.0,
                1.2,
                Map.of("children", 2.0),
                null,
                Map.of()),
            new Measurement(
                "ours",
                1,
                false,
                toolRate / 2,
                toolRate * 100,
                1.0,
                1.0,
                Map.of("bench", 1.0),
                new Latency("ack", 1, 2, 3, 4, 5),
                Map.of("commits", 3.0)));
    return new BenchResult(
        "kafka",
        "B0",
        "Kafka ceiling on this box",
        "what is compared",
        new RunInfo(
            started,
            git,
            Map.of("kafka", "4.2.0", "flink", "2.1.1", "iceberg", "1.11.0"),
            Map.of("cores", "2")),
        Map.of("records", "1000"),
        1,
        1,
        PeerSummary.of(List.of(tool, ours), measurements),
        measurements);
  }
}
