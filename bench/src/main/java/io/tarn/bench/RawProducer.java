package io.tarn.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The in-process producer reference: a plain {@code KafkaProducer<byte[], byte[]>} sending what
 * Kafka's ProducerPerformance sends (no key, random upper-case letters) with the same settings, so
 * the two differ only in who runs the client.
 */
public final class RawProducer {
  // distinct payloads cycled through; 4096 x 200 B spans far more than lz4's 64 KiB window, so
  // compression sees the same entropy as with a fresh random payload per record
  private static final int PAYLOADS = 4096;

  private RawProducer() {}

  /** The producer settings B0 prescribes, shared with the ProducerPerformance run. */
  public static Map<String, String> settings(String bootstrap) {
    Map<String, String> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
    return props;
  }

  /**
   * Sends {@code records} values of {@code recordSize} bytes to {@code topic}, waits for all acks.
   */
  public static Outcome produce(String bootstrap, String topic, long records, int recordSize) {
    byte[][] payloads = payloads(recordSize, new SplittableRandom(records));
    Histogram ackMicros = Latency.newMicrosHistogram();
    AtomicLong acked = new AtomicLong();
    AtomicReference<Exception> failure = new AtomicReference<>();

    Map<String, Object> props = new HashMap<>(settings(bootstrap));
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (long i = 0; i < records && failure.get() == null; i += 1) {
        long sentNanos = System.nanoTime();
        producer.send(
            new ProducerRecord<>(topic, payloads[(int) (i % PAYLOADS)]),
            (metadata, error) -> {
              if (error != null) {
                failure.compareAndSet(null, error);
              } else {
                // callbacks run on the single I/O thread: the histogram needs no lock
                ackMicros.recordValue((System.nanoTime() - sentNanos) / 1000);
                acked.incrementAndGet();
              }
            });
      }
      producer.flush();
    }
    if (failure.get() != null) {
      throw new IllegalStateException(
          "Cannot produce to topic " + topic + ": " + failure.get(), failure.get());
    }
    return Outcome.of(acked.get(), acked.get() * recordSize)
        .withLatency(Latency.ofMicros("ack", ackMicros));
  }

  private static byte[][] payloads(int size, SplittableRandom random) {
    byte[][] payloads = new byte[PAYLOADS][size];
    for (byte[] payload : payloads) {
      for (int j = 0; j < size; j += 1) {
        payload[j] = (byte) ('A' + random.nextInt(26));
      }
    }
    return payloads;
  }
}
