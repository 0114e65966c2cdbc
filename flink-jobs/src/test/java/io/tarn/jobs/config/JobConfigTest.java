package io.tarn.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobConfigTest {
  @TempDir Path dir;

  private Map<String, String> valid() {
    Map<String, String> m = new HashMap<>();
    m.put("kafka.bootstrap.servers", "127.0.0.1:9092");
    m.put("registry.url", "http://127.0.0.1:8081/");
    m.put("catalog.uri", "jdbc:sqlite:" + dir.resolve("catalog.db"));
    m.put("catalog.warehouse", dir.resolve("warehouse").toString());
    return m;
  }

  @Test
  void parsesTypedValuesAndDefaults() {
    Map<String, String> m = valid();
    m.put("checkpoint.interval", "2s");
    JobConfig config = JobConfig.of(m);
    assertThat(config.get(JobConfig.CHECKPOINT_INTERVAL)).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.get(JobConfig.DEDUPE_RETENTION)).isEqualTo(Duration.ofHours(24));
    assertThat(config.get(JobConfig.REGISTRY_URL)).isEqualTo("http://127.0.0.1:8081");
    assertThat(config.get(JobConfig.KAFKA_TOPICS)).contains("shop.orders");
    assertThat(config.get(JobConfig.TARGET_FILE_SIZE)).isEqualTo(128L << 20);
  }

  @Test
  void unknownKeyFailsNamingItAndTheLikelyKey() {
    Map<String, String> m = valid();
    m.put("checkpoint.intervall", "2s");
    assertThatThrownBy(() -> JobConfig.of(m))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown key 'checkpoint.intervall'")
        .hasMessageContaining("did you mean 'checkpoint.interval'");
  }

  @Test
  void badValueFailsNamingKeySourceAndExpectation() throws Exception {
    Path file = dir.resolve("tarn.properties");
    Files.writeString(file, "checkpoint.interval = soon\n");
    Map<String, String> m = valid();
    String[] args =
        m.entrySet().stream()
            .flatMap(e -> java.util.stream.Stream.of("--" + e.getKey(), e.getValue()))
            .toArray(String[]::new);
    String[] withFile =
        java.util.stream.Stream.concat(
                java.util.stream.Stream.of("--config", file.toString()),
                java.util.Arrays.stream(args))
            .toArray(String[]::new);
    assertThatThrownBy(() -> JobConfig.fromArgs(withFile))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'checkpoint.interval'")
        .hasMessageContaining(file.toString())
        .hasMessageContaining("expected a duration");
  }

  @Test
  void missingRequiredKeyFails() {
    Map<String, String> m = valid();
    m.remove("registry.url");
    assertThatThrownBy(() -> JobConfig.of(m))
        .hasMessageContaining("missing required key 'registry.url'");
  }

  @Test
  void catalogInMissingFolderFailsAtStartup() {
    Map<String, String> m = valid();
    m.put("catalog.uri", "jdbc:sqlite:" + dir.resolve("nope/catalog.db"));
    assertThatThrownBy(() -> JobConfig.of(m))
        .hasMessageContaining("catalog.uri")
        .hasMessageContaining("does not exist");
  }

  @Test
  void warehouseThatIsAFileFails() throws Exception {
    Path file = Files.writeString(dir.resolve("file"), "x");
    Map<String, String> m = valid();
    m.put("catalog.warehouse", file.toString());
    assertThatThrownBy(() -> JobConfig.of(m)).hasMessageContaining("is a file, not a folder");
  }

  @Test
  void secretsAreNotEchoedInErrors() {
    Map<String, String> m = valid();
    m.put("catalog.jdbc.password", "hunter2");
    m.put("kafka.bootstrap.servers", "nonsense");
    assertThatThrownBy(() -> JobConfig.of(m))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
  }

  @Test
  void referenceListsEveryKey() {
    String reference = JobConfig.reference();
    JobConfig.KEYS.forEach(k -> assertThat(reference).contains("`" + k.name() + "`"));
  }

  @Test
  void s3KeysFailNamingTheKeyThatDoesNotFit() {
    Map<String, String> m = valid();
    m.put("catalog.warehouse", "s3://tarn-lake/warehouse");
    m.put("s3.access-key-id", "AKIAEXAMPLE");
    assertThatThrownBy(() -> JobConfig.of(m))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("key 's3.access-key-id' is set but 's3.secret-access-key' is not");

    Map<String, String> badUrl = valid();
    badUrl.put("s3.endpoint", "minio:9000");
    assertThatThrownBy(() -> JobConfig.of(badUrl))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("key 's3.endpoint'")
        .hasMessageContaining("expected an http:// or https:// URL");

    Map<String, String> kms = valid();
    kms.put("s3.encryption.kms-key-id", "alias/tarn");
    assertThatThrownBy(() -> JobConfig.of(kms))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "key 's3.encryption.kms-key-id' is set but 's3.encryption' is 'sse-s3'");

    Map<String, String> storageClass = valid();
    storageClass.put("s3.archive.storage-class", "COLD");
    assertThatThrownBy(() -> JobConfig.of(storageClass))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("key 's3.archive.storage-class'")
        .hasMessageContaining("expected one of GLACIER_IR, GLACIER");
  }

  @Test
  void secretS3KeyIsNeverEchoed() {
    Map<String, String> m = valid();
    m.put("s3.secret-access-key", "very-secret");
    m.put("s3.path-style-access", "yes");
    assertThatThrownBy(() -> JobConfig.of(m))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("key 's3.path-style-access'")
        .hasMessageNotContaining("very-secret");
  }
}
