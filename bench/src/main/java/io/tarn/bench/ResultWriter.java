package io.tarn.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * Writes a run as {@code <id>-<yyyyMMdd-HHmmss>.json} and rebuilds {@code <id>.md}, the summary of
 * every run of that benchmark, from all of its JSON files. The Markdown is derived, never edited:
 * the JSON files are the record.
 */
public final class ResultWriter {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final DateTimeFormatter FILE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter TABLE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

  private final Path dir;

  public ResultWriter(Path dir) {
    this.dir = dir;
  }

  /** Writes the JSON of {@code result}, rebuilds the Markdown summary, returns the JSON file. */
  public Path write(BenchResult result) {
    String id = result.benchmark();
    Path json =
        dir.resolve(id + "-" + FILE_TIME.format(Instant.parse(result.run().started())) + ".json");
    try {
      Files.createDirectories(dir);
      Files.writeString(json, JSON.writeValueAsString(toJson(result)) + "\n");
      Files.writeString(dir.resolve(id + ".md"), markdown(id, runs(id)));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write results of benchmark " + id + " to " + dir, e);
    }
    return json;
  }

  /** The result as JSON, each row carrying the run's versions and git commit. */
  static ObjectNode toJson(BenchResult result) {
    ObjectNode root = JSON.valueToTree(result);
    JsonNode versions = root.path("run").path("versions");
    String git = result.run().git();
    for (JsonNode row : root.withArray("rows")) {
      ((ObjectNode) row).put("git", git);
      ((ObjectNode) row).set("versions", versions.deepCopy());
    }
    return root;
  }

  /** Every stored run of benchmark {@code id}, newest first. */
  List<JsonNode> runs(String id) throws IOException {
    Pattern name = Pattern.compile(Pattern.quote(id) + "-\\d{8}-\\d{6}\\.json");
    List<Path> files;
    try (var list = Files.list(dir)) {
      files =
          list.filter(f -> name.matcher(f.getFileName().toString()).matches())
              .sorted(Comparator.comparing((Path f) -> f.getFileName().toString()).reversed())
              .toList();
    }
    List<JsonNode> runs = new ArrayList<>();
    for (Path file : files) {
      runs.add(JSON.readTree(file.toFile()));
    }
    return runs;
  }

  static String markdown(String id, List<JsonNode> runs) {
    StringBuilder md = new StringBuilder();
    JsonNode latest = runs.isEmpty() ? JSON.createObjectNode() : runs.get(0);
    md.append("# ")
        .append(latest.path("code").asText(""))
        .append(" `")
        .append(id)
        .append("`: ")
        .append(latest.path("title").asText(""))
        .append("\n\n")
        .append(latest.path("description").asText(""))
        .append("\n\n")
        .append("Rebuilt by `./tarn bench ")
        .append(id)
        .append("` from the JSON files next to this one, newest run first; do not edit. ")
        .append(
            "Each figure is the median of the measured repetitions (warm-up rounds left out), "
                + "[min–max]. ")
        .append("*vs* is the ratio of the median rate to the reference peer's in the same run. ")
        .append("*CPU-s/M* is CPU seconds per million records of each process (`bench`: the ")
        .append("harness JVM running the in-process peers; `broker`: the Kafka child JVM; ")
        .append("`children`: processes the harness waited for, e.g. a Kafka perf tool's JVM, ")
        .append("start-up included).\n\n");

    md.append(
        "| run (UTC) | peer | records/s | vs | MB/s | CPU-s/M | latency ms p50/p95/p99 | notes "
            + "| record B | partitions | parallelism | checkpoint | Kafka | Flink | Iceberg | git |\n");
    md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (JsonNode run : runs) {
      String when = TABLE_TIME.format(Instant.parse(run.path("run").path("started").asText()));
      for (JsonNode row : run.path("rows")) {
        JsonNode setup = row.path("setup");
        JsonNode versions = row.path("versions");
        StringJoiner cells = new StringJoiner(" | ", "| ", " |\n");
        cells.add(when);
        cells.add(row.path("peer").asText());
        cells.add(statCell(row.path("recordsPerSecond"), "%,.0f"));
        cells.add(ratioCell(row));
        cells.add(
            row.path("megabytesPerSecond").isObject()
                ? format("%.1f", row.path("megabytesPerSecond").path("median").asDouble())
                : "–");
        cells.add(mapCell(row.path("cpuSecondsPerMillion"), "%.2f"));
        cells.add(latencyCell(row));
        cells.add(mapCell(row.path("extra"), null));
        cells.add(setup.path(Peer.RECORD_BYTES).asText("-"));
        cells.add(setup.path(Peer.PARTITIONS).asText("-"));
        cells.add(setup.path(Peer.PARALLELISM).asText("-"));
        cells.add(setup.path(Peer.CHECKPOINT_INTERVAL).asText("-"));
        cells.add(versions.path("kafka").asText("?"));
        cells.add(versions.path("flink").asText("?"));
        cells.add(versions.path("iceberg").asText("?"));
        cells.add(row.path("git").asText("?"));
        md.append(cells);
      }
    }

    if (!runs.isEmpty()) {
      md.append("\nPeers (latest run):\n\n");
      for (JsonNode row : latest.path("rows")) {
        md.append("- `")
            .append(row.path("peer").asText())
            .append("`: ")
            .append(row.path("description").asText())
            .append('\n');
      }
      md.append("\nLatest run: ")
          .append(latest.path("repetitions").asInt())
          .append(" repetitions after ")
          .append(latest.path("warmups").asInt())
          .append(" warm-up round(s); options ")
          .append(optionsText(latest.path("options")))
          .append("; machine ")
          .append(optionsText(latest.path("run").path("machine")))
          .append(".\n");
    }
    return md.toString();
  }

  private static String statCell(JsonNode stat, String pattern) {
    if (!stat.isObject()) {
      return "–";
    }
    return format(pattern, stat.path("median").asDouble())
        + " ["
        + format(pattern, stat.path("min").asDouble())
        + "–"
        + format(pattern, stat.path("max").asDouble())
        + "]";
  }

  private static String ratioCell(JsonNode row) {
    if (!row.path("ratioToReference").isNumber()) {
      return "–";
    }
    return format("%.2f", row.path("ratioToReference").asDouble())
        + " × "
        + row.path("reference").asText();
  }

  private static String mapCell(JsonNode map, String pattern) {
    StringJoiner parts = new StringJoiner(", ");
    for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      double median = entry.getValue().path("median").asDouble();
      parts.add(
          entry.getKey() + " " + (pattern == null ? number(median) : format(pattern, median)));
    }
    return parts.length() == 0 ? "–" : parts.toString();
  }

  private static String latencyCell(JsonNode row) {
    JsonNode latency = row.path("latencyMs");
    if (!latency.has("p50")) {
      return "–";
    }
    return row.path("latencyKind").asText()
        + " "
        + format("%.1f", latency.path("p50").path("median").asDouble())
        + "/"
        + format("%.1f", latency.path("p95").path("median").asDouble())
        + "/"
        + format("%.1f", latency.path("p99").path("median").asDouble());
  }

  private static String optionsText(JsonNode map) {
    StringJoiner parts = new StringJoiner(", ");
    map.fields().forEachRemaining(e -> parts.add(e.getKey() + "=" + e.getValue().asText()));
    return parts.toString();
  }

  /** Counts as integers, other figures with two decimals. */
  private static String number(double value) {
    return value == Math.rint(value) ? format("%,.0f", value) : format("%,.2f", value);
  }

  private static String format(String pattern, double value) {
    return String.format(Locale.ROOT, pattern, value);
  }
}
