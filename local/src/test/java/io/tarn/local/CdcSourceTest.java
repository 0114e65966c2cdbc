package io.tarn.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tarn.jobs.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CdcSourceTest {
  @TempDir Path dir;

  @Test
  void missingFileFailsNamingIt() {
    Path missing = dir.resolve("nope.properties");
    assertThatThrownBy(() -> LocalOptions.parse(new String[] {"--cdc", missing.toString()}))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--cdc file " + missing);
  }

  @Test
  void topicPatternFollowsThePrefixAndSkipsTheQuarantineTopic() throws Exception {
    Path file = Files.writeString(dir.resolve("c.properties"), "topic.prefix=erp.v1\n");
    CdcSource cdc = CdcSource.read(file);
    Pattern pattern = Pattern.compile(cdc.topicPattern());
    assertThat(pattern.matcher("erp.v1.public.orders").matches()).isTrue();
    assertThat(pattern.matcher("erp.v1._quarantine").matches()).isFalse();
    assertThat(pattern.matcher("erpXv1.public.orders").matches()).isFalse();
    assertThat(cdc.ownDataDir()).isFalse();
  }

  @Test
  void defaultPrefixIsCdc() throws Exception {
    Path file = Files.writeString(dir.resolve("c.properties"), "data.dir=/var/lib/tarn-cdc\n");
    CdcSource cdc = CdcSource.read(file);
    assertThat(cdc.topicPrefix()).isEqualTo("cdc");
    assertThat(cdc.ownDataDir()).isTrue();
  }
}
