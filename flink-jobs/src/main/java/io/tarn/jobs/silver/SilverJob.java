package io.tarn.jobs.silver;

import io.tarn.jobs.JobEnvironment;
import io.tarn.jobs.config.JobConfig;
import io.tarn.jobs.kafka.KafkaRecordSource;
import io.tarn.jobs.lake.Lake;
import io.tarn.jobs.silver.dedupe.EventDeduplicator;
import io.tarn.jobs.silver.quality.QualityMetricsTable;
import io.tarn.jobs.silver.quality.QualityOperator;
import io.tarn.schemas.DomainSchemas;
import io.tarn.schemas.TableContract;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.iceberg.flink.sink.IcebergSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Silver: decode every event with its registered schema, drop duplicate event ids, check the
 * contract's quality rules, and append typed rows; refused records go to {@code silver.quarantine},
 * per-rule counts to {@code silver.quality_metrics}.
 */
public final class SilverJob {
  public static final String NAME = "tarn-silver";
  private static final Logger LOG = LoggerFactory.getLogger(SilverJob.class);

  private SilverJob() {}

  public static void main(String[] args) throws Exception {
    JobEnvironment.run(NAME, args, SilverJob::addTo);
  }

  public static void addTo(StreamExecutionEnvironment env, JobConfig config) {
    List<String> topics =
        config.get(JobConfig.KAFKA_TOPICS).stream()
            .filter(t -> DomainSchemas.forTopic(t).isPresent())
            .toList();
    if (topics.size() < config.get(JobConfig.KAFKA_TOPICS).size()) {
      LOG.warn("Topics without a contract stay in bronze only; silver reads {}", topics);
    }
    JobConfig silverConfig =
        config.with(Map.of(JobConfig.KAFKA_TOPICS.name(), String.join(",", topics)));
    Lake lake = new Lake(config);
    Duration outOfOrderness = config.get(JobConfig.OUT_OF_ORDERNESS);

    SingleOutputStreamOperator<SilverRecord> decoded =
        env.fromSource(
                KafkaRecordSource.create(silverConfig, "silver"),
                WatermarkStrategy.noWatermarks(),
                "kafka")
            .uid("silver-kafka-source")
            .process(new DecodeFunction(config))
            .uid("silver-decode")
            .name("decode");

    SingleOutputStreamOperator<SilverRecord> unique =
        decoded
            .assignTimestampsAndWatermarks(
                WatermarkStrategy.<SilverRecord>forBoundedOutOfOrderness(outOfOrderness)
                    .withTimestampAssigner((r, ts) -> r.eventTime)
                    .withIdleness(Duration.ofSeconds(30)))
            .uid("silver-watermarks")
            .keyBy(SilverRecord::dedupeKey)
            .process(new EventDeduplicator(config.get(JobConfig.DEDUPE_RETENTION)))
            .uid("silver-dedupe")
            .name("dedupe");

    SingleOutputStreamOperator<RowData> checked =
        unique
            .transform(
                "quality",
                InternalTypeInfo.of(QualityMetricsTable.ROW_TYPE),
                new QualityOperator(config))
            .uid("silver-quality");

    for (TableContract contract : DomainSchemas.all()) {
      if (!topics.contains(contract.topic())) {
        continue;
      }
      SilverTable table = new SilverTable(contract);
      lake.createIfAbsent(table.id(), table.schema(), table.spec(), table.properties());
      IcebergSink.forRowData(checked.getSideOutput(QualityOperator.outputFor(table)))
          .tableLoader(lake.tableLoader(table.id()))
          .uidSuffix("silver-" + contract.table())
          .append();
    }

    lake.createIfAbsent(
        QualityMetricsTable.ID, QualityMetricsTable.SCHEMA, QualityMetricsTable.SPEC, Map.of());
    IcebergSink.forRowData(checked)
        .tableLoader(lake.tableLoader(QualityMetricsTable.ID))
        .uidSuffix("silver-quality-metrics")
        .append();

    DataStream<RowData> quarantine =
        decoded
            .getSideOutput(DecodeFunction.QUARANTINE)
            .union(
                unique.getSideOutput(EventDeduplicator.QUARANTINE),
                checked.getSideOutput(QualityOperator.QUARANTINE))
            .map(QuarantineTable::toRow)
            .returns(InternalTypeInfo.of(QuarantineTable.ROW_TYPE))
            .uid("silver-quarantine-rows")
            .name("quarantine-rows");
    lake.createIfAbsent(
        QuarantineTable.ID,
        QuarantineTable.SCHEMA,
        QuarantineTable.SPEC,
        Map.of("tarn.zone", "silver"));
    IcebergSink.forRowData(quarantine)
        .tableLoader(lake.tableLoader(QuarantineTable.ID))
        .uidSuffix("silver-quarantine")
        .append();
  }
}
