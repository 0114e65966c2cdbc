package io.tarn.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The real clients' own validation where they are installed (no engine or cluster needed): `docker
 * compose config` (or the v1 `docker-compose`) and `kubectl kustomize`. Skipped, saying so, where
 * the client is missing.
 */
class ClientValidationTest {
  private static final Map<String, String> SECRETS =
      Map.of(
          "AWS_ACCESS_KEY_ID", "test-key",
          "AWS_SECRET_ACCESS_KEY", "test-secret",
          "TARN_CATALOG_PASSWORD", "test-catalog",
          "SHOP_DB_PASSWORD", "test-shop",
          "TARN_CDC_PASSWORD", "test-cdc",
          "GRAFANA_ADMIN_PASSWORD", "test-grafana",
          "MARQUEZ_DB_PASSWORD", "test-marquez");

  record Result(int exitCode, String output) {}

  @Test
  void dockerComposeAcceptsTheFileAndRequiresEverySecret() {
    List<String> compose = composeCommand();
    assumeTrue(compose != null, "no `docker compose` or `docker-compose` client on this machine");
    List<String> config = new ArrayList<>(compose);
    config.addAll(List.of("-f", "docker-compose.yml", "config", "-q"));

    Result ok = run(config, SECRETS);
    assertThat(ok.exitCode()).as(ok.output()).isZero();

    for (String secret : SECRETS.keySet()) {
      Map<String, String> missing = new java.util.HashMap<>(SECRETS);
      missing.remove(secret);
      Result refused = run(config, missing);
      assertThat(refused.exitCode()).as("compose starts without %s", secret).isNotZero();
      assertThat(refused.output()).contains(secret);
    }
  }

  @Test
  void kubectlKustomizeBuildsTheManifests() {
    assumeTrue(
        run(List.of("kubectl", "version", "--client"), Map.of()).exitCode() == 0,
        "no kubectl client on this machine");
    Result built = run(List.of("kubectl", "kustomize", "deploy/k8s"), Map.of());
    assertThat(built.exitCode()).as(built.output()).isZero();
    assertThat(built.output())
        .contains("kind: FlinkDeployment", "kind: KafkaTopic", "kind: Deployment");
  }

  private static List<String> composeCommand() {
    if (run(List.of("docker", "compose", "version"), Map.of()).exitCode() == 0) {
      return List.of("docker", "compose");
    }
    if (run(List.of("docker-compose", "version"), Map.of()).exitCode() == 0) {
      return List.of("docker-compose");
    }
    return null;
  }

  /** Runs a client in the repository root with only PATH/HOME and the given variables. */
  private static Result run(List<String> command, Map<String, String> env) {
    ProcessBuilder pb = new ProcessBuilder(command).directory(RepoTree.ROOT.toFile());
    Map<String, String> environment = pb.environment();
    String path = environment.get("PATH");
    String home = environment.get("HOME");
    environment.clear();
    environment.put("PATH", path == null ? "/usr/local/bin:/usr/bin:/bin" : path);
    if (home != null) {
      environment.put("HOME", home);
    }
    environment.putAll(env);
    pb.redirectErrorStream(true);
    try {
      Process process = pb.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Result(-1, "timed out: " + output);
      }
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      return new Result(-1, "cannot run " + command + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }
}
