package io.tarn.schemas;

import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The producer settings every Tarn writer to its topics shares: idempotent with acks=all, so a
 * retried send is neither lost nor written twice. Callers add what is theirs (batching, timeouts)
 * to the returned properties; what happens to a failed send stays with each caller.
 */
public final class ProducerSettings {
  private ProducerSettings() {}

  /** Fresh properties for one producer: bootstrap servers, client id, idempotence, acks=all. */
  public static Properties of(String bootstrapServers, String clientId) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    return props;
  }

  /**
   * A producer with the given settings for what Tarn's topics carry: UTF-8 string keys and byte
   * values (Avro in the wire format, or JSON). Serializers are passed as instances, not class
   * names, so no class loader (Flink's user-code one included) has to find them.
   */
  public static KafkaProducer<String, byte[]> producer(Properties settings) {
    return new KafkaProducer<>(settings, new StringSerializer(), new ByteArraySerializer());
  }
}
