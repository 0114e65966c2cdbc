package io.tarn.kafka.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerIT {
  private static final String TOPIC = "tarn.broker-it";
  private static final int RECORDS = 1000;

  @TempDir Path dataDir;

  @Test
  void keepsAddressAndRecordsAcrossRestartAndRefusesATakenPort() throws Exception {
    String firstAddress;
    try (KafkaBroker broker = KafkaBroker.start(dataDir)) {
      firstAddress = broker.bootstrapServers();
      assertThat(firstAddress).startsWith("127.0.0.1:");
      assertThat(ProcessHandle.of(broker.pid()))
          .hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
      assertThat(dataDir.resolve("broker.log")).content().contains("Kafka Server started");

      produce(firstAddress);
      assertThat(consumeAll(firstAddress))
          .hasSize(RECORDS)
          .containsExactlyInAnyOrderElementsOf(expectedValues());
    }

    try (KafkaBroker broker = KafkaBroker.start(dataDir)) {
      assertThat(broker.bootstrapServers()).isEqualTo(firstAddress);
      assertThat(consumeAll(broker.bootstrapServers()))
          .as("records written before the restart")
          .containsExactlyInAnyOrderElementsOf(expectedValues());
    }

    int port = persistedBrokerPort();
    try (ServerSocket taken = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
      assertThatThrownBy(() -> KafkaBroker.start(dataDir))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(
              "Cannot start Kafka broker: port " + port + " on 127.0.0.1 is in use")
          .hasMessageContaining(dataDir.resolve("ports.properties").toString());
    }
  }

  @Test
  void reportsTheChildsOutputWhenItCannotStart(@TempDir Path otherDir) {
    assertThatThrownBy(() -> KafkaBroker.start(otherDir, Map.of("num.partitions", "many")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Cannot")
        .hasMessageContaining("exited with code")
        .hasMessageContaining("num.partitions");
  }

  private static void produce(String bootstrap) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < RECORDS; i += 1) {
        producer.send(new ProducerRecord<>(TOPIC, "key-" + i, "value-" + i));
      }
      producer.flush();
    }
  }

  private static List<String> consumeAll(String bootstrap) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(TOPIC));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (values.size() < RECORDS && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          values.add(record.value());
        }
      }
    }
    return values;
  }

  private static List<String> expectedValues() {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < RECORDS; i += 1) {
      values.add("value-" + i);
    }
    return values;
  }

  private int persistedBrokerPort() throws IOException {
    Properties props = new Properties();
    try (Reader reader = Files.newBufferedReader(dataDir.resolve("ports.properties"))) {
      props.load(reader);
    }
    return Integer.parseInt(props.getProperty("broker.port"));
  }
}
