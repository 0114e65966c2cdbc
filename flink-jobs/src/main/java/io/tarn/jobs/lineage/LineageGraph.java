package io.tarn.jobs.lineage;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The lineage graph of the lake as the newest run event of each job describes it: which job writes
 * which dataset from which, and each output column's input fields. Renders what {@code ./tarn
 * lineage <table>} prints.
 */
public final class LineageGraph {
  /** One job reading {@code input} to write {@code output}. */
  public record Edge(String input, String job, String output) {}

  private final Map<String, JsonNode> latestByJob = new LinkedHashMap<>();
  private final Map<String, String> namespaces = new LinkedHashMap<>();
  private final List<Edge> edges = new ArrayList<>();

  /** The graph of {@code events} (oldest first); a job's newer event replaces its older ones. */
  public LineageGraph(List<JsonNode> events) {
    for (JsonNode event : events) {
      latestByJob.put(event.path("job").path("name").asText(), event);
    }
    latestByJob.forEach(
        (job, event) -> {
          List<String> allInputs = new ArrayList<>();
          for (JsonNode input : event.path("inputs")) {
            namespaces.put(input.get("name").asText(), input.get("namespace").asText());
            allInputs.add(input.get("name").asText());
          }
          for (JsonNode output : event.path("outputs")) {
            String name = output.get("name").asText();
            namespaces.put(name, output.get("namespace").asText());
            for (String input : inputsOf(output, allInputs)) {
              edges.add(new Edge(input, job, name));
            }
          }
        });
  }

  /**
   * The inputs an output is written from: those its column lineage names, or, for an output without
   * column lineage (quarantine, metrics), every input of the job.
   */
  private static Set<String> inputsOf(JsonNode output, List<String> allInputs) {
    Set<String> named = new LinkedHashSet<>();
    for (JsonNode column : output.path("facets").path("columnLineage").path("fields")) {
      for (JsonNode input : column.path("inputFields")) {
        named.add(input.get("name").asText());
      }
    }
    return named.isEmpty() ? new LinkedHashSet<>(allInputs) : named;
  }

  public boolean knows(String dataset) {
    return namespaces.containsKey(dataset);
  }

  public Set<String> datasets() {
    return namespaces.keySet();
  }

  /** Every edge leading to {@code dataset}, nearest first. */
  public List<Edge> upstream(String dataset) {
    return walk(dataset, true);
  }

  /** Every edge leading from {@code dataset}, nearest first. */
  public List<Edge> downstream(String dataset) {
    return walk(dataset, false);
  }

  private List<Edge> walk(String start, boolean up) {
    Set<Edge> found = new LinkedHashSet<>();
    List<String> frontier = List.of(start);
    Set<String> seen = new LinkedHashSet<>(frontier);
    while (!frontier.isEmpty()) {
      List<String> next = new ArrayList<>();
      for (String dataset : frontier) {
        for (Edge edge : edges) {
          if ((up ? edge.output() : edge.input()).equals(dataset) && found.add(edge)) {
            String other = up ? edge.input() : edge.output();
            if (seen.add(other)) {
              next.add(other);
            }
          }
        }
      }
      frontier = next;
    }
    return List.copyOf(found);
  }

  /**
   * Column lineage of {@code dataset}: each column with its input fields as {@code name.field
   * (SUBTYPE)}, from the newest event of the job writing it.
   */
  public Map<String, List<String>> columns(String dataset) {
    Map<String, List<String>> columns = new LinkedHashMap<>();
    for (JsonNode event : latestByJob.values()) {
      for (JsonNode output : event.path("outputs")) {
        if (!output.get("name").asText().equals(dataset)) {
          continue;
        }
        output
            .path("facets")
            .path("columnLineage")
            .path("fields")
            .fields()
            .forEachRemaining(
                column -> {
                  List<String> inputs =
                      columns.computeIfAbsent(column.getKey(), k -> new ArrayList<>());
                  for (JsonNode input : column.getValue().path("inputFields")) {
                    inputs.add(
                        input.get("name").asText()
                            + "."
                            + input.get("field").asText()
                            + " ("
                            + input.path("transformations").path(0).path("subtype").asText("?")
                            + ")");
                  }
                });
      }
    }
    return columns;
  }

  /** The report of {@code ./tarn lineage <dataset>}. */
  public String render(String dataset) {
    if (!knows(dataset)) {
      throw new IllegalArgumentException(
          "Cannot show lineage of "
              + dataset
              + ": no job reported it; known datasets: "
              + String.join(", ", datasets()));
    }
    StringBuilder out = new StringBuilder();
    out.append(dataset).append("  (").append(namespaces.get(dataset)).append(")\n");
    out.append("\nUpstream:\n");
    appendEdges(out, upstream(dataset));
    out.append("\nDownstream:\n");
    appendEdges(out, downstream(dataset));
    out.append("\nColumns:\n");
    Map<String, List<String>> columns = columns(dataset);
    if (columns.isEmpty()) {
      out.append("  (no column lineage)\n");
    }
    int width = columns.keySet().stream().mapToInt(String::length).max().orElse(0);
    columns.forEach(
        (column, inputs) ->
            out.append("  ")
                .append(String.format("%-" + width + "s", column))
                .append("  <- ")
                .append(String.join(", ", inputs))
                .append('\n'));
    out.append("\nJobs:\n");
    Set<String> jobs = new LinkedHashSet<>();
    upstream(dataset).forEach(e -> jobs.add(e.job()));
    downstream(dataset).forEach(e -> jobs.add(e.job()));
    for (String job : jobs) {
      JsonNode event = latestByJob.get(job);
      out.append("  ")
          .append(job)
          .append(": ")
          .append(event.path("eventType").asText())
          .append(" at ")
          .append(event.path("eventTime").asText())
          .append(", run ")
          .append(event.path("run").path("runId").asText())
          .append('\n');
    }
    return out.toString();
  }

  private static void appendEdges(StringBuilder out, List<Edge> edges) {
    if (edges.isEmpty()) {
      out.append("  (none)\n");
    }
    for (Edge edge : edges) {
      out.append("  ")
          .append(edge.input())
          .append("  --")
          .append(edge.job())
          .append("-->  ")
          .append(edge.output())
          .append('\n');
    }
  }
}
