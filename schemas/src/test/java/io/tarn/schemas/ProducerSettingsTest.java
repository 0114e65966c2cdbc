package io.tarn.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

class ProducerSettingsTest {
  @Test
  void isIdempotentWithAllAcksForTheGivenBrokerAndClient() {
    Properties props = ProducerSettings.of("127.0.0.1:9092", "tarn-test");

    assertThat(props)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092",
                ProducerConfig.CLIENT_ID_CONFIG, "tarn-test",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                ProducerConfig.ACKS_CONFIG, "all"));
  }

  @Test
  void givesEachCallerItsOwnProperties() {
    Properties first = ProducerSettings.of("127.0.0.1:9092", "one");
    first.put(ProducerConfig.LINGER_MS_CONFIG, "5");

    assertThat(ProducerSettings.of("127.0.0.1:9092", "two"))
        .doesNotContainKey(ProducerConfig.LINGER_MS_CONFIG);
  }

  @Test
  void buildsAProducerKafkaAcceptsUnderTheClientId() {
    // no broker needed: the producer validates its settings at construction, connects on send
    KafkaProducer<String, byte[]> producer =
        ProducerSettings.producer(ProducerSettings.of("127.0.0.1:9", "tarn-test"));
    try {
      assertThat(producer.metrics().keySet())
          .anySatisfy(name -> assertThat(name.tags()).containsEntry("client-id", "tarn-test"));
    } finally {
      producer.close(Duration.ofSeconds(5));
    }
  }
}
