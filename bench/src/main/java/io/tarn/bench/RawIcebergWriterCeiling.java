package io.tarn.bench;

import io.tarn.jobs.bronze.BronzeTable;
import io.tarn.jobs.lake.TableNames;
import io.tarn.schemas.registry.DecodeException;
import io.tarn.schemas.registry.RecordDecoder;
import io.tarn.schemas.registry.SchemaRegistry;
import io.tarn.schemas.registry.UnknownSchemaException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.HdrHistogram.Histogram;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.FanoutDataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.util.PropertyUtil;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * B3's no-framework ceiling: what bronze ingestion costs with nothing but a Kafka consumer and
 * Iceberg's own Parquet writer. Each record becomes a bronze row (the same table shape as {@link
 * BronzeTable}, one table per topic, partitioned by ingest hour) and every {@code commitInterval}
 * the files written so far are committed as one append per table, as the Flink sink does per
 * checkpoint. Single-threaded: consume, convert, write and commit share one thread.
 *
 * <p>With a registry each value is also decoded once to fill {@code schema_id} and {@code
 * decode_error}, exactly the per-record work of the bronze job, so the two differ only in the
 * framework around it. Tables with nothing new are not committed: no empty snapshots.
 */
public final class RawIcebergWriterCeiling implements RawConsumer.Handler, AutoCloseable {
  private static final String NAMESPACE = "bronze";

  private final JdbcCatalog catalog;
  private final Map<String, TopicTable> tables = new LinkedHashMap<>();
  private final long commitIntervalNanos;
  private final SchemaRegistry registry;
  private final RecordDecoder decoder;
  private final Histogram commitMicros = Latency.newMicrosHistogram();
  // the interval starts with the first record, not when the tables were created
  private long nextCommitNanos = -1;
  private long commits = 0;
  private long dataFiles = 0;
  private long dataBytes = 0;
  private long rowsCommitted = 0;

  /**
   * Creates one bronze table per topic in a new SQLite-backed JDBC catalog in {@code warehouse}.
   *
   * @param registry the registry to validate values against, or null to skip decoding
   */
  public RawIcebergWriterCeiling(
      Path warehouse, Collection<String> topics, Duration commitInterval, SchemaRegistry registry) {
    this.catalog = catalog(warehouse);
    this.commitIntervalNanos = commitInterval.toNanos();
    this.registry = registry;
    this.decoder = registry == null ? null : new RecordDecoder(registry);

    catalog.createNamespace(Namespace.of(NAMESPACE));
    String operationId = UUID.randomUUID().toString();
    for (String topic : topics) {
      Table table =
          catalog
              .buildTable(TableNames.of(NAMESPACE, TableNames.forTopic(topic)), BronzeTable.SCHEMA)
              .withPartitionSpec(BronzeTable.SPEC)
              .withProperties(io.tarn.jobs.lake.Lake.TABLE_PROPERTIES)
              .create();
      tables.put(topic, new TopicTable(table, operationId));
    }
  }

  /** The ceiling's catalog on {@code warehouse}, for reading its tables back. */
  static JdbcCatalog catalog(Path warehouse) {
    try {
      Files.createDirectories(warehouse);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create warehouse " + warehouse, e);
    }
    JdbcCatalog catalog = new JdbcCatalog();
    catalog.setConf(new Configuration());
    catalog.initialize(
        "ceiling",
        Map.of(
            "uri", "jdbc:sqlite:" + warehouse.resolve("catalog.db").toAbsolutePath(),
            "warehouse", "file:" + warehouse.toAbsolutePath(),
            "jdbc.schema-version", "V1"));
    return catalog;
  }

  @Override
  public void accept(ConsumerRecord<byte[], byte[]> record) {
    TopicTable table = tables.get(record.topic());
    if (table == null) {
      throw new IllegalStateException(
          "Cannot write record of topic " + record.topic() + ": no table for it");
    }
    if (nextCommitNanos < 0) {
      nextCommitNanos = System.nanoTime() + commitIntervalNanos;
    }
    table.write(toRow(table.template, record));
  }

  @Override
  public void afterPoll() {
    if (nextCommitNanos >= 0 && System.nanoTime() >= nextCommitNanos) {
      commit();
      nextCommitNanos = System.nanoTime() + commitIntervalNanos;
    }
  }

  /** Commits what was written since the last commit; call once after the last record. */
  public void finish() {
    commit();
  }

  private GenericRecord toRow(GenericRecord template, ConsumerRecord<byte[], byte[]> record) {
    Integer schemaId = null;
    String error = null;
    byte[] value = record.value();
    if (decoder != null && value != null) {
      // the same calls as the bronze job's BronzeRowFunction
      try {
        schemaId = decoder.schemaId(value);
        decoder.decode(value, registry.schemaById(schemaId));
      } catch (DecodeException e) {
        error = e.ruleId() + ": " + e.getMessage();
      } catch (UnknownSchemaException e) {
        error = "decode.unknown_schema_id: " + e.getMessage();
      }
    }

    GenericRecord row = template.copy();
    row.set(0, record.topic());
    row.set(1, record.partition());
    row.set(2, record.offset());
    row.set(3, OffsetDateTime.ofInstant(Instant.ofEpochMilli(record.timestamp()), ZoneOffset.UTC));
    row.set(4, record.key() == null ? null : ByteBuffer.wrap(record.key()));
    row.set(5, value == null ? null : ByteBuffer.wrap(value));
    row.set(6, schemaId);
    row.set(7, error);
    row.set(8, OffsetDateTime.ofInstant(Instant.now(), ZoneOffset.UTC));
    return row;
  }

  private void commit() {
    for (TopicTable table : tables.values()) {
      List<DataFile> files = table.closeWriter();
      if (files.isEmpty()) {
        continue;
      }
      AppendFiles append = table.table.newAppend();
      files.forEach(append::appendFile);
      long start = System.nanoTime();
      append.commit();
      commitMicros.recordValue((System.nanoTime() - start) / 1000);
      commits += 1;
      for (DataFile file : files) {
        dataFiles += 1;
        dataBytes += file.fileSizeInBytes();
        rowsCommitted += file.recordCount();
      }
    }
  }

  public Latency commitLatency() {
    return Latency.ofMicros("commit", commitMicros);
  }

  public long commits() {
    return commits;
  }

  public long dataFiles() {
    return dataFiles;
  }

  public long dataBytes() {
    return dataBytes;
  }

  public long rowsCommitted() {
    return rowsCommitted;
  }

  /** Snapshots of every table that added no data file; BENCHMARKS.md wants none. */
  public long emptySnapshots() {
    long empty = 0;
    for (TopicTable table : tables.values()) {
      // our own commits keep each Table current: no catalog round trip needed
      empty += emptySnapshots(table.table);
    }
    return empty;
  }

  /** Snapshots of {@code table} that added no data file (a commit of nothing). */
  public static long emptySnapshots(Table table) {
    long empty = 0;
    for (Snapshot snapshot : table.snapshots()) {
      String added = snapshot.summary().get(SnapshotSummary.ADDED_FILES_PROP);
      if (added == null || Long.parseLong(added) == 0) {
        empty += 1;
      }
    }
    return empty;
  }

  @Override
  public void close() {
    for (TopicTable table : tables.values()) {
      table.abandonWriter();
    }
    catalog.close();
  }

  /** One table and the writer of its files since the last commit. */
  private static final class TopicTable {
    private final Table table;
    private final GenericRecord template;
    private final GenericFileWriterFactory writerFactory;
    private final OutputFileFactory fileFactory;
    private final PartitionKey partitionKey;
    private final InternalRecordWrapper wrapper;
    private final long targetFileSize;
    private FanoutDataWriter<Record> writer = null;

    TopicTable(Table table, String operationId) {
      this.table = table;
      this.template = GenericRecord.create(table.schema());
      this.writerFactory =
          new GenericFileWriterFactory.Builder(table)
              .dataFileFormat(FileFormat.PARQUET)
              .dataSchema(table.schema())
              .build();
      this.fileFactory =
          OutputFileFactory.builderFor(table, 0, 0)
              .format(FileFormat.PARQUET)
              .operationId(operationId)
              .build();
      this.partitionKey = new PartitionKey(table.spec(), table.schema());
      this.wrapper = new InternalRecordWrapper(table.schema().asStruct());
      this.targetFileSize =
          PropertyUtil.propertyAsLong(
              table.properties(),
              TableProperties.WRITE_TARGET_FILE_SIZE_BYTES,
              TableProperties.WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT);
    }

    void write(GenericRecord row) {
      if (writer == null) {
        writer = new FanoutDataWriter<>(writerFactory, fileFactory, table.io(), targetFileSize);
      }
      // partition values come from the wrapper, which turns OffsetDateTime into Iceberg's micros
      partitionKey.partition(wrapper.wrap(row));
      writer.write(row, table.spec(), partitionKey);
    }

    /** Closes the open writer and returns its files; none when nothing was written. */
    List<DataFile> closeWriter() {
      if (writer == null) {
        return List.of();
      }
      try {
        writer.close();
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot close data files of table " + table.name(), e);
      }
      List<DataFile> files = writer.result().dataFiles();
      writer = null;
      return files;
    }

    void abandonWriter() {
      if (writer != null) {
        try {
          writer.close();
        } catch (IOException e) {
          // already failing or done: the files become orphans of a throwaway warehouse
        }
        writer = null;
      }
    }
  }
}
