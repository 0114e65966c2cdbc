package io.tarn.jobs.bronze;

import io.tarn.jobs.config.JobConfig;
import io.tarn.jobs.kafka.KafkaRecord;
import io.tarn.jobs.kafka.SchemaRegistries;
import io.tarn.schemas.registry.DecodeException;
import io.tarn.schemas.registry.RecordDecoder;
import io.tarn.schemas.registry.SchemaRegistry;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Turns a Kafka record into a bronze row on its table's side output, or the main output for a topic
 * without one (change-event topics found by pattern). The value is kept as received; decoding it
 * only fills {@code decode_error}, so nothing is ever dropped for being malformed.
 */
public final class BronzeRowFunction extends ProcessFunction<KafkaRecord, RowData> {
  private final JobConfig config;
  private final Map<String, OutputTag<RowData>> outputs;
  private transient SchemaRegistry registry;
  private transient RecordDecoder decoder;
  private transient Counter undecodable;

  public BronzeRowFunction(JobConfig config, Map<String, OutputTag<RowData>> outputsByTopic) {
    this.config = config;
    this.outputs = outputsByTopic;
  }

  @Override
  public void open(OpenContext openContext) {
    registry = SchemaRegistries.connect(config);
    decoder = new RecordDecoder(registry);
    undecodable = getRuntimeContext().getMetricGroup().counter("undecodableRecords");
  }

  @Override
  public void processElement(KafkaRecord record, Context ctx, Collector<RowData> out) {
    Integer schemaId = null;
    String error = null;
    if (record.value != null) {
      try {
        schemaId = decoder.schemaId(record.value);
        decoder.decode(record.value, registry.schemaById(schemaId));
      } catch (DecodeException e) {
        error = e.ruleId() + ": " + e.getMessage();
      } catch (io.tarn.schemas.registry.UnknownSchemaException e) {
        error = "decode.unknown_schema_id: " + e.getMessage();
      }
      if (error != null) {
        undecodable.inc();
      }
    }
    GenericRowData row = new GenericRowData(9);
    row.setField(0, StringData.fromString(record.topic));
    row.setField(1, record.partition);
    row.setField(2, record.offset);
    row.setField(3, TimestampData.fromEpochMillis(record.timestamp));
    row.setField(4, record.key);
    row.setField(5, record.value);
    row.setField(6, schemaId);
    row.setField(7, error == null ? null : StringData.fromString(error));
    row.setField(8, TimestampData.fromEpochMillis(System.currentTimeMillis()));
    OutputTag<RowData> output = outputs.get(record.topic);
    if (output != null) {
      ctx.output(output, row);
    } else {
      out.collect(row);
    }
  }

  @Override
  public void close() {
    if (registry != null) {
      registry.close();
    }
  }
}
