package io.tarn.jobs.gold;

import io.tarn.jobs.lake.Lake;
import io.tarn.jobs.silver.SilverTable;
import io.tarn.schemas.DomainSchemas;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.iceberg.Schema;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.source.IcebergSource;
import org.apache.iceberg.flink.source.StreamingStartingStrategy;

/** Streams the appends of a silver table, projected to the columns an aggregate needs. */
final class SilverReader {
  private SilverReader() {}

  /** The projected stream; fields come in the order of {@code columns}' table positions. */
  static Projection read(
      StreamExecutionEnvironment env, Lake lake, String tableName, List<String> columns) {
    // Created here too, so gold can start before silver has run once.
    SilverTable silver = new SilverTable(DomainSchemas.forTable(tableName));
    Schema projected =
        lake.createIfAbsent(silver.id(), silver.schema(), silver.spec(), silver.properties())
            .select(columns);
    IcebergSource<RowData> source =
        IcebergSource.forRowData()
            .tableLoader(lake.tableLoader(silver.id()))
            .streaming(true)
            .monitorInterval(Duration.ofSeconds(1))
            .streamingStartingStrategy(StreamingStartingStrategy.INCREMENTAL_FROM_EARLIEST_SNAPSHOT)
            .project(projected)
            .build();
    DataStream<RowData> stream =
        env.fromSource(
                source,
                WatermarkStrategy.noWatermarks(),
                silver.id().toString(),
                InternalTypeInfo.of(FlinkSchemaUtil.convert(projected)))
            .uid("gold-source-" + tableName);
    return new Projection(stream, projected);
  }

  record Projection(DataStream<RowData> stream, Schema schema) {
    int position(String column) {
      List<String> names = schema.columns().stream().map(c -> c.name()).toList();
      int i = names.indexOf(column);
      if (i < 0) {
        throw new IllegalArgumentException("Cannot find column " + column + " in " + names);
      }
      return i;
    }
  }
}
