package io.tarn.local;

import io.tarn.cdc.CaptureProcess;
import io.tarn.jobs.config.ConfigException;
import io.tarn.kafka.broker.ChildProcess;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * {@code ./tarn local --cdc capture.properties}: a database captured into the local broker by
 * cdc-capture in a child JVM. The file is the one {@code ./tarn cdc} takes; local mode fills in the
 * broker and registry, and keeps the capture's offsets under the lake folder unless the file names
 * a {@code data.dir}.
 */
record CdcSource(Path config, String topicPrefix, boolean ownDataDir) {
  static final String DEFAULT_PREFIX = "cdc";

  static CdcSource read(Path config) {
    if (!Files.isRegularFile(config)) {
      throw new ConfigException(
          "Cannot start Tarn: --cdc file %s does not exist (see cdc-capture/capture.example.properties)",
          config);
    }
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(config)) {
      p.load(in);
    } catch (IOException e) {
      throw new ConfigException("Cannot start Tarn: cannot read --cdc file %s: %s", config, e);
    }
    String prefix = p.getProperty("topic.prefix", DEFAULT_PREFIX).trim();
    return new CdcSource(
        config.toAbsolutePath().normalize(), prefix, p.getProperty("data.dir") != null);
  }

  /** The change topics the jobs subscribe to: every table's topic, not the quarantine topic. */
  String topicPattern() {
    return Pattern.quote(topicPrefix) + "\\.(?!_).*";
  }

  CaptureProcess start(String bootstrapServers, String registryUrl, DataDir dataDir) {
    List<String> args = new ArrayList<>();
    args.addAll(List.of("--config", config.toString()));
    args.addAll(List.of("--kafka.bootstrap.servers", bootstrapServers));
    args.addAll(List.of("--registry.url", registryUrl));
    if (!ownDataDir) {
      args.addAll(List.of("--data.dir", dataDir.cdc().toString()));
    }
    Path target = Path.of(System.getProperty("tarn.home", "")).resolve("cdc-capture/target");
    CaptureProcess capture =
        CaptureProcess.start(target, args, dataDir.logs().resolve("cdc-capture.log"));
    // a bad config or an unreachable database ends the capture at once: say so before the jobs
    try {
      Thread.sleep(Duration.ofSeconds(3).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!capture.isAlive()) {
      throw new ConfigException(
          "Cannot start the CDC capture (%s); its log %s ends with:%n%s",
          capture.state(), capture.log(), String.join("\n", ChildProcess.tail(capture.log(), 15)));
    }
    return capture;
  }
}
