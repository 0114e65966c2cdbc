package io.tarn.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptureConfigTest {

  static Map<String, String> minimal() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("source.kind", "postgres");
    m.put("source.database", "shop");
    m.put("source.user", "cdc");
    m.put("source.password", "s3cret");
    m.put("kafka.bootstrap.servers", "localhost:9092");
    m.put("registry.url", "http://localhost:8081");
    return m;
  }

  @Test
  void defaults() {
    CaptureConfig config = CaptureConfig.of(minimal());
    assertThat(config.sourcePort()).isEqualTo(5432);
    assertThat(config.topicPrefix()).isEqualTo("cdc");
    assertThat(config.snapshotMode()).isEqualTo("initial");
    assertThat(config.slotName()).isEqualTo("tarn_cdc");
    assertThat(config.quarantineTopic()).isEqualTo("cdc._quarantine");
    assertThat(config.offsetFile().getFileName().toString()).isEqualTo("offsets.dat");
    assertThat(config.usesFileOffsets()).isTrue();
  }

  @Test
  void unknownKeysFailNamingTheKey() {
    Map<String, String> m = minimal();
    m.put("source.tabels", "public.x");
    assertThatThrownBy(() -> CaptureConfig.of(m))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'source.tabels'");
  }

  @Test
  void requiredAndInvalidValues() {
    Map<String, String> m = minimal();
    m.remove("registry.url");
    assertThatThrownBy(() -> CaptureConfig.of(m)).hasMessageContaining("registry.url");
    Map<String, String> bad = minimal();
    bad.put("source.kind", "oracle");
    assertThatThrownBy(() -> CaptureConfig.of(bad)).hasMessageContaining("postgres or mariadb");
  }

  @Test
  void secretsAreNeverDescribed() {
    Map<String, String> m = minimal();
    m.put("producer.sasl.jaas.config", "user=x password=y");
    CaptureConfig config = CaptureConfig.of(m);
    assertThat(config.describe()).doesNotContain("s3cret").doesNotContain("password=y");
    assertThat(config.toString()).doesNotContain("s3cret");
    assertThat(config.sourcePassword()).isEqualTo("s3cret");
  }

  @Test
  void passThroughAndArgs(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("capture.properties");
    StringBuilder text = new StringBuilder();
    minimal().forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    text.append(
        "debezium.offset.storage=org.apache.kafka.connect.storage.KafkaOffsetBackingStore\n");
    Files.writeString(file, text);
    CaptureConfig config =
        CaptureConfig.fromArgs(
            new String[] {
              "--config", file.toString(), "--source.kind", "mariadb", "--topic.prefix=x"
            });
    assertThat(config.sourceKind()).isEqualTo(CaptureConfig.SourceKind.MARIADB);
    assertThat(config.sourcePort()).isEqualTo(3306);
    assertThat(config.topicPrefix()).isEqualTo("x");
    assertThat(config.usesFileOffsets()).isFalse();
    assertThat(ChangeCapture.debeziumProperties(config).getProperty("offset.storage"))
        .endsWith("KafkaOffsetBackingStore");
    assertThat(ChangeCapture.debeziumProperties(config).getProperty("decimal.handling.mode"))
        .isEqualTo("precise");
  }
}
