package io.tarn.jobs.silver;

import io.tarn.jobs.config.JobConfig;
import io.tarn.jobs.kafka.KafkaRecord;
import io.tarn.jobs.kafka.SchemaRegistries;
import io.tarn.schemas.DomainSchemas;
import io.tarn.schemas.TableContract;
import io.tarn.schemas.registry.DecodeException;
import io.tarn.schemas.registry.RecordDecoder;
import io.tarn.schemas.registry.SchemaRegistry;
import java.time.Instant;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decodes a record against its table's contract (the reader schema), reading the envelope that
 * dedupe needs. A record that cannot be decoded goes to quarantine with a {@code decode.*} rule.
 */
public final class DecodeFunction extends ProcessFunction<KafkaRecord, SilverRecord> {
  public static final OutputTag<QuarantineRecord> QUARANTINE =
      new OutputTag<>("quarantine-decode", TypeInformation.of(QuarantineRecord.class));

  private final JobConfig config;
  private transient SchemaRegistry registry;
  private transient RecordDecoder decoder;

  public DecodeFunction(JobConfig config) {
    this.config = config;
  }

  @Override
  public void open(OpenContext openContext) {
    registry = SchemaRegistries.connect(config);
    decoder = new RecordDecoder(registry);
  }

  @Override
  public void processElement(KafkaRecord record, Context ctx, Collector<SilverRecord> out) {
    TableContract contract = DomainSchemas.forTopic(record.topic).orElse(null);
    if (contract == null) {
      ctx.output(
          QUARANTINE,
          QuarantineRecord.of(
              record, null, "decode", "decode.no_contract", "no contract for " + record.topic));
      return;
    }
    if (record.value == null) {
      ctx.output(
          QUARANTINE,
          QuarantineRecord.of(record, null, "decode", "decode.tombstone", "record has no value"));
      return;
    }
    Integer schemaId = null;
    try {
      schemaId = decoder.schemaId(record.value);
      GenericRecord value = decoder.decode(record.value, contract.schema());
      Object eventId = value.get("event_id");
      Object eventTime = value.get("event_time");
      if (eventId == null || !(eventTime instanceof Instant time)) {
        ctx.output(
            QUARANTINE,
            QuarantineRecord.of(
                record,
                schemaId,
                "decode",
                "decode.missing_envelope",
                "event_id or event_time is missing"));
        return;
      }
      out.collect(new SilverRecord(record, schemaId, eventId.toString(), time.toEpochMilli()));
    } catch (DecodeException e) {
      ctx.output(
          QUARANTINE, QuarantineRecord.of(record, schemaId, "decode", e.ruleId(), e.getMessage()));
    }
  }

  @Override
  public void close() {
    if (registry != null) {
      registry.close();
    }
  }
}
