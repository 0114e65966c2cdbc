package io.tarn.bench;

import io.tarn.kafka.broker.KafkaBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where and with what a run happened: versions, git commit, machine. Carried by every result row,
 * because a number without them cannot be compared with anything later.
 */
public record RunInfo(
    String started, String git, Map<String, String> versions, Map<String, String> machine) {
  private static final Pattern KAFKA_JAR = Pattern.compile("kafka_2\\.13-(.+)\\.jar");

  static RunInfo collect(Path repoRoot) {
    Map<String, String> versions = new LinkedHashMap<>();
    versions.put("kafka", version(RunInfo::kafkaBrokerVersion));
    versions.put("kafka_clients", version(org.apache.kafka.common.utils.AppInfoParser::getVersion));
    versions.put(
        "flink", version(org.apache.flink.runtime.util.EnvironmentInformation::getVersion));
    versions.put("iceberg", version(org.apache.iceberg.IcebergBuild::version));

    Map<String, String> machine = new LinkedHashMap<>();
    machine.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
    machine.put("java", System.getProperty("java.version"));
    machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    machine.put("arch", System.getProperty("os.arch"));

    return new RunInfo(
        Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
        gitCommit(repoRoot),
        versions,
        machine);
  }

  private static String version(Supplier<String> supplier) {
    try {
      String version = supplier.get();
      return version == null || version.isBlank() ? "unknown" : version;
    } catch (RuntimeException | LinkageError e) {
      return "unknown";
    }
  }

  private static String kafkaBrokerVersion() {
    try (var jars = Files.list(KafkaBroker.libDir())) {
      return jars.map(jar -> KAFKA_JAR.matcher(jar.getFileName().toString()))
          .filter(Matcher::matches)
          .map(m -> m.group(1))
          .findFirst()
          .orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  /**
   * The short commit, with "+dirty" when tracked files differ from it: those numbers are not it.
   */
  private static String gitCommit(Path repoRoot) {
    String sha = git(repoRoot, "rev-parse", "--short", "HEAD");
    if (sha == null) {
      return "no-commit";
    }
    String changes = git(repoRoot, "status", "--porcelain", "--untracked-files=no");
    return changes == null || changes.isEmpty() ? sha : sha + "+dirty";
  }

  private static String git(Path dir, String... args) {
    String[] command = new String[args.length + 1];
    command[0] = "git";
    System.arraycopy(args, 0, command, 1, args.length);
    try {
      Process process =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
        return null;
      }
      return output.trim();
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
