package io.tarn.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tarn.jobs.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalOptionsTest {
  @TempDir Path dir;

  @Test
  void parsesDurationRateAndSettings() {
    LocalOptions options =
        LocalOptions.parse(
            new String[] {"--duration", "60s", "--rate", "50", "--set", "checkpoint.interval=2s"});
    assertThat(options.duration()).isEqualTo(Duration.ofSeconds(60));
    assertThat(options.rate()).isEqualTo(50);
    assertThat(options.jobArgs()).containsExactly("--checkpoint.interval", "2s");
  }

  @Test
  void eventsBoundTheRunAndNeedAProducer() {
    assertThat(LocalOptions.parse(new String[] {}).events()).isEqualTo(-1);
    assertThat(LocalOptions.parse(new String[] {"--events", "2000"}).events()).isEqualTo(2000);
    assertThatThrownBy(() -> LocalOptions.parse(new String[] {"--events", "0"}))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--events '0'");
    assertThatThrownBy(() -> LocalOptions.parse(new String[] {"--events", "100", "--rate", "0"}))
        .isInstanceOf(ConfigException.class)
        .hasMessage("Cannot start Tarn: option --events 100 needs a producer, but --rate is 0");
  }

  @Test
  void withTrinoIsAFlagWithoutValue() {
    assertThat(LocalOptions.parse(new String[] {}).withTrino()).isFalse();
    LocalOptions options = LocalOptions.parse(new String[] {"--with-trino", "--duration", "30s"});
    assertThat(options.withTrino()).isTrue();
    assertThat(options.duration()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void unknownOptionFailsNamingIt() {
    assertThatThrownBy(() -> LocalOptions.parse(new String[] {"--durration", "60s"}))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown option --durration");
  }

  @Test
  void badDurationFailsNamingTheOption() {
    assertThatThrownBy(() -> LocalOptions.parse(new String[] {"--duration", "a minute"}))
        .hasMessageContaining("--duration")
        .hasMessageContaining("expected a duration");
  }

  @Test
  void unknownSettingFailsBeforeAnythingStarts() {
    assertThatThrownBy(
            () -> LocalOptions.parse(new String[] {"--set", "silver.dedupe.retension=1h"}))
        .hasMessageContaining("unknown key 'silver.dedupe.retension'")
        .hasMessageContaining("did you mean 'silver.dedupe.retention'");
  }

  @Test
  void configFileWithBadValueFailsNamingTheFile() throws Exception {
    Path file = Files.writeString(dir.resolve("tarn.properties"), "job.parallelism=-1\n");
    assertThatThrownBy(() -> LocalOptions.parse(new String[] {"--config", file.toString()}))
        .hasMessageContaining("job.parallelism")
        .hasMessageContaining(file.toString());
  }
}
