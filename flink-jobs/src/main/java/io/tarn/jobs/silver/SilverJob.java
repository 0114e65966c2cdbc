package io.tarn.jobs.silver;

import io.tarn.governance.protect.Protection;
import io.tarn.jobs.JobEnvironment;
import io.tarn.jobs.config.JobConfig;
import io.tarn.jobs.kafka.KafkaRecordSource;
import io.tarn.jobs.kafka.KafkaTopics;
import io.tarn.jobs.lake.Lake;
import io.tarn.jobs.lineage.Datasets;
import io.tarn.jobs.lineage.JobLineage;
import io.tarn.jobs.lineage.JobLineage.Dataset;
import io.tarn.jobs.lineage.JobLineage.Input;
import io.tarn.jobs.silver.cdc.ChangeDecodeFunction;
import io.tarn.jobs.silver.cdc.ChangeOrderingFunction;
import io.tarn.jobs.silver.cdc.ChangeRecord;
import io.tarn.jobs.silver.cdc.ChangeRecordGenerator;
import io.tarn.jobs.silver.cdc.SchemaVersionGate;
import io.tarn.jobs.silver.dedupe.EventDeduplicator;
import io.tarn.jobs.silver.quality.FindingsTable;
import io.tarn.jobs.silver.quality.QualityMetricsTable;
import io.tarn.jobs.silver.quality.QualityOperator;
import io.tarn.schemas.DomainSchemas;
import io.tarn.schemas.FieldContract;
import io.tarn.schemas.TableContract;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.iceberg.flink.sink.IcebergSink;
import org.apache.iceberg.flink.sink.dynamic.DynamicIcebergSink;
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
    JobEnvironment.run(NAME, args, SilverJob::addTo, SilverJob::lineage);
  }

  /**
   * Each contract topic into its silver table, field by field under the same name; refused records
   * into quarantine, rule counts into quality metrics.
   */
  public static JobLineage lineage(JobConfig config) {
    PiiProtections protections = PiiProtections.of(config);
    List<Dataset> inputs = new ArrayList<>();
    List<Dataset> outputs = new ArrayList<>();
    for (String topic : config.get(JobConfig.KAFKA_TOPICS)) {
      DomainSchemas.forTopic(topic)
          .ifPresent(
              contract -> {
                Dataset source = Datasets.topic(config, contract);
                inputs.add(source);
                SilverTable table = new SilverTable(contract, protections.of(contract));
                Map<String, Protection> protectedFields = table.protection().byField();
                Map<String, List<Input>> derived = new HashMap<>();
                for (FieldContract f : contract.fields()) {
                  Protection p = protectedFields.get(f.name());
                  if (p == null || p.method() != Protection.Method.DROP) {
                    // a token, mask or generalisation is still derived from the field
                    String subtype = p == null ? "IDENTITY" : "TRANSFORMATION";
                    derived.put(f.name(), List.of(source.field(f.name(), subtype)));
                  }
                }
                outputs.add(
                    Datasets.table(
                        config, table.id(), table.schema(), table.properties(), derived));
              });
    }
    if (!inputs.isEmpty()) {
      outputs.add(
          Datasets.table(
              config,
              QuarantineTable.ID,
              QuarantineTable.SCHEMA,
              QuarantineTable.PROPERTIES,
              Map.of()));
      outputs.add(
          Datasets.table(
              config,
              QualityMetricsTable.ID,
              QualityMetricsTable.SCHEMA,
              QualityMetricsTable.PROPERTIES,
              Map.of()));
    }
    return new JobLineage(NAME, inputs, outputs);
  }

  public static void addTo(StreamExecutionEnvironment env, JobConfig config) {
    Lake lake = new Lake(config);
    List<DataStream<QuarantineRecord>> refused = new ArrayList<>();
    List<String> topics =
        config.get(JobConfig.KAFKA_TOPICS).stream()
            .filter(t -> DomainSchemas.forTopic(t).isPresent())
            .toList();
    if (topics.size() < config.get(JobConfig.KAFKA_TOPICS).size()) {
      LOG.warn("Topics without a contract stay in bronze only; silver reads {}", topics);
    }
    if (!topics.isEmpty()) {
      KafkaTopics.requireExisting(config, topics);
      refused.add(addDomainTopics(env, config, lake, topics));
    }
    if (!config.get(JobConfig.CDC_TOPIC_PATTERN).isEmpty()) {
      refused.add(addChangeTopics(env, config, lake));
    }
    if (refused.isEmpty()) {
      return;
    }
    DataStream<QuarantineRecord> all = refused.get(0);
    for (DataStream<QuarantineRecord> more : refused.subList(1, refused.size())) {
      all = all.union(more);
    }
    DataStream<RowData> quarantine =
        all.map(QuarantineTable::toRow)
            .returns(InternalTypeInfo.of(QuarantineTable.ROW_TYPE))
            .uid("silver-quarantine-rows")
            .name("quarantine-rows");
    lake.createIfAbsent(
        QuarantineTable.ID,
        QuarantineTable.SCHEMA,
        QuarantineTable.SPEC,
        QuarantineTable.PROPERTIES);
    IcebergSink.forRowData(quarantine)
        .tableLoader(lake.tableLoader(QuarantineTable.ID))
        .uidSuffix("silver-quarantine")
        .append();
  }

  /**
   * Domain events: decode, dedupe by event id, quality rules, typed rows per contract table.
   * Returns what they refused.
   */
  private static DataStream<QuarantineRecord> addDomainTopics(
      StreamExecutionEnvironment env, JobConfig config, Lake lake, List<String> topics) {
    JobConfig silverConfig =
        config.with(Map.of(JobConfig.KAFKA_TOPICS.name(), String.join(",", topics)));
    Duration outOfOrderness = config.get(JobConfig.OUT_OF_ORDERNESS);
    PiiProtections protections = PiiProtections.of(config);

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
                new QualityOperator(config, protections))
            .uid("silver-quality");

    for (TableContract contract : DomainSchemas.all()) {
      if (!topics.contains(contract.topic())) {
        continue;
      }
      SilverTable table = new SilverTable(contract, protections.of(contract));
      lake.createIfAbsent(table.id(), table.schema(), table.spec(), table.properties());
      IcebergSink.forRowData(checked.getSideOutput(QualityOperator.outputFor(table)))
          .tableLoader(lake.tableLoader(table.id()))
          .uidSuffix("silver-" + contract.table())
          .append();
    }

    lake.createIfAbsent(
        QualityMetricsTable.ID,
        QualityMetricsTable.SCHEMA,
        QualityMetricsTable.SPEC,
        QualityMetricsTable.PROPERTIES);
    IcebergSink.forRowData(checked)
        .tableLoader(lake.tableLoader(QualityMetricsTable.ID))
        .uidSuffix("silver-quality-metrics")
        .append();

    if (protections.findingRules().isPresent()) {
      lake.createIfAbsent(FindingsTable.ID, FindingsTable.SCHEMA, FindingsTable.SPEC, Map.of());
      IcebergSink.forRowData(checked.getSideOutput(QualityOperator.FINDINGS))
          .tableLoader(lake.tableLoader(FindingsTable.ID))
          .uidSuffix("silver-pii-findings")
          .append();
    }

    return decoded
        .getSideOutput(DecodeFunction.QUARANTINE)
        .union(
            unique.getSideOutput(EventDeduplicator.QUARANTINE),
            checked.getSideOutput(QualityOperator.QUARANTINE));
  }

  /**
   * Change events (topics matching {@code cdc.topic-pattern}) keep the current state of each source
   * table: decoded, ordered per row by source position, upserted through the dynamic sink. Returns
   * what they refused, or null without CDC.
   */
  private static DataStream<QuarantineRecord> addChangeTopics(
      StreamExecutionEnvironment env, JobConfig config, Lake lake) {
    int parallelism = config.get(JobConfig.PARALLELISM);
    SingleOutputStreamOperator<ChangeRecord> changes =
        env.fromSource(
                KafkaRecordSource.forChanges(config, "silver"),
                WatermarkStrategy.noWatermarks(),
                "kafka-cdc")
            .uid("silver-cdc-source")
            .process(new ChangeDecodeFunction(config))
            .uid("silver-cdc-decode")
            .name("cdc-decode");
    DataStream<ChangeRecord> ordered =
        changes
            .keyBy(ChangeRecord::rowKey)
            .process(new ChangeOrderingFunction())
            .uid("silver-cdc-ordering")
            .name("cdc-ordering");
    // One generator subtask per table: it alone evolves the table's schema, so every row it emits
    // has the table's current shape (the dynamic sink would otherwise rewrite rows of an older
    // shape and lose their row kind: a delete would become an upsert). Per-row order is kept: a
    // row's changes all come from one ordering subtask over one channel. The gate moves a
    // schema change to a commit boundary.
    DataStream<ChangeRecord> byTable =
        ordered
            .partitionCustom(
                (topic, partitions) -> Math.floorMod(topic.hashCode(), partitions), c -> c.topic)
            .transform(
                "cdc-schema-gate", TypeInformation.of(ChangeRecord.class), new SchemaVersionGate())
            .uid("silver-cdc-schema-gate");
    DynamicIcebergSink.forInput(byTable)
        .generator(new ChangeRecordGenerator(config, parallelism))
        .catalogLoader(lake.catalogLoader())
        .writeParallelism(parallelism)
        .uidPrefix("silver-cdc")
        // evolve tables inline: a record sent round the table-update side path could overtake
        // or trail other changes of its row
        .immediateTableUpdate(true)
        .append();
    return changes.getSideOutput(ChangeDecodeFunction.QUARANTINE);
  }
}
