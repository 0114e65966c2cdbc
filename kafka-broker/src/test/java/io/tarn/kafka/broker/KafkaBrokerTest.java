package io.tarn.kafka.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerTest {
  @TempDir Path dir;

  @Test
  void findsTheJarsCopiedByTheBuild() {
    assertThat(KafkaBroker.libDir().resolve("kafka-clients-4.2.0.jar")).exists();
    assertThat(KafkaBroker.libDir().resolve("log4j-slf4j2-impl-2.24.3.jar")).exists();
    assertThat(KafkaBroker.libDir().resolve("slf4j-api-2.0.17.jar")).exists();
  }

  @Test
  void namesTheFolderWhenTheJarsAreMissing() {
    Path empty = dir.resolve("broker-lib");
    System.setProperty("tarn.kafka.broker.lib", empty.toString());
    try {
      assertThatThrownBy(KafkaBroker::libDir)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("Cannot find Kafka broker jars at " + empty + ": run ./mvnw install first");
    } finally {
      System.clearProperty("tarn.kafka.broker.lib");
    }
  }

  @Test
  void failsFastOnAPersistedPortThatIsTaken() throws Exception {
    try (var taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      Files.writeString(
          dir.resolve("ports.properties"),
          "broker.port="
              + taken.getLocalPort()
              + "\ncontroller.port="
              + taken.getLocalPort()
              + "\n");

      assertThatThrownBy(() -> KafkaBroker.start(dir))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "Cannot start Kafka broker: port "
                  + taken.getLocalPort()
                  + " on 127.0.0.1 is in use (persisted in "
                  + dir.resolve("ports.properties")
                  + ")");
    }
    // nothing was started or written besides what was there
    assertThat(List.of(dir.toFile().list())).containsExactly("ports.properties");
  }
}
