package io.tarn.bench;

import io.tarn.kafka.broker.KafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * B0: what Kafka itself does on this machine, the reference every other row is a fraction of.
 * Kafka's own ProducerPerformance and ConsumerPerformance (each in its own JVM) against our
 * in-process byte producer and consumer, over the same topic shape.
 */
public final class KafkaCeilingBenchmark implements Benchmark {
  static final String RECORDS = "records";
  static final String RECORD_SIZE = "record-size";
  static final String PARTITIONS = "partitions";

  static final String PERF_PRODUCER = "kafka-perf-producer";
  static final String RAW_PRODUCER = "raw-producer";
  static final String PERF_CONSUMER = "kafka-perf-consumer";
  static final String RAW_CONSUMER = "raw-consumer";

  private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(15);

  @Override
  public String id() {
    return "kafka";
  }

  @Override
  public String code() {
    return "B0";
  }

  @Override
  public String title() {
    return "Kafka ceiling on this box";
  }

  @Override
  public String description() {
    return "Kafka's own `ProducerPerformance` / `ConsumerPerformance` (each a child JVM, as shipped"
        + " in kafka-tools) against Tarn's in-process byte producer and consumer (plain"
        + " `KafkaProducer`/`KafkaConsumer<byte[], byte[]>`), same broker, same settings (acks=all,"
        + " lz4, linger.ms=5, batch.size=256 KiB), same topic shape. Every other benchmark is read"
        + " against these rows. Each tool run is a cold JVM (its rate leaves start-up out, not JIT"
        + " warm-up) and ProducerPerformance generates a random payload per record, so where a raw"
        + " row beats its tool, the raw row is the ceiling to quote.";
  }

  @Override
  public List<BenchOption> options() {
    return List.of(
        new BenchOption(RECORDS, "1000000", "records per producer run (consumers read them all)"),
        new BenchOption(RECORD_SIZE, "200", "value size in bytes"),
        new BenchOption(PARTITIONS, "3", "partitions of each topic"));
  }

  @Override
  public void run(BenchContext ctx) throws Exception {
    long records = ctx.options().getLong(RECORDS);
    int recordSize = ctx.options().getInt(RECORD_SIZE);
    int partitions = ctx.options().getInt(PARTITIONS);

    List<Peer> peers = new ArrayList<>();
    peers.add(
        ctx.peer(
            PERF_PRODUCER,
            "`org.apache.kafka.tools.ProducerPerformance --throughput -1` in its own JVM; rate and"
                + " latency as the tool reports them",
            null));
    peers.add(
        ctx.peer(
            RAW_PRODUCER,
            "`KafkaProducer<byte[], byte[]>` in the bench JVM, same payload shape and settings",
            PERF_PRODUCER));
    peers.add(
        ctx.peer(
            PERF_CONSUMER,
            "`org.apache.kafka.tools.ConsumerPerformance` in its own JVM; `fetch.nMsg.sec` (group"
                + " join left out)",
            null));
    peers.add(
        ctx.peer(
            RAW_CONSUMER,
            "`KafkaConsumer<byte[], byte[]>` in the bench JVM, partitions assigned, reading the"
                + " topic the perf producer wrote",
            PERF_CONSUMER));
    for (Peer peer : peers) {
      peer.setup(Peer.RECORD_BYTES, recordSize)
          .setup(Peer.PARTITIONS, partitions)
          .setup(Peer.PARALLELISM, 1);
    }

    KafkaBroker broker = ctx.startBroker();
    String bootstrap = broker.bootstrapServers();
    Path logs = ctx.tempDir().resolve("tools");

    for (Round round : ctx.rounds()) {
      String toolTopic = "bench.kafka.tool-" + round.index();
      String rawTopic = "bench.kafka.raw-" + round.index();
      Topics.create(bootstrap, List.of(toolTopic, rawTopic), partitions);

      ctx.measure(
          peers.get(0),
          round,
          () ->
              ProducerPerformanceReport.parse(
                      PerfTool.run(
                          PerfTool.PRODUCER_PERFORMANCE,
                          producerPerformanceArgs(bootstrap, toolTopic, records, recordSize),
                          logs.resolve(toolTopic + "-producer.log"),
                          TOOL_TIMEOUT))
                  .toOutcome(recordSize));
      ctx.measure(
          peers.get(1), round, () -> RawProducer.produce(bootstrap, rawTopic, records, recordSize));
      ctx.measure(
          peers.get(2),
          round,
          () ->
              ConsumerPerformanceReport.parse(
                      PerfTool.run(
                          PerfTool.CONSUMER_PERFORMANCE,
                          List.of(
                              "--bootstrap-server",
                              bootstrap,
                              "--topic",
                              toolTopic,
                              "--num-records",
                              Long.toString(records),
                              "--timeout",
                              "60000"),
                          logs.resolve(toolTopic + "-consumer.log"),
                          TOOL_TIMEOUT))
                  .toOutcome());
      ctx.measure(
          peers.get(3), round, () -> RawConsumer.readAll(bootstrap, List.of(toolTopic), r -> {}));

      Topics.delete(bootstrap, List.of(toolTopic, rawTopic));
    }
  }

  static List<String> producerPerformanceArgs(
      String bootstrap, String topic, long records, int recordSize) {
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "--topic",
            topic,
            "--num-records",
            Long.toString(records),
            "--record-size",
            Integer.toString(recordSize),
            "--throughput",
            "-1",
            "--command-property"));
    // the same settings the raw producer uses, in the tool's prop=value form
    for (Map.Entry<String, String> setting : RawProducer.settings(bootstrap).entrySet()) {
      args.add(setting.getKey() + "=" + setting.getValue());
    }
    return args;
  }
}
