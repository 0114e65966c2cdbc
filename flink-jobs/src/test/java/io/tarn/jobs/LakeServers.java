package io.tarn.jobs;

import io.tarn.kafka.broker.KafkaBroker;
import io.tarn.schemas.registry.SchemaRegistryServer;
import io.tarn.testing.db.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the pipeline ITs share, for one test class: a folder (kept when a test failed), a Kafka
 * broker, a schema registry, and the job settings of a SQLite-catalog lake in that folder. Register
 * with {@code @RegisterExtension static final LakeServers SERVERS = new LakeServers();}.
 */
public final class LakeServers implements BeforeAllCallback, AfterAllCallback {
  private Path dir;
  private KafkaBroker broker;
  private SchemaRegistryServer registry;

  @Override
  public void beforeAll(ExtensionContext context) {
    try {
      dir = Files.createTempDirectory("tarn-" + context.getRequiredTestClass().getSimpleName());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    broker = KafkaBroker.start(dir.resolve("kafka"));
    registry = SchemaRegistryServer.start("127.0.0.1", 0, null);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (registry != null) {
      registry.close();
    }
    if (broker != null) {
      broker.close();
    }
    if (context.getExecutionException().isEmpty()) {
      Processes.deleteTree(dir);
    }
  }

  public Path dir() {
    return dir;
  }

  public KafkaBroker broker() {
    return broker;
  }

  public String bootstrapServers() {
    return broker.bootstrapServers();
  }

  public String registryUrl() {
    return registry.url();
  }

  /** The MiniCluster the pipeline ITs run their jobs on: one TaskManager with 8 slots. */
  public static MiniClusterExtension flinkCluster() {
    return new MiniClusterExtension(
        new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(8)
            .build());
  }

  /** Job settings for this lake: 1 s checkpoints, parallelism 2; callers add or override. */
  public Map<String, String> settings() {
    Map<String, String> settings = new HashMap<>();
    settings.put("kafka.bootstrap.servers", broker.bootstrapServers());
    settings.put("registry.url", registry.url());
    settings.put("catalog.uri", "jdbc:sqlite:" + dir.resolve("catalog.db"));
    settings.put("catalog.warehouse", dir.resolve("warehouse").toString());
    settings.put("checkpoint.interval", "1s");
    settings.put("job.parallelism", "2");
    return settings;
  }
}
