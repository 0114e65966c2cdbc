package io.tarn.jobs.bronze;

import io.tarn.jobs.JobEnvironment;
import io.tarn.jobs.config.JobConfig;
import io.tarn.jobs.kafka.KafkaRecordSource;
import io.tarn.jobs.lake.Lake;
import io.tarn.jobs.lake.TableNames;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.util.OutputTag;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.sink.IcebergSink;

/** Bronze: every topic into its own Iceberg table, raw, exactly once (one commit a checkpoint). */
public final class BronzeJob {
  public static final String NAME = "tarn-bronze";

  private BronzeJob() {}

  public static void main(String[] args) throws Exception {
    JobEnvironment.run(NAME, args, BronzeJob::addTo);
  }

  public static void addTo(StreamExecutionEnvironment env, JobConfig config) {
    Lake lake = new Lake(config);
    Map<String, OutputTag<RowData>> outputs = new LinkedHashMap<>();
    for (String topic : config.get(JobConfig.KAFKA_TOPICS)) {
      outputs.put(
          topic, new OutputTag<>("bronze-" + topic, InternalTypeInfo.of(BronzeTable.ROW_TYPE)));
    }
    SingleOutputStreamOperator<RowData> rows =
        env.fromSource(
                KafkaRecordSource.create(config, "bronze"),
                WatermarkStrategy.noWatermarks(),
                "kafka")
            .uid("bronze-kafka-source")
            .process(new BronzeRowFunction(config, outputs))
            .uid("bronze-rows")
            .name("bronze-rows")
            .returns(InternalTypeInfo.of(BronzeTable.ROW_TYPE));
    outputs.forEach(
        (topic, tag) -> {
          TableIdentifier id = TableNames.of("bronze", TableNames.forTopic(topic));
          lake.createIfAbsent(id, BronzeTable.SCHEMA, BronzeTable.SPEC, Map.of());
          IcebergSink.forRowData(rows.getSideOutput(tag))
              .tableLoader(lake.tableLoader(id))
              .uidSuffix("bronze-" + id.name())
              .append();
        });
  }
}
