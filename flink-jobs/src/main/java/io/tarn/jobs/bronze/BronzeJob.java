package io.tarn.jobs.bronze;

import io.tarn.jobs.JobEnvironment;
import io.tarn.jobs.config.JobConfig;
import io.tarn.jobs.kafka.KafkaRecordSource;
import io.tarn.jobs.kafka.KafkaTopics;
import io.tarn.jobs.lake.Lake;
import io.tarn.jobs.lake.TableMetadata;
import io.tarn.jobs.lake.TableNames;
import io.tarn.jobs.lineage.Datasets;
import io.tarn.jobs.lineage.JobLineage;
import io.tarn.jobs.lineage.JobLineage.Dataset;
import io.tarn.jobs.lineage.JobLineage.Input;
import io.tarn.schemas.DomainSchemas;
import io.tarn.schemas.TableContract;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    JobEnvironment.run(NAME, args, BronzeJob::addTo, BronzeJob::lineage);
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
          TableMetadata metadata = BronzeTable.metadata(topic);
          lake.createIfAbsent(
              id, metadata.document(BronzeTable.SCHEMA), BronzeTable.SPEC, metadata.properties());
          IcebergSink.forRowData(rows.getSideOutput(tag))
              .tableLoader(lake.tableLoader(id))
              .uidSuffix("bronze-" + id.name())
              .append();
        });
  }

  /**
   * Each domain topic into its bronze table: the raw value carries every field of the event, the
   * key the contract's key fields.
   */
  public static JobLineage lineage(JobConfig config) {
    List<Dataset> inputs = new ArrayList<>();
    List<Dataset> outputs = new ArrayList<>();
    for (String topic : config.get(JobConfig.KAFKA_TOPICS)) {
      Optional<TableContract> contract = DomainSchemas.forTopic(topic);
      Dataset source =
          contract
              .map(c -> Datasets.topic(config, c))
              .orElseGet(() -> Datasets.topic(config, topic));
      inputs.add(source);
      Map<String, List<Input>> derived = new HashMap<>();
      derived.put(
          "value",
          source.columns().stream().map(c -> source.field(c.name(), "TRANSFORMATION")).toList());
      contract.ifPresent(
          c ->
              derived.put(
                  "kafka_key",
                  c.key().stream().map(k -> source.field(k, "TRANSFORMATION")).toList()));
      TableMetadata metadata = BronzeTable.metadata(topic);
      outputs.add(
          Datasets.table(
              config,
              TableNames.of("bronze", TableNames.forTopic(topic)),
              metadata.document(BronzeTable.SCHEMA),
              metadata.properties(),
              derived));
    }
    return new JobLineage(NAME, inputs, outputs);
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
