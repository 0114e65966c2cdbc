package io.tarn.jobs.lineage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tarn.jobs.lineage.JobLineage.Column;
import io.tarn.jobs.lineage.JobLineage.Dataset;
import io.tarn.jobs.lineage.JobLineage.Input;
import java.time.Instant;
import java.util.UUID;

/**
 * One OpenLineage run event (spec 2-0-2) of a job: its state change, run, and the datasets with
 * their schema, documentation, ownership and, for outputs, column lineage facets.
 */
public record RunEvent(
    String eventType, Instant eventTime, UUID runId, String jobNamespace, JobLineage lineage) {
  public static final String PRODUCER = "https://github.com/tarn-lake/tarn/tree/main/flink-jobs";
  public static final String SCHEMA_URL =
      "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent";
  private static final String FACETS = "https://openlineage.io/spec/facets/";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The event types Tarn emits (OpenLineage's START, RUNNING, COMPLETE, ABORT, FAIL). */
  public static final String START = "START";

  public static final String COMPLETE = "COMPLETE";
  public static final String FAIL = "FAIL";

  public ObjectNode toJson() {
    ObjectNode event = JSON.createObjectNode();
    event.put("eventType", eventType);
    event.put("eventTime", eventTime.toString());
    event.putObject("run").put("runId", runId.toString());
    ObjectNode job = event.putObject("job");
    job.put("namespace", jobNamespace);
    job.put("name", lineage.job());
    ObjectNode jobType =
        job.putObject("facets").putObject("jobType").put("processingType", "STREAMING");
    jobType.put("integration", "FLINK").put("jobType", "JOB");
    facet(jobType, "2-0-3/JobTypeJobFacet.json");
    ArrayNode inputs = event.putArray("inputs");
    lineage.inputs().forEach(d -> inputs.add(dataset(d)));
    ArrayNode outputs = event.putArray("outputs");
    lineage.outputs().forEach(d -> outputs.add(dataset(d)));
    event.put("producer", PRODUCER);
    event.put("schemaURL", SCHEMA_URL);
    return event;
  }

  @Override
  public String toString() {
    return toJson().toString();
  }

  private static ObjectNode dataset(Dataset d) {
    ObjectNode node = JSON.createObjectNode();
    node.put("namespace", d.namespace());
    node.put("name", d.name());
    ObjectNode facets = node.putObject("facets");
    ObjectNode schema = facets.putObject("schema");
    facet(schema, "1-1-1/SchemaDatasetFacet.json");
    ArrayNode fields = schema.putArray("fields");
    for (Column column : d.columns()) {
      ObjectNode field = fields.addObject().put("name", column.name()).put("type", column.type());
      if (column.description() != null) {
        field.put("description", column.description());
      }
    }
    if (d.description() != null) {
      facet(
          facets.putObject("documentation").put("description", d.description()),
          "1-0-1/DocumentationDatasetFacet.json");
    }
    if (d.owner() != null) {
      ObjectNode ownership = facets.putObject("ownership");
      facet(ownership, "1-0-1/OwnershipDatasetFacet.json");
      ownership.putArray("owners").addObject().put("name", d.owner()).put("type", "team");
    }
    if (d.columns().stream().anyMatch(c -> !c.inputs().isEmpty())) {
      ObjectNode lineage = facets.putObject("columnLineage");
      facet(lineage, "1-2-0/ColumnLineageDatasetFacet.json");
      ObjectNode byColumn = lineage.putObject("fields");
      for (Column column : d.columns()) {
        if (column.inputs().isEmpty()) {
          continue;
        }
        ArrayNode inputFields = byColumn.putObject(column.name()).putArray("inputFields");
        for (Input input : column.inputs()) {
          ObjectNode inputField =
              inputFields
                  .addObject()
                  .put("namespace", input.namespace())
                  .put("name", input.name())
                  .put("field", input.field());
          inputField
              .putArray("transformations")
              .addObject()
              .put("type", input.type())
              .put("subtype", input.subtype());
        }
      }
    }
    return node;
  }

  private static void facet(ObjectNode facet, String schema) {
    facet.put("_producer", PRODUCER);
    facet.put("_schemaURL", FACETS + schema);
  }
}
