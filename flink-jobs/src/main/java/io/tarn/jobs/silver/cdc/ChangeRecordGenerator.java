package io.tarn.jobs.silver.cdc;

import io.tarn.jobs.config.JobConfig;
import io.tarn.jobs.kafka.SchemaRegistries;
import io.tarn.jobs.lake.Lake;
import io.tarn.jobs.lake.TableNames;
import io.tarn.jobs.silver.AvroColumns;
import io.tarn.schemas.registry.RecordDecoder;
import io.tarn.schemas.registry.SchemaRegistry;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.Collector;
import org.apache.iceberg.DistributionMode;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.sink.dynamic.DynamicRecord;
import org.apache.iceberg.flink.sink.dynamic.DynamicRecordGenerator;

/**
 * Turns ordered change events into rows of their silver table for Iceberg's dynamic sink, which
 * creates the table on first sight and adds the columns a new schema version brings. Rows of tables
 * with a primary key are upserts (deletes become equality deletes); rows of tables without one are
 * appended.
 */
public final class ChangeRecordGenerator implements DynamicRecordGenerator<ChangeRecord> {
  private final JobConfig config;
  private final int writeParallelism;
  private transient SchemaRegistry registry;
  private transient RecordDecoder decoder;
  private transient Lake lake;
  private transient Catalog catalog;
  private transient Map<TableIdentifier, ChangeTable> tables;
  private transient Map<Integer, AvroColumns> versions;

  public ChangeRecordGenerator(JobConfig config, int writeParallelism) {
    this.config = config;
    this.writeParallelism = writeParallelism;
  }

  @Override
  public void open(OpenContext openContext) {
    registry = SchemaRegistries.connect(config);
    decoder = new RecordDecoder(registry);
    lake = new Lake(config);
    catalog = lake.catalogLoader().loadCatalog();
    tables = new HashMap<>();
    versions = new HashMap<>();
  }

  @Override
  public void generate(ChangeRecord change, Collector<DynamicRecord> out) {
    org.apache.avro.Schema writer = registry.schemaById(change.schemaId);
    TableIdentifier id = TableNames.of("silver", TableNames.forChangeTopic(change.topic));
    AvroColumns version =
        versions.computeIfAbsent(
            change.schemaId,
            schemaId -> {
              AvroColumns columns =
                  AvroColumns.of(ChangeEvent.rowSchema(writer), id.toString(), new int[] {1});
              // a version not seen before may follow an evolution by another subtask: re-read
              tables.remove(id);
              return columns;
            });
    ChangeTable table = tables.computeIfAbsent(id, t -> load(t, writer));
    table.accept(version);

    GenericRecord event = decoder.decode(change.value, writer);
    Object time = event.get("event_time");
    Object[] lineage = {
      StringData.fromString(event.get("op").toString()),
      change.position,
      time instanceof Instant i ? TimestampData.fromInstant(i) : null,
      change.partition,
      change.offset,
      change.schemaId
    };
    var row = table.row(ChangeEvent.row(event), version, lineage);
    boolean upsert = !table.key().isEmpty();
    if (upsert && ChangeEvent.isDelete(event)) {
      row.setRowKind(RowKind.DELETE);
    }
    DynamicRecord record =
        new DynamicRecord(
            id,
            "main",
            table.schema(),
            row,
            PartitionSpec.unpartitioned(),
            upsert ? DistributionMode.HASH : DistributionMode.NONE,
            writeParallelism);
    record.setUpsertMode(upsert);
    if (upsert) {
      record.setEqualityFields(new HashSet<>(table.key()));
    }
    out.collect(record);
  }

  /**
   * The table as it is in the catalog, created first if need be: rows must carry the table's own
   * schema from the first one on. The dynamic sink keeps one writer per schema, and an equality
   * delete from one writer does not reach a row another writer added in the same commit.
   */
  private ChangeTable load(TableIdentifier id, org.apache.avro.Schema writer) {
    if (!catalog.tableExists(id)) {
      ChangeTable shape = new ChangeTable(writer, id.toString());
      lake.createIfAbsent(
          id, shape.schema(), PartitionSpec.unpartitioned(), Map.of("tarn.zone", "silver"));
    }
    return new ChangeTable(catalog.loadTable(id).schema(), writer);
  }
}
