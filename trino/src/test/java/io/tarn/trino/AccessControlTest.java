package io.tarn.trino;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessControlTest {
  @TempDir Path dir;

  @Test
  void writesTheFileAccessControlAndPointsTheServerAtIt() throws Exception {
    Path rules = Files.writeString(dir.resolve("rules.json"), "{\"catalogs\":[]}");
    Path etc = Files.createDirectories(dir.resolve("etc"));

    Map<String, String> server = TrinoServer.writeAccessControl(etc, AccessControl.file(rules));

    Path file = etc.resolve("access-control.properties");
    assertThat(server).containsExactly(Map.entry("access-control.config-files", file.toString()));
    Properties props = new Properties();
    try (var in = Files.newBufferedReader(file)) {
      props.load(in);
    }
    assertThat(props)
        .containsOnly(
            Map.entry("access-control.name", "file"),
            Map.entry("security.config-file", rules.toString()),
            Map.entry("security.refresh-period", "60s"));
  }

  @Test
  void withoutAccessControlAPreviousRunsFileIsRemoved() throws Exception {
    Path etc = Files.createDirectories(dir.resolve("etc"));
    Files.writeString(etc.resolve("access-control.properties"), "access-control.name=file\n");

    assertThat(TrinoServer.writeAccessControl(etc, null)).isEmpty();
    assertThat(etc.resolve("access-control.properties")).doesNotExist();
  }

  @Test
  void aMissingRulesFileFailsBeforeTrinoStarts() {
    Path etc = dir.resolve("etc");
    assertThatThrownBy(
            () -> TrinoServer.writeAccessControl(etc, AccessControl.file(dir.resolve("no.json"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rules file")
        .hasMessageContaining("no.json");
    assertThatThrownBy(() -> new AccessControl(dir.resolve("r.json"), 0))
        .hasMessageContaining("refresh period");
  }
}
