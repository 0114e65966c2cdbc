package io.tarn.jobs.maintenance;

import static org.apache.iceberg.types.Types.NestedField.required;
import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.jobs.JobEnvironment;
import io.tarn.jobs.LakeReader;
import io.tarn.jobs.config.JobConfig;
import io.tarn.jobs.lake.Lake;
import io.tarn.jobs.lake.TableNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.FileAppender;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The maintenance job compacts a table of many small commits without changing its content. */
class MaintenanceJobIT {
  @RegisterExtension
  static final MiniClusterExtension FLINK =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(4)
              .build());

  private static final Schema SCHEMA =
      new Schema(
          required(1, "id", Types.LongType.get()), required(2, "name", Types.StringType.get()));

  @TempDir Path dir;

  @Test
  void compactsSmallFilesAndKeepsEveryRow() throws Exception {
    JobConfig config =
        JobConfig.of(
            Map.of(
                "kafka.bootstrap.servers", "127.0.0.1:9",
                "registry.url", "http://127.0.0.1:9",
                "catalog.uri", "jdbc:sqlite:" + dir.resolve("catalog.db"),
                "catalog.warehouse", dir.resolve("warehouse").toString(),
                "checkpoint.interval", "1s",
                "maintenance.interval", "3s",
                "maintenance.commit-count", "5"));
    Lake lake = new Lake(config);
    TableIdentifier id = TableNames.of("bronze", "events");
    lake.createIfAbsent(id, SCHEMA, PartitionSpec.unpartitioned(), Map.of());
    Table table = lake.catalogLoader().loadCatalog().loadTable(id);
    Set<Long> written = new HashSet<>();
    for (int commit = 0; commit < 20; commit++) {
      table.newAppend().appendFile(smallFile(table, commit, written)).commit();
    }
    table.refresh();
    assertThat(dataFiles(table)).isEqualTo(20);

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.configure(Configuration.fromMap(JobEnvironment.settings(config)));
    MaintenanceJob.addTo(env, config, List.of(id));
    JobClient job = env.executeAsync("maintenance-it");
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (dataFiles(table) > 1 && System.nanoTime() < deadline) {
        Thread.sleep(1000);
        table.refresh();
      }
    } finally {
      job.cancel().get();
    }
    assertThat(dataFiles(table)).isEqualTo(1);
    Set<Long> read = new HashSet<>();
    List<Record> rows = new LakeReader(lake).rows("bronze", "events");
    rows.forEach(r -> read.add((Long) r.getField("id")));
    assertThat(rows).hasSize(written.size());
    assertThat(read).isEqualTo(written);
  }

  private static long dataFiles(Table table) {
    return Long.parseLong(table.currentSnapshot().summary().get("total-data-files"));
  }

  private static DataFile smallFile(Table table, int commit, Set<Long> written) throws Exception {
    OutputFile out =
        table
            .io()
            .newOutputFile(table.locationProvider().newDataLocation("part-" + commit + ".parquet"));
    GenericAppenderFactory factory = new GenericAppenderFactory(table.schema(), table.spec());
    FileAppender<Record> appender = factory.newAppender(out, FileFormat.PARQUET);
    try (appender) {
      for (int i = 0; i < 10; i++) {
        long rowId = commit * 100L + i;
        GenericRecord record = GenericRecord.create(table.schema());
        record.setField("id", rowId);
        record.setField("name", "row-" + rowId);
        appender.add(record);
        written.add(rowId);
      }
    }
    return DataFiles.builder(table.spec())
        .withInputFile(out.toInputFile())
        .withMetrics(appender.metrics())
        .withFormat(FileFormat.PARQUET)
        .withFileSizeInBytes(appender.length())
        .build();
  }
}
