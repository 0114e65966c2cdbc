package io.tarn.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.FallbackKey;
import org.junit.jupiter.api.Test;

/**
 * The Flink settings the deployment files pass (compose's FLINK_PROPERTIES, each FlinkDeployment's
 * flinkConfiguration) are options Flink defines, so a misspelt or removed key is caught here
 * instead of being ignored by the cluster. Keys owned by plugins or the operator (S3 file systems,
 * metric reporters, {@code kubernetes.operator.*}) are outside flink-core.
 */
class FlinkSettingsTest {
  private static final List<String> PLUGIN_PREFIXES =
      List.of("s3.", "metrics.reporter.", "kubernetes.operator.");
  private static final Set<String> KNOWN = flinkCoreKeys();

  @Test
  void composeClusterSettingsAreFlinkOptions() {
    JsonNode compose = RepoTree.yaml(RepoTree.path("docker-compose.yml"));
    List<String> keys = new ArrayList<>();
    for (String line : compose.get("x-flink-properties").asText().split("\n")) {
      if (!line.isBlank()) {
        keys.add(line.substring(0, line.indexOf(':')).trim());
      }
    }
    assertKnown("docker-compose.yml x-flink-properties", keys);
  }

  @Test
  void flinkDeploymentSettingsAreFlinkOptions() {
    int deployments = 0;
    for (Path file : RepoTree.files("deploy/k8s/flink", ".yaml")) {
      for (JsonNode doc : RepoTree.yamlDocuments(file)) {
        if (doc.path("kind").asText().equals("FlinkDeployment")) {
          deployments++;
          List<String> keys = new ArrayList<>();
          doc.path("spec").path("flinkConfiguration").fieldNames().forEachRemaining(keys::add);
          assertKnown(file.toString(), keys);
        }
      }
    }
    assertThat(deployments).as("bronze, silver, gold, maintenance, audit").isEqualTo(5);
  }

  @Test
  void knowsFlinksOptionsIncludingDeprecatedKeys() {
    assertThat(KNOWN)
        .contains("execution.checkpointing.dir", "state.checkpoints.dir", "high-availability.type")
        .doesNotContain("state.checkpoint.dir");
  }

  private static void assertKnown(String where, List<String> keys) {
    assertThat(keys).as(where).isNotEmpty();
    for (String key : keys) {
      if (PLUGIN_PREFIXES.stream().noneMatch(key::startsWith)) {
        assertThat(KNOWN)
            .as("%s: Flink %s has no option '%s'", where, BuildOutputs.flinkVersion(), key)
            .contains(key);
      }
    }
  }

  /**
   * Every key (and fallback key) of the ConfigOption constants in flink-core's *Options classes.
   */
  private static Set<String> flinkCoreKeys() {
    Set<String> keys = new TreeSet<>();
    try (JarFile jar =
        new JarFile(
            Path.of(ConfigOption.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toFile())) {
      for (var entries = jar.entries(); entries.hasMoreElements(); ) {
        String name = entries.nextElement().getName();
        if (!name.startsWith("org/apache/flink/") || !name.endsWith("Options.class")) {
          continue;
        }
        Class<?> type;
        try {
          type =
              Class.forName(
                  name.replace('/', '.').replace(".class", ""),
                  false,
                  FlinkSettingsTest.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
          continue;
        }
        for (Field field : type.getDeclaredFields()) {
          if (Modifier.isStatic(field.getModifiers())
              && ConfigOption.class.isAssignableFrom(field.getType())) {
            field.setAccessible(true);
            ConfigOption<?> option = (ConfigOption<?>) field.get(null);
            keys.add(option.key());
            for (FallbackKey fallback : option.fallbackKeys()) {
              keys.add(fallback.getKey());
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException | IllegalAccessException e) {
      throw new IllegalStateException("Cannot read Flink's options: " + e.getMessage(), e);
    }
    return keys;
  }
}
