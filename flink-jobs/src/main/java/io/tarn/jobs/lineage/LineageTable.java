package io.tarn.jobs.lineage;

import static org.apache.iceberg.types.Types.NestedField.optional;
import static org.apache.iceberg.types.Types.NestedField.required;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tarn.jobs.lake.Lake;
import io.tarn.jobs.lake.TableNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.encryption.EncryptedFiles;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.types.Types;

/**
 * {@code ops.lineage}: every OpenLineage run event the jobs emitted, one row each, so lineage is
 * queryable from the lake itself ({@code ./tarn lineage}, Trino) without a Marquez.
 */
public final class LineageTable {
  public static final TableIdentifier ID = TableNames.of("ops", "lineage");

  public static final Schema SCHEMA =
      new Schema(
          required(1, "event_time", Types.TimestampType.withZone(), "When the run changed state"),
          required(2, "event_type", Types.StringType.get(), "START, COMPLETE or FAIL"),
          required(3, "job_namespace", Types.StringType.get(), "OpenLineage job namespace"),
          required(4, "job_name", Types.StringType.get(), "The Flink job"),
          required(5, "run_id", Types.StringType.get(), "One id per submission of the job"),
          required(
              6,
              "inputs",
              Types.ListType.ofRequired(10, Types.StringType.get()),
              "Datasets read: topics and tables"),
          required(
              7,
              "outputs",
              Types.ListType.ofRequired(11, Types.StringType.get()),
              "Datasets written"),
          optional(
              8,
              "column_lineage",
              Types.StringType.get(),
              "JSON: output dataset -> column -> input fields"),
          required(9, "event", Types.StringType.get(), "The whole OpenLineage event (JSON)"));

  private static final ObjectMapper JSON = new ObjectMapper();

  private LineageTable() {}

  /** Appends one event as one small data file (events are rare: a few per job run). */
  public static void append(Lake lake, RunEvent event) {
    lake.createIfAbsent(
        ID,
        SCHEMA,
        PartitionSpec.unpartitioned(),
        Map.of(
            "tarn.zone", "ops",
            "comment", "OpenLineage run events of every Tarn job",
            // every job appends here: retry commits that raced another job's
            "commit.retry.num-retries", "20"));
    Catalog catalog = lake.catalogLoader().loadCatalog();
    try {
      Table table = catalog.loadTable(ID);
      GenericAppenderFactory factory = new GenericAppenderFactory(table.schema(), table.spec());
      String path = table.locationProvider().newDataLocation(UUID.randomUUID() + ".parquet");
      DataWriter<Record> writer =
          factory.newDataWriter(
              EncryptedFiles.plainAsEncryptedOutput(table.io().newOutputFile(path)),
              FileFormat.PARQUET,
              null);
      try (writer) {
        writer.write(row(table.schema(), event));
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot write lineage event to " + ID, e);
      }
      DataFile file = writer.toDataFile();
      table.newAppend().appendFile(file).commit();
    } finally {
      Lake.closeQuietly(catalog);
    }
  }

  static Record row(Schema schema, RunEvent event) {
    GenericRecord row = GenericRecord.create(schema);
    row.setField("event_time", OffsetDateTime.ofInstant(event.eventTime(), ZoneOffset.UTC));
    row.setField("event_type", event.eventType());
    row.setField("job_namespace", event.jobNamespace());
    row.setField("job_name", event.lineage().job());
    row.setField("run_id", event.runId().toString());
    row.setField("inputs", names(event.lineage().inputs()));
    row.setField("outputs", names(event.lineage().outputs()));
    ObjectNode json = event.toJson();
    ObjectNode columns = JSON.createObjectNode();
    for (JsonNode output : json.get("outputs")) {
      JsonNode fields = output.path("facets").path("columnLineage").path("fields");
      if (!fields.isMissingNode()) {
        columns.set(output.get("name").asText(), fields);
      }
    }
    row.setField("column_lineage", columns.isEmpty() ? null : columns.toString());
    row.setField("event", json.toString());
    return row;
  }

  private static List<String> names(List<JobLineage.Dataset> datasets) {
    return datasets.stream().map(JobLineage.Dataset::name).toList();
  }

  /** Every stored event, oldest first, as OpenLineage JSON; empty if no job emitted one yet. */
  public static List<JsonNode> read(Lake lake) {
    Catalog catalog = lake.catalogLoader().loadCatalog();
    try {
      if (!catalog.tableExists(ID)) {
        return List.of();
      }
      List<Record> rows = new ArrayList<>();
      try (CloseableIterable<Record> records =
          IcebergGenerics.read(catalog.loadTable(ID)).select("event_time", "event").build()) {
        records.forEach(r -> rows.add(r.copy()));
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read " + ID, e);
      }
      rows.sort(
          (a, b) ->
              ((OffsetDateTime) a.getField("event_time"))
                  .compareTo((OffsetDateTime) b.getField("event_time")));
      List<JsonNode> events = new ArrayList<>();
      for (Record row : rows) {
        events.add(JSON.readTree((String) row.getField("event")));
      }
      return events;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot parse an event of " + ID, e);
    } finally {
      Lake.closeQuietly(catalog);
    }
  }
}
