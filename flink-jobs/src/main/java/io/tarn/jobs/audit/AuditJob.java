package io.tarn.jobs.audit;

import io.tarn.jobs.JobEnvironment;
import io.tarn.jobs.config.ConfigException;
import io.tarn.jobs.config.JobConfig;
import io.tarn.jobs.kafka.KafkaRecordSource;
import io.tarn.jobs.lake.Lake;
import io.tarn.jobs.lake.TableNames;
import io.tarn.jobs.silver.QuarantineTable;
import io.tarn.schemas.audit.AuditEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.sink.IcebergSink;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Audit: the platform's audit events ({@value AuditEvent#TOPIC}) and Trino's completed queries
 * ({@value #TRINO_TOPIC}) into {@code audit.events}, each event once, numbered and hash-chained
 * (see {@link AuditChain}), exactly once through the Iceberg sink's checkpoint commits. Parallelism
 * 1 throughout: one chain has one order.
 */
public final class AuditJob {
  public static final String NAME = "tarn-audit";

  /** Where Trino's Kafka event listener publishes completed queries. */
  public static final String TRINO_TOPIC = "tarn.audit.trino";

  public static final TableIdentifier QUARANTINE = TableNames.of("audit", "quarantine");

  /** A repeated event id is dropped if it comes back within this long of the first. */
  static final Duration DEDUPE_RETENTION = Duration.ofDays(30);

  private AuditJob() {}

  public static void main(String[] args) throws Exception {
    JobEnvironment.run(NAME, args, AuditJob::addTo);
  }

  public static void addTo(StreamExecutionEnvironment env, JobConfig config) {
    Lake lake = new Lake(config);
    List<String> topics = List.of(AuditEvent.TOPIC, TRINO_TOPIC);
    createTopics(config, topics);
    lake.createIfAbsent(AuditTable.ID, AuditTable.SCHEMA, AuditTable.SPEC, Map.of());
    lake.createIfAbsent(QUARANTINE, QuarantineTable.SCHEMA, QuarantineTable.SPEC, Map.of());
    SingleOutputStreamOperator<AuditEntry> entries =
        env.fromSource(
                KafkaRecordSource.forTopics(config, "audit", topics),
                WatermarkStrategy.noWatermarks(),
                "kafka-audit")
            .setParallelism(1)
            .uid("audit-kafka-source")
            .process(new AuditDecodeFunction(TRINO_TOPIC))
            .setParallelism(1)
            .uid("audit-decode")
            .name("audit-decode");
    SingleOutputStreamOperator<RowData> rows =
        entries
            .keyBy(e -> e.eventId, Types.STRING)
            .process(new FirstSeenFunction(DEDUPE_RETENTION))
            .setParallelism(1)
            .uid("audit-first-seen")
            .name("audit-first-seen")
            .keyBy(e -> 0, Types.INT)
            .process(new AuditChainFunction(lake.catalogLoader()))
            .setParallelism(1)
            .uid("audit-chain")
            .name("audit-chain")
            .returns(InternalTypeInfo.of(AuditTable.ROW_TYPE));
    IcebergSink.forRowData(rows)
        .tableLoader(lake.tableLoader(AuditTable.ID))
        .writeParallelism(1)
        .uidSuffix("audit-events")
        .append();
    IcebergSink.forRowData(entries.getSideOutput(AuditDecodeFunction.QUARANTINE))
        .tableLoader(lake.tableLoader(QUARANTINE))
        .writeParallelism(1)
        .uidSuffix("audit-quarantine")
        .append();
  }

  /**
   * Creates the audit topics if missing, with one partition: the chain has one order, and a
   * producer's events then arrive in the order it sent them.
   */
  public static void createTopics(JobConfig config, List<String> topics) {
    Properties props = new Properties();
    props.putAll(config.withPrefix(JobConfig.KAFKA_PASSTHROUGH));
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.get(JobConfig.KAFKA_BOOTSTRAP));
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
    try (Admin admin = Admin.create(props)) {
      Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
      for (String topic : topics) {
        if (existing.contains(topic)) {
          continue;
        }
        try {
          admin
              .createTopics(
                  List.of(
                      new NewTopic(topic, java.util.Optional.of(1), java.util.Optional.empty())))
              .all()
              .get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
    } catch (Exception e) {
      throw new ConfigException(
          "Cannot create audit topics %s on %s (key 'kafka.bootstrap.servers'): %s",
          topics, config.get(JobConfig.KAFKA_BOOTSTRAP), e.getMessage());
    }
  }
}
