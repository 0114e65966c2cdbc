package io.tarn.jobs.silver.cdc;

import io.tarn.jobs.config.JobConfig;
import io.tarn.jobs.kafka.KafkaRecord;
import io.tarn.jobs.kafka.SchemaRegistries;
import io.tarn.jobs.silver.QuarantineRecord;
import io.tarn.schemas.registry.DecodeException;
import io.tarn.schemas.registry.RecordDecoder;
import io.tarn.schemas.registry.SchemaRegistry;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Reads a change event's operation and source position with its own (writer) schema; what is not a
 * decodable change event goes to quarantine.
 */
public final class ChangeDecodeFunction extends ProcessFunction<KafkaRecord, ChangeRecord> {
  public static final OutputTag<QuarantineRecord> QUARANTINE =
      new OutputTag<>("quarantine-cdc", TypeInformation.of(QuarantineRecord.class));

  private final JobConfig config;
  private transient SchemaRegistry registry;
  private transient RecordDecoder decoder;

  public ChangeDecodeFunction(JobConfig config) {
    this.config = config;
  }

  @Override
  public void open(OpenContext openContext) {
    registry = SchemaRegistries.connect(config);
    decoder = new RecordDecoder(registry);
  }

  @Override
  public void processElement(KafkaRecord record, Context ctx, Collector<ChangeRecord> collector) {
    if (record.value == null) {
      return; // a tombstone after a delete carries nothing to apply
    }
    Integer schemaId = null;
    try {
      schemaId = decoder.schemaId(record.value);
      GenericRecord change = decoder.decode(record.value, registry.schemaById(schemaId));
      String problem = ChangeEvent.problemWith(change);
      if (problem != null) {
        ctx.output(
            QUARANTINE,
            QuarantineRecord.of(record, schemaId, "decode", "cdc.not_a_change_event", problem));
        return;
      }
      ChangeRecord decoded = new ChangeRecord(record, schemaId, ChangeEvent.position(change));
      if (record.key == null && "r".equals(String.valueOf(change.get("op")))) {
        decoded.keylessReadId = String.valueOf(change.get("event_id"));
      }
      collector.collect(decoded);
    } catch (DecodeException e) {
      ctx.output(
          QUARANTINE, QuarantineRecord.of(record, schemaId, "decode", e.ruleId(), e.getMessage()));
    } catch (io.tarn.schemas.registry.UnknownSchemaException e) {
      ctx.output(
          QUARANTINE,
          QuarantineRecord.of(
              record, schemaId, "decode", "decode.unknown_schema_id", e.getMessage()));
    }
  }

  @Override
  public void close() {
    if (registry != null) {
      registry.close();
    }
  }
}
