package io.tarn.bench;

import io.tarn.kafka.broker.KafkaBroker;
import io.tarn.schemas.DomainSchemas;
import io.tarn.schemas.TableContract;
import io.tarn.schemas.registry.RecordDecoder;
import io.tarn.schemas.registry.RestSchemaRegistry;
import io.tarn.schemas.registry.SchemaRegistryServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * B1: consuming and decoding (Confluent wire format to Avro generic records through the registry)
 * against consuming the same bytes raw, same run, same topics.
 */
public final class DecodeBenchmark implements Benchmark {
  static final String EVENTS = "events";
  static final String PARTITIONS = "partitions";

  static final String RAW_CONSUMER = "raw-consumer";
  static final String DECODE_CONSUMER = "decode-consumer";

  @Override
  public String id() {
    return "decode";
  }

  @Override
  public String code() {
    return "B1";
  }

  @Override
  public String title() {
    return "consume + decode (registry wire format to typed rows)";
  }

  @Override
  public String description() {
    return "The domain topics filled once by the Tarn workload generator (clean events,"
        + " unthrottled), read by two peers running the same consumer loop: `raw-consumer` hands"
        + " the bytes to nothing (the B0 raw consumer), `decode-consumer` decodes each value with"
        + " `RecordDecoder` against the topic's contract schema, schemas fetched from a real"
        + " registry (an in-process `SchemaRegistryServer`). Goal: decode ≥ 60% of B0 consume.";
  }

  @Override
  public List<BenchOption> options() {
    return List.of(
        new BenchOption(EVENTS, "500000", "workload events produced once, read by every peer"),
        new BenchOption(PARTITIONS, "3", "partitions of each domain topic"));
  }

  @Override
  public void run(BenchContext ctx) throws Exception {
    int partitions = ctx.options().getInt(PARTITIONS);
    Peer raw = ctx.peer(RAW_CONSUMER, "`KafkaConsumer<byte[], byte[]>`, values untouched", null);
    Peer decode =
        ctx.peer(
            DECODE_CONSUMER,
            "the same loop plus `RecordDecoder.decode(value, contract schema)` per record",
            RAW_CONSUMER);

    KafkaBroker broker = ctx.startBroker();
    SchemaRegistryServer server = ctx.startRegistry();
    RestSchemaRegistry registry = ctx.closeAtEnd(new RestSchemaRegistry(server.url()));
    String bootstrap = broker.bootstrapServers();
    WorkloadFill.fill(ctx, bootstrap, registry, ctx.options().getLong(EVENTS), partitions);
    List<String> topics = WorkloadFill.topics();

    Map<String, Schema> readerSchemas = new HashMap<>();
    for (TableContract contract : DomainSchemas.all()) {
      readerSchemas.put(contract.topic(), contract.schema());
    }
    RecordDecoder decoder = new RecordDecoder(registry);

    for (Round round : ctx.rounds()) {
      Measurement rawRun =
          ctx.measure(raw, round, () -> RawConsumer.readAll(bootstrap, topics, record -> {}));
      ctx.measure(decode, round, () -> decodeAll(bootstrap, topics, decoder, readerSchemas));

      if (round.index() == 0) {
        long recordBytes = Math.round(rawRun.bytes() / (double) rawRun.records());
        for (Peer peer : List.of(raw, decode)) {
          peer.setup(Peer.RECORD_BYTES, "~" + recordBytes + " (key+value)")
              .setup(Peer.PARTITIONS, partitions)
              .setup(Peer.PARALLELISM, 1);
        }
      }
    }
  }

  /** Reads and decodes every record; a clean workload record that does not decode is a bug. */
  private static Outcome decodeAll(
      String bootstrap, List<String> topics, RecordDecoder decoder, Map<String, Schema> readers) {
    long[] decoded = {0};
    Outcome outcome =
        RawConsumer.readAll(
            bootstrap,
            topics,
            record -> {
              // counting non-null results keeps the JIT from dropping the decode as dead code
              if (decoder.decode(record.value(), readers.get(record.topic())) != null) {
                decoded[0] += 1;
              }
            });
    if (decoded[0] != outcome.records()) {
      throw new IllegalStateException(
          String.format(
              "Cannot measure decoding: %,d of %,d records decoded to null",
              outcome.records() - decoded[0], outcome.records()));
    }
    return outcome;
  }
}
