package io.tarn.jobs.bronze;

import io.tarn.jobs.lake.TableNames;
import org.apache.flink.table.data.RowData;
import org.apache.flink.util.Collector;
import org.apache.iceberg.DistributionMode;
import org.apache.iceberg.flink.sink.dynamic.DynamicRecord;
import org.apache.iceberg.flink.sink.dynamic.DynamicRecordGenerator;

/**
 * Routes bronze rows of change-event topics, which appear while the job runs, to their bronze table
 * ({@code bronze.<db>_<table>}), created by Iceberg's dynamic sink on first sight.
 */
final class ChangeTopicRouter implements DynamicRecordGenerator<RowData> {
  private final int writeParallelism;

  ChangeTopicRouter(int writeParallelism) {
    this.writeParallelism = writeParallelism;
  }

  @Override
  public void generate(RowData row, Collector<DynamicRecord> out) {
    String topic = row.getString(0).toString();
    out.collect(
        new DynamicRecord(
            TableNames.of("bronze", TableNames.forChangeTopic(topic)),
            "main",
            BronzeTable.SCHEMA,
            row,
            BronzeTable.SPEC,
            DistributionMode.NONE,
            writeParallelism));
  }
}
