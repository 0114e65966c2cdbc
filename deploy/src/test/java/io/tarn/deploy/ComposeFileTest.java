package io.tarn.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tarn.jobs.audit.AuditJob;
import io.tarn.jobs.config.JobConfig;
import io.tarn.schemas.audit.AuditEvent;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml checked without a Docker engine: what it mounts exists (or is exactly what the
 * build writes), ports do not collide, images are pinned, secrets come from the environment, and
 * the job and capture configurations pass the same validation the programs run at startup.
 */
class ComposeFileTest {
  private static final JsonNode COMPOSE = RepoTree.yaml(RepoTree.path("docker-compose.yml"));
  private static final JsonNode SERVICES = COMPOSE.get("services");
  private static final Pattern REQUIRED_VAR = Pattern.compile("\\$\\{([A-Z0-9_]+):\\?[^}]*}");

  @Test
  void definesTheWholeStack() {
    assertThat(names(SERVICES))
        .contains(
            "kafka",
            "schema-registry",
            "shop-postgres",
            "shop-mariadb",
            "minio",
            "catalog-db",
            "jobmanager",
            "taskmanager",
            "flink-submit",
            "cdc-postgres",
            "cdc-mariadb",
            "trino",
            "marquez",
            "marquez-db",
            "prometheus",
            "grafana");
  }

  @Test
  void everyImageIsPinnedToAVersion() {
    SERVICES
        .properties()
        .forEach(
            e -> {
              assertThat(e.getValue().has("image"))
                  .as("service %s has an image", e.getKey())
                  .isTrue();
              ImageRefs.assertPinned("service " + e.getKey(), e.getValue().get("image").asText());
            });
  }

  @Test
  void flinkImageMatchesTheFlinkTheJobsAreBuiltFor() {
    String version = BuildOutputs.flinkVersion();
    for (String service : List.of("jobmanager", "taskmanager", "flink-submit")) {
      assertThat(ImageRefs.tag(SERVICES.get(service).get("image").asText()))
          .as("%s runs the Flink the jobs compile against (%s)", service, version)
          .startsWith(version + "-");
      String plugins = env(service).getOrDefault("ENABLE_BUILT_IN_PLUGINS", "");
      if (!service.equals("flink-submit")) {
        assertThat(plugins).isEqualTo("flink-s3-fs-presto-" + version + ".jar");
      }
    }
  }

  @Test
  void hostPortsAreUniqueAndBoundToLoopback() {
    Map<String, String> owners = new HashMap<>();
    for (var e : SERVICES.properties()) {
      for (JsonNode port : iterable(e.getValue().get("ports"))) {
        String[] parts = port.asText().split(":");
        assertThat(parts).as("%s publishes %s as ip:host:container", e.getKey(), port).hasSize(3);
        assertThat(parts[0]).as("%s binds %s to loopback", e.getKey(), port).isEqualTo("127.0.0.1");
        String previous = owners.put(parts[1], e.getKey());
        assertThat(previous)
            .as("host port %s is published by %s and %s", parts[1], previous, e.getKey())
            .isNull();
        assertThat(Integer.parseInt(parts[1]))
            .as("%s avoids the well-known port of a locally installed service", e.getKey())
            .isNotIn(5432, 3306, 9092, 8080, 8081, 9000, 9090, 3000);
      }
    }
    assertThat(owners).hasSizeGreaterThanOrEqualTo(10);
  }

  @Test
  void everyBindMountExistsOrIsABuildOutput() {
    Set<String> buildOutputs =
        Set.of(BuildOutputs.flinkJobJar(), BuildOutputs.captureJar(), BuildOutputs.captureLib());
    Set<String> namedVolumes = names(COMPOSE.get("volumes"));
    int binds = 0;
    for (var e : SERVICES.properties()) {
      for (JsonNode volume : iterable(e.getValue().get("volumes"))) {
        String source = volume.asText().split(":")[0];
        if (!source.startsWith(".")) {
          assertThat(namedVolumes).as("%s mounts volume %s", e.getKey(), source).contains(source);
          continue;
        }
        binds++;
        String relative = RepoTree.ROOT.relativize(RepoTree.path(source)).toString();
        if (relative.contains("/target/")) {
          assertThat(buildOutputs)
              .as("%s mounts %s, which the build does not write", e.getKey(), relative)
              .contains(relative);
        } else {
          assertThat(RepoTree.path(source)).as("%s mounts %s", e.getKey(), relative).exists();
        }
      }
    }
    assertThat(binds).isGreaterThan(15);
  }

  @Test
  void submitterRunsTheShadedJobJarWithEveryJob() {
    assertThat(mountSources("flink-submit")).contains("./" + BuildOutputs.flinkJobJar());
    String script = RepoTree.read(RepoTree.path("deploy/compose/flink/submit-jobs.sh"));
    assertThat(submittedJobs())
        .containsExactlyInAnyOrder(
            "bronze.BronzeJob",
            "silver.SilverJob",
            "gold.GoldJob",
            "maintenance.MaintenanceJob",
            "audit.AuditJob");
    assertThat(script).contains("\"tarn-$(echo \"${job%%.*}\")\"");
    assertThat("tarn-" + "audit.AuditJob".substring(0, "audit.AuditJob".indexOf('.')))
        .as("the name the submitter derives and skips if running")
        .isEqualTo(AuditJob.NAME);
    for (String job : submittedJobs()) {
      String resource = "io/tarn/jobs/" + job.replace('.', '/') + ".class";
      assertThat(getClass().getClassLoader().getResource(resource))
          .as("the submitter names %s, which the job jar must contain", job)
          .isNotNull();
    }
    assertThat(mountTarget("flink-submit", "./deploy/compose/jobs.properties"))
        .isEqualTo(env("flink-submit").get("TARN_JOB_CONFIG"));
    assertThat(mountTarget("flink-submit", "./" + BuildOutputs.flinkJobJar()))
        .isEqualTo(env("flink-submit").get("TARN_JOB_JAR"));
  }

  @Test
  void jobPropertiesPassJobConfigValidation() {
    Map<String, String> settings =
        RepoTree.properties(RepoTree.path("deploy/compose/jobs.properties"));
    assertThatCode(() -> ShippedConfigs.jobConfig(settings)).doesNotThrowAnyException();
    assertThat(settings)
        .doesNotContainKeys("catalog.jdbc.password", "registry.basic.auth.user.info");
    assertThat(settings.get("catalog.uri")).startsWith("jdbc:postgresql://catalog-db:5432/");
    assertThat(settings.get("catalog.warehouse")).isEqualTo("s3://tarn-lake/warehouse");
    assertThat(settings).containsEntry("s3.path-style-access", "true");
    for (String service : List.of("flink-submit", "taskmanager")) {
      assertThat(env(service))
          .containsKeys("TARN_CATALOG_PASSWORD", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
    }
  }

  @Test
  void s3SettingsAreJobConfigKeys() {
    assumeTrue(
        ShippedConfigs.s3KeysKnown(),
        "JobConfig has no s3.* keys yet (the S3 work of issue 4); the other keys are validated");
    Map<String, String> settings =
        RepoTree.properties(RepoTree.path("deploy/compose/jobs.properties"));
    assertThat(settings).containsKeys("s3.endpoint", "s3.path-style-access", "s3.region");
    assertThatCode(() -> JobConfig.of(settings)).doesNotThrowAnyException();
  }

  @Test
  void captureConfigsPassCaptureConfigValidation() {
    for (String service : List.of("cdc-postgres", "cdc-mariadb")) {
      Path file = RepoTree.path(mountSource(service, "/etc/tarn/capture.properties"));
      Map<String, String> settings = RepoTree.properties(file);
      assertThatCode(() -> ShippedConfigs.captureConfig(settings))
          .as("%s", file)
          .doesNotThrowAnyException();
      assertThat(env(service)).containsKey(settings.get("source.password.env"));
      assertThat(settings).doesNotContainKey("source.password");
      assertThat(mountSources(service))
          .contains("./" + BuildOutputs.captureJar(), "./" + BuildOutputs.captureLib());
    }
  }

  @Test
  void secretsComeOnlyFromTheEnvironment() {
    for (var e : SERVICES.properties()) {
      env(e.getKey())
          .forEach(
              (name, value) -> {
                if (name.matches(".*(PASSWORD|SECRET|ACCESS_KEY).*")) {
                  assertThat(value)
                      .as("%s: %s must be a required ${VAR:?...} reference", e.getKey(), name)
                      .matches(REQUIRED_VAR);
                }
              });
    }
    for (Path file : RepoTree.files("deploy/compose", ".properties")) {
      RepoTree.properties(file)
          .forEach(
              (key, value) -> {
                if (key.matches(".*(password|secret|access-key).*") && !key.endsWith(".env")) {
                  assertThat(value)
                      .as(
                          "%s: %s must name an environment variable, not hold the secret",
                          file, key)
                      .matches("\\$\\{ENV:[A-Z0-9_]+}");
                }
              });
    }
    assertThat(RepoTree.read(RepoTree.path(".gitignore")).lines()).contains(".env");
  }

  @Test
  void shellScriptsParse() throws Exception {
    List<Path> scripts = RepoTree.files("deploy/compose", ".sh");
    assertThat(scripts).hasSizeGreaterThanOrEqualTo(4);
    for (Path script : scripts) {
      Process bash =
          new ProcessBuilder("bash", "-n", script.toString()).redirectErrorStream(true).start();
      String output = new String(bash.getInputStream().readAllBytes());
      assertThat(bash.waitFor()).as("bash -n %s: %s", script, output).isZero();
      assertThat(RepoTree.read(script)).startsWith("#!/bin/bash").contains("set -euo pipefail");
    }
  }

  @Test
  void dependenciesAndOneShotsReferToServices() {
    for (var e : SERVICES.properties()) {
      JsonNode deps = e.getValue().get("depends_on");
      if (deps == null) {
        continue;
      }
      Set<String> names = deps.isArray() ? texts(deps) : names(deps);
      assertThat(names(SERVICES)).as("%s depends on", e.getKey()).containsAll(names);
    }
  }

  @Test
  void sessionClusterHasASlotForEveryJob() {
    String flink = COMPOSE.get("x-flink-properties").asText();
    Matcher slots = Pattern.compile("taskmanager.numberOfTaskSlots: (\\d+)").matcher(flink);
    assertThat(slots.find()).isTrue();
    int parallelism =
        Integer.parseInt(
            RepoTree.properties(RepoTree.path("deploy/compose/jobs.properties"))
                .get("job.parallelism"));
    assertThat(Integer.parseInt(slots.group(1)))
        .as("one TaskManager runs every job: jobs × job.parallelism slots")
        .isGreaterThanOrEqualTo(submittedJobs().size() * parallelism);
  }

  @Test
  void auditTopicsAreCreatedWithOnePartition() {
    String script = RepoTree.read(RepoTree.path("deploy/compose/kafka/create-topics.sh"));
    Matcher loop = Pattern.compile("(?s)for topic in ([^;]+); do(.*?)done").matcher(script);
    assertThat(loop.find()).as("create-topics.sh has a loop over the audit topics").isTrue();
    assertThat(loop.group(1).trim().split("\\s+"))
        .containsExactlyInAnyOrder(AuditEvent.TOPIC, AuditJob.TRINO_TOPIC);
    assertThat(loop.group(2))
        .as("one partition: the audit job chains them in one order")
        .contains("--partitions 1 ")
        .contains("--topic \"$topic\"")
        .contains("--if-not-exists");
    assertThat(dependsOn("flink-submit")).contains("kafka-topics");
  }

  @Test
  void trinoPublishesCompletedQueriesToTheAuditJobsTopic() {
    String file = mountSource("trino", "/etc/trino/event-listener.properties");
    Map<String, String> listener = RepoTree.properties(RepoTree.path(file));
    String brokers =
        RepoTree.properties(RepoTree.path("deploy/compose/jobs.properties"))
            .get("kafka.bootstrap.servers");
    assertThat(listener)
        .as("what ./tarn trino --audit-kafka writes (%s)", QueryAuditSettings.SOURCE)
        .isEqualTo(QueryAuditSettings.forBrokers(brokers));
    assertThat(listener)
        .containsEntry("kafka-event-listener.completed-event.topic", AuditJob.TRINO_TOPIC);
    assertThat(dependsOn("trino"))
        .as("the topic exists before Trino publishes (auto-create is off)")
        .contains("kafka-topics");
    assertThat(env("kafka")).containsEntry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
  }

  @Test
  void marquezReceivesTheJobsLineageAndListensOnLoopbackOnly() {
    Map<String, String> settings =
        RepoTree.properties(RepoTree.path("deploy/compose/jobs.properties"));
    URI lineage = URI.create(settings.get("lineage.url"));
    assertThat(lineage.getHost()).isEqualTo("marquez");
    assertThat(lineage.getPath()).isEqualTo("/api/v1/lineage");
    assertThat(names(SERVICES)).contains(lineage.getHost());

    JsonNode config =
        RepoTree.yaml(RepoTree.path(mountSource("marquez", env("marquez").get("MARQUEZ_CONFIG"))));
    int apiPort = config.path("server").path("applicationConnectors").get(0).path("port").asInt();
    assertThat(lineage.getPort()).as("lineage.url port = Marquez's API port").isEqualTo(apiPort);
    List<String> published = new ArrayList<>();
    for (JsonNode port : iterable(SERVICES.get("marquez").get("ports"))) {
      String[] parts = port.asText().split(":");
      assertThat(parts[0]).as("marquez publishes %s on loopback only", port).isEqualTo("127.0.0.1");
      published.add(parts[2]);
    }
    assertThat(published)
        .as("the API is reachable from the host")
        .contains(String.valueOf(apiPort));

    JsonNode db = config.path("db");
    Map<String, String> dbEnv = env("marquez-db");
    assertThat(db.path("url").asText())
        .isEqualTo("jdbc:postgresql://marquez-db:5432/" + dbEnv.get("POSTGRES_DB"));
    assertThat(db.path("user").asText()).isEqualTo(dbEnv.get("POSTGRES_USER"));
    Matcher password =
        Pattern.compile("^\\$\\{([A-Z0-9_]+)}$").matcher(db.path("password").asText());
    assertThat(password.matches())
        .as("Marquez's database password is an environment reference, not the secret")
        .isTrue();
    assertThat(env("marquez").get(password.group(1)))
        .as("Marquez and its database get the same secret")
        .isEqualTo(dbEnv.get("POSTGRES_PASSWORD"))
        .matches(REQUIRED_VAR);
    assertThat(config.path("search").path("enabled").asBoolean(true))
        .as("no OpenSearch in this stack")
        .isFalse();
    assertThat(dependsOn("marquez")).contains("marquez-db");
    assertThat(dependsOn("flink-submit"))
        .as("Marquez is up before the jobs send their START events")
        .contains("marquez");
  }

  @Test
  void prometheusScrapesTheFlinkReporterPort() {
    String flink = COMPOSE.get("x-flink-properties").asText();
    Matcher port = Pattern.compile("metrics.reporter.prom.port: (\\d+)").matcher(flink);
    assertThat(port.find()).isTrue();
    JsonNode prometheus = RepoTree.yaml(RepoTree.path("deploy/compose/prometheus/prometheus.yml"));
    JsonNode sd = prometheus.get("scrape_configs").get(0).get("dns_sd_configs").get(0);
    assertThat(sd.get("port").asText()).isEqualTo(port.group(1));
    assertThat(texts(sd.get("names"))).containsExactlyInAnyOrder("jobmanager", "taskmanager");
  }

  @Test
  void grafanaDashboardQueriesTheProvisionedDatasource() {
    JsonNode datasource =
        RepoTree.yaml(
                RepoTree.path("deploy/compose/grafana/provisioning/datasources/prometheus.yml"))
            .get("datasources")
            .get(0);
    JsonNode provider =
        RepoTree.yaml(RepoTree.path("deploy/compose/grafana/provisioning/dashboards/tarn.yml"))
            .get("providers")
            .get(0);
    assertThat(mountTarget("grafana", "./deploy/compose/grafana/dashboards"))
        .isEqualTo(provider.get("options").get("path").asText());
    JsonNode dashboard =
        RepoTree.json(RepoTree.path("deploy/compose/grafana/dashboards/tarn.json"));
    List<String> titles = new ArrayList<>();
    for (JsonNode panel : dashboard.get("panels")) {
      titles.add(panel.get("title").asText());
      assertThat(panel.get("datasource").get("uid").asText())
          .isEqualTo(datasource.get("uid").asText());
      assertThat(panel.get("targets")).isNotEmpty();
      for (JsonNode target : panel.get("targets")) {
        assertThat(target.get("expr").asText()).contains("flink_");
      }
    }
    assertThat(String.join("|", titles))
        .contains("Records in", "Records out", "Checkpoint duration", "Iceberg commits")
        .contains("Quarantined", "Kafka lag");
  }

  /** The job classes (relative to io.tarn.jobs) submit-jobs.sh loops over. */
  private static List<String> submittedJobs() {
    String script = RepoTree.read(RepoTree.path("deploy/compose/flink/submit-jobs.sh"));
    Matcher loop = Pattern.compile("(?m)^for job in ([^;]+); do$").matcher(script);
    assertThat(loop.find()).as("submit-jobs.sh loops over the jobs").isTrue();
    return Arrays.asList(loop.group(1).trim().split("\\s+"));
  }

  private static Set<String> dependsOn(String service) {
    JsonNode deps = SERVICES.get(service).get("depends_on");
    return deps == null ? Set.of() : deps.isArray() ? texts(deps) : names(deps);
  }

  private static Map<String, String> env(String service) {
    Map<String, String> env = new HashMap<>();
    JsonNode node = SERVICES.get(service).get("environment");
    if (node != null) {
      node.properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
    }
    return env;
  }

  private static List<String> mountSources(String service) {
    List<String> sources = new ArrayList<>();
    for (JsonNode v : iterable(SERVICES.get(service).get("volumes"))) {
      sources.add(v.asText().split(":")[0]);
    }
    return sources;
  }

  private static String mountTarget(String service, String source) {
    for (JsonNode v : iterable(SERVICES.get(service).get("volumes"))) {
      String[] parts = v.asText().split(":");
      if (parts[0].equals(source)) {
        return parts[1];
      }
    }
    throw new AssertionError(service + " does not mount " + source);
  }

  private static String mountSource(String service, String target) {
    for (JsonNode v : iterable(SERVICES.get(service).get("volumes"))) {
      String[] parts = v.asText().split(":");
      if (parts[1].equals(target)) {
        return parts[0];
      }
    }
    throw new AssertionError(service + " mounts nothing at " + target);
  }

  static Set<String> names(JsonNode object) {
    Set<String> names = new TreeSet<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  static Set<String> texts(JsonNode array) {
    Set<String> texts = new TreeSet<>();
    array.forEach(n -> texts.add(n.asText()));
    return texts;
  }

  static Iterable<JsonNode> iterable(JsonNode node) {
    return node == null ? List.of() : node;
  }
}
