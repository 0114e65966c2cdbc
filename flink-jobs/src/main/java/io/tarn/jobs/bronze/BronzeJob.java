package io.tarn.jobs.bronze;

import io.tarn.jobs.JobEnvironment;
import io.tarn.jobs.config.JobConfig;
import io.tarn.jobs.kafka.KafkaRecordSource;
import io.tarn.jobs.kafka.KafkaTopics;
import io.tarn.jobs.lake.Lake;
import io.tarn.jobs.lake.TableNames;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.util.OutputTag;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.sink.IcebergSink;
import org.apache.iceberg.flink.sink.dynamic.DynamicIcebergSink;

/** Bronze: every topic into its own Iceberg table, raw, exactly once (one commit a checkpoint). */
public final class BronzeJob {
  public static final String NAME = "tarn-bronze";

  private BronzeJob() {}

  public static void main(String[] args) throws Exception {
    JobEnvironment.run(NAME, args, BronzeJob::addTo);
  }

  public static void addTo(StreamExecutionEnvironment env, JobConfig config) {
    Lake lake = new Lake(config);
    addChangeTopics(env, config, lake);
    List<String> topics = config.get(JobConfig.KAFKA_TOPICS);
    if (topics.isEmpty()) {
      return;
    }
    KafkaTopics.requireExisting(config, topics);
    Map<String, OutputTag<RowData>> outputs = new LinkedHashMap<>();
    for (String topic : topics) {
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

  /** Change-event topics (by pattern) go through the dynamic sink: they appear at run time. */
  private static void addChangeTopics(StreamExecutionEnvironment env, JobConfig config, Lake lake) {
    if (config.get(JobConfig.CDC_TOPIC_PATTERN).isEmpty()) {
      return;
    }
    int parallelism = config.get(JobConfig.PARALLELISM);
    DataStream<RowData> rows =
        env.fromSource(
                KafkaRecordSource.forChanges(config, "bronze"),
                WatermarkStrategy.noWatermarks(),
                "kafka-cdc")
            .uid("bronze-cdc-source")
            .process(new BronzeRowFunction(config, Map.of()))
            .uid("bronze-cdc-rows")
            .name("bronze-cdc-rows")
            .returns(InternalTypeInfo.of(BronzeTable.ROW_TYPE));
    DynamicIcebergSink.forInput(rows)
        .generator(new ChangeTopicRouter(parallelism))
        .catalogLoader(lake.catalogLoader())
        .writeParallelism(parallelism)
        .uidPrefix("bronze-cdc")
        // evolve tables inline: a record sent round the table-update side path could overtake
        // or trail other changes of its row
        .immediateTableUpdate(true)
        .append();
  }
}
