package io.tarn.deploy;

import static io.tarn.deploy.ComposeFileTest.iterable;
import static io.tarn.deploy.ComposeFileTest.names;
import static io.tarn.deploy.ComposeFileTest.texts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import io.tarn.cdc.CaptureConfig;
import io.tarn.jobs.audit.AuditJob;
import io.tarn.schemas.audit.AuditEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every manifest under deploy/k8s parses and carries what its controller needs: the Flink
 * Kubernetes Operator's FlinkDeployment fields, a valid job and capture configuration, Strimzi
 * topics for what the jobs read, Trino's query audit into the audit job's topic, and a scrape
 * config for the metrics port the jobs expose.
 */
class KubernetesManifestsTest {
  private static final String K8S = "deploy/k8s";
  private static final List<Manifest> MANIFESTS = load();

  record Manifest(Path file, JsonNode doc) {
    String kind() {
      return doc.path("kind").asText();
    }

    String name() {
      return doc.path("metadata").path("name").asText();
    }

    JsonNode spec() {
      return doc.path("spec");
    }
  }

  private static List<Manifest> load() {
    List<Manifest> manifests = new ArrayList<>();
    for (Path file : RepoTree.files(K8S, ".yaml", ".yml")) {
      if (file.getFileName().toString().equals("kustomization.yaml")) {
        continue;
      }
      RepoTree.yamlDocuments(file).forEach(doc -> manifests.add(new Manifest(file, doc)));
    }
    return manifests;
  }

  @Test
  void everyManifestHasKindNameAndNamespaceAndIsListedInTheKustomization() {
    Set<String> resources =
        texts(RepoTree.yaml(RepoTree.path(K8S + "/kustomization.yaml")).get("resources"));
    Set<String> files = new TreeSet<>();
    for (Manifest m : MANIFESTS) {
      String where = m.file() + " (" + m.name() + ")";
      assertThat(m.doc().path("apiVersion").asText()).as(where).isNotEmpty();
      assertThat(m.kind()).as(where).isNotEmpty();
      assertThat(m.name()).as(where).matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
      if (!m.kind().equals("Namespace")) {
        assertThat(m.doc().path("metadata").path("namespace").asText())
            .as(where)
            .isIn("tarn", "kafka");
      }
      files.add(RepoTree.path(K8S).relativize(m.file()).toString());
    }
    assertThat(resources).containsExactlyInAnyOrderElementsOf(files);
  }

  @Test
  void thereIsOneFlinkDeploymentPerJobWithWhatTheOperatorRequires() {
    List<Manifest> deployments = ofKind("FlinkDeployment");
    Map<String, String> entryClasses = new LinkedHashMap<>();
    String flinkVersion = BuildOutputs.flinkVersion();
    String operatorVersion = "v" + flinkVersion.replaceAll("^(\\d+)\\.(\\d+).*", "$1_$2");
    String jarInImage = dockerCopyTarget("deploy/docker/flink-jobs.Dockerfile");
    for (Manifest m : deployments) {
      JsonNode spec = m.spec();
      String where = m.name();
      assertThat(m.doc().get("apiVersion").asText()).isEqualTo("flink.apache.org/v1beta1");
      ImageRefs.assertPinned(where, spec.path("image").asText());
      assertThat(spec.path("flinkVersion").asText()).as(where).isEqualTo(operatorVersion);
      assertThat(spec.path("serviceAccount").asText()).as(where).isEqualTo("flink");
      for (String part : List.of("jobManager", "taskManager")) {
        JsonNode resource = spec.path(part).path("resource");
        assertThat(resource.path("memory").asText())
            .as("%s %s memory", where, part)
            .matches("\\d+m");
        assertThat(resource.path("cpu").asDouble()).as("%s %s cpu", where, part).isPositive();
      }
      JsonNode job = spec.path("job");
      assertThat(job.path("jarURI").asText()).isEqualTo("local://" + jarInImage);
      assertThat(job.path("upgradeMode").asText()).as(where).isEqualTo("savepoint");
      assertThat(job.path("state").asText()).isEqualTo("running");
      entryClasses.put(where, job.path("entryClass").asText());

      Map<String, String> args = jobArgs(job);
      assertThat(args.get("job.parallelism"))
          .as(
              "%s: Tarn sets the parallelism itself, so --job.parallelism = spec.job.parallelism",
              where)
          .isEqualTo(job.path("parallelism").asText());

      JsonNode conf = spec.path("flinkConfiguration");
      for (String key :
          List.of(
              "state.checkpoints.dir",
              "state.savepoints.dir",
              "execution.checkpointing.dir",
              "execution.checkpointing.savepoint-dir",
              "high-availability.storageDir")) {
        assertThat(conf.path(key).asText()).as("%s %s", where, key).startsWith("s3://");
        assertThat(conf.path(key).asText())
            .as("%s %s is its own", where, key)
            .endsWith("/" + where.substring("tarn-".length()));
      }
      assertThat(conf.path("high-availability.type").asText()).isEqualTo("kubernetes");
      assertThat(conf.path("metrics.reporter.prom.port").asText()).isEqualTo("9249");
      assertThat(conf.path("metrics.reporter.prom.factory.class").asText())
          .isEqualTo("org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
    }
    assertThat(entryClasses.values())
        .containsExactlyInAnyOrder(
            "io.tarn.jobs.bronze.BronzeJob",
            "io.tarn.jobs.silver.SilverJob",
            "io.tarn.jobs.gold.GoldJob",
            "io.tarn.jobs.maintenance.MaintenanceJob",
            "io.tarn.jobs.audit.AuditJob");
    for (String entryClass : entryClasses.values()) {
      assertThat(getClass().getClassLoader().getResource(entryClass.replace('.', '/') + ".class"))
          .as("%s is in the job jar", entryClass)
          .isNotNull();
    }
    assertThat(names(one("ServiceAccount", "flink").doc())).contains("metadata");
  }

  @Test
  void jobConfigurationIsValidAndMountedWhereTheArgsPointTo() {
    Manifest configMap = one("ConfigMap", "tarn-jobs");
    Map<String, String> settings =
        RepoTree.properties(configMap.doc().path("data").path("jobs.properties").asText());
    assertThat(settings).doesNotContainKeys("catalog.jdbc.password", "checkpoint.dir");
    for (Manifest m : ofKind("FlinkDeployment")) {
      Map<String, String> args = jobArgs(m.spec().path("job"));
      String configFile = args.remove("config");
      Map<String, String> effective = new LinkedHashMap<>(settings);
      effective.putAll(args);
      assertThatCode(() -> ShippedConfigs.jobConfig(effective))
          .as("%s: jobs.properties + args", m.name())
          .doesNotThrowAnyException();
      JsonNode container = m.spec().path("podTemplate").path("spec").path("containers").get(0);
      assertThat(container.path("name").asText()).isEqualTo("flink-main-container");
      String mountPath = null;
      for (JsonNode mount : container.path("volumeMounts")) {
        mountPath = mount.path("mountPath").asText();
      }
      assertThat(configFile).isEqualTo(mountPath + "/jobs.properties");
      JsonNode volume = m.spec().path("podTemplate").path("spec").path("volumes").get(0);
      assertThat(volume.path("configMap").path("name").asText()).isEqualTo(configMap.name());
      assertThat(container.path("envFrom").get(0).path("secretRef").path("name").asText())
          .isEqualTo("tarn-lake-credentials");
    }
  }

  @Test
  void cdcCaptureIsOneStatelessReplicaWithAValidConfiguration() {
    Manifest deployment = one("Deployment", "tarn-cdc-postgres");
    JsonNode spec = deployment.spec();
    assertThat(spec.path("replicas").asInt()).isEqualTo(1);
    assertThat(spec.path("strategy").path("type").asText()).isEqualTo("Recreate");
    JsonNode pod = spec.path("template").path("spec");
    JsonNode container = pod.path("containers").get(0);
    ImageRefs.assertPinned("cdc-capture", container.path("image").asText());
    String configMapName = null;
    for (JsonNode volume : pod.path("volumes")) {
      if (volume.has("configMap")) {
        configMapName = volume.path("configMap").path("name").asText();
      }
    }
    Map<String, String> settings =
        RepoTree.properties(
            one("ConfigMap", configMapName).doc().path("data").path("capture.properties").asText());
    CaptureConfig config = ShippedConfigs.captureConfig(settings);
    assertThat(settings.get("debezium.offset.storage"))
        .as("offsets in Kafka: the pod keeps no state")
        .endsWith("KafkaOffsetBackingStore");
    Set<String> env = new TreeSet<>();
    container.path("env").forEach(e -> env.add(e.path("name").asText()));
    assertThat(env).contains(settings.get("source.password.env"));

    Map<String, JsonNode> topics = topics();
    assertThat(topics).containsKey(settings.get("debezium.offset.storage.topic"));
    assertThat(
            topics
                .get(settings.get("debezium.offset.storage.topic"))
                .path("config")
                .path("cleanup.policy")
                .asText())
        .isEqualTo("compact");
    for (String table : config.sourceTables()) {
      String topic = config.topicPrefix() + "." + table;
      assertThat(topics).as("KafkaTopic for %s", topic).containsKey(topic);
      assertThat(topics.get(topic).path("partitions").asInt())
          .as("%s: capture and KafkaTopic agree on partitions", topic)
          .isEqualTo(config.topicPartitions());
    }
    assertThat(topics).containsKey(config.quarantineTopic());
  }

  @Test
  void everyTopicTheJobsReadIsDefined() {
    Map<String, String> settings =
        RepoTree.properties(
            one("ConfigMap", "tarn-jobs").doc().path("data").path("jobs.properties").asText());
    Map<String, JsonNode> topics = topics();
    for (String topic : settings.get("kafka.topics").split(",")) {
      assertThat(topics).containsKey(topic.trim());
    }
    Pattern cdc = Pattern.compile(settings.get("cdc.topic-pattern"));
    List<String> changeTopics =
        topics.keySet().stream().filter(t -> cdc.matcher(t).matches()).toList();
    assertThat(changeTopics).isNotEmpty().noneMatch(t -> t.startsWith("cdc._"));
    topics.forEach(
        (name, spec) -> {
          assertThat(spec.path("replicas").asInt()).as(name).isEqualTo(3);
          assertThat(spec.path("config").path("min.insync.replicas").asText()).isEqualTo("2");
        });
    for (Manifest m : ofKind("KafkaTopic")) {
      assertThat(m.doc().path("metadata").path("labels").path("strimzi.io/cluster").asText())
          .isEqualTo("tarn");
      assertThat(settings.get("kafka.bootstrap.servers")).startsWith("tarn-kafka-bootstrap.");
    }
  }

  @Test
  void trinoCatalogSharesTheJobsCatalogAndAccessRulesMatchCompose() {
    Map<String, String> catalog =
        RepoTree.properties(
            one("ConfigMap", "tarn-trino-catalog")
                .doc()
                .path("data")
                .path("tarn.properties")
                .asText());
    Map<String, String> jobs =
        RepoTree.properties(
            one("ConfigMap", "tarn-jobs").doc().path("data").path("jobs.properties").asText());
    assertThat(catalog)
        .containsEntry("connector.name", "iceberg")
        .containsEntry("iceberg.catalog.type", "jdbc")
        .containsEntry("iceberg.jdbc-catalog.connection-url", jobs.get("catalog.uri"))
        .containsEntry("iceberg.jdbc-catalog.catalog-name", jobs.get("catalog.name"))
        .containsEntry("iceberg.jdbc-catalog.connection-user", jobs.get("catalog.jdbc.user"))
        .containsEntry("iceberg.jdbc-catalog.default-warehouse-dir", jobs.get("catalog.warehouse"))
        .containsEntry("fs.native-s3.enabled", "true")
        .containsEntry("s3.region", jobs.get("s3.region"));
    assertThat(catalog.get("iceberg.jdbc-catalog.connection-password"))
        .isEqualTo("${ENV:TARN_CATALOG_PASSWORD}");

    JsonNode access = one("ConfigMap", "tarn-trino-access").doc().path("data");
    String rules = access.path("rules.json").asText();
    assertThat(rules.strip())
        .isEqualTo(RepoTree.read(RepoTree.path("deploy/compose/trino/rules.json")).strip());
    JsonNode catalogRules = RepoTree.json(RepoTree.path("deploy/compose/trino/rules.json"));
    JsonNode last = catalogRules.path("catalogs").get(catalogRules.path("catalogs").size() - 1);
    assertThat(last.path("catalog").asText()).as("deny by default").isEqualTo(".*");
    assertThat(last.path("allow").asText()).isEqualTo("none");
    assertThat(catalogRules.path("catalogs").get(0).path("group").asText()).isEqualTo("admin");
    assertThat(RepoTree.properties(access.path("access-control.properties").asText()))
        .containsEntry("access-control.name", "file")
        .containsEntry("security.config-file", "/etc/trino/rules.json");
  }

  @Test
  void auditJobRunsAloneOnItsOneChainWithItsTopicsDefined() {
    Manifest audit = one("FlinkDeployment", AuditJob.NAME);
    JsonNode job = audit.spec().path("job");
    assertThat(job.path("entryClass").asText()).isEqualTo(AuditJob.class.getName());
    assertThat(job.path("parallelism").asInt()).as("one chain has one order").isEqualTo(1);
    assertThat(
            audit.spec().path("flinkConfiguration").path("taskmanager.numberOfTaskSlots").asInt())
        .isEqualTo(1);
    Map<String, JsonNode> topics = topics();
    for (String topic : List.of(AuditEvent.TOPIC, AuditJob.TRINO_TOPIC)) {
      assertThat(topics).as("KafkaTopic for %s", topic).containsKey(topic);
      assertThat(topics.get(topic).path("partitions").asInt())
          .as("%s: the audit job creates it with one partition; Strimzi must agree", topic)
          .isEqualTo(1);
      assertThat(topics.get(topic).path("config").path("cleanup.policy").asText("delete"))
          .isEqualTo("delete");
    }
  }

  @Test
  void trinoPublishesCompletedQueriesToTheAuditJobsTopic() {
    Map<String, String> jobs = jobsProperties();
    Manifest audit = one("ConfigMap", "tarn-trino-audit");
    Map<String, String> listener =
        RepoTree.properties(audit.doc().path("data").path("event-listener.properties").asText());
    assertThat(listener)
        .as("what ./tarn trino --audit-kafka writes (%s)", QueryAuditSettings.SOURCE)
        .isEqualTo(QueryAuditSettings.forBrokers(jobs.get("kafka.bootstrap.servers")));
    assertThat(listener)
        .containsEntry("kafka-event-listener.completed-event.topic", AuditJob.TRINO_TOPIC)
        .containsEntry("kafka-event-listener.publish-completed-event", "true");
    assertThat(QueryAuditSettings.defaultTopic()).isEqualTo(AuditJob.TRINO_TOPIC);
  }

  @Test
  void lineageUrlIsAnOptionalValidValueForEveryJob() {
    String text = one("ConfigMap", "tarn-jobs").doc().path("data").path("jobs.properties").asText();
    Map<String, String> settings = RepoTree.properties(text);
    assertThat(settings)
        .as("optional: no Marquez in these manifests")
        .doesNotContainKey("lineage.url");
    Matcher commented = Pattern.compile("(?m)^#\\s*lineage\\.url=(\\S+)$").matcher(text);
    assertThat(commented.find()).as("a commented lineage.url to uncomment").isTrue();
    String url = commented.group(1);
    assertThat(url).endsWith("/api/v1/lineage");
    for (Manifest m : ofKind("FlinkDeployment")) {
      Map<String, String> effective = new LinkedHashMap<>(settings);
      Map<String, String> args = jobArgs(m.spec().path("job"));
      args.remove("config");
      effective.putAll(args);
      effective.put("lineage.url", url);
      assertThatCode(() -> ShippedConfigs.jobConfig(effective))
          .as("%s with lineage.url uncommented", m.name())
          .doesNotThrowAnyException();
    }
  }

  @Test
  void prometheusScrapesThePortTheJobsExpose() {
    String config =
        one("ConfigMap", "tarn-prometheus").doc().path("data").path("prometheus.yml").asText();
    Matcher port = Pattern.compile("regex: \"(\\d+)\"").matcher(config);
    Set<String> regexes = new TreeSet<>();
    while (port.find()) {
      regexes.add(port.group(1));
    }
    for (Manifest m : ofKind("FlinkDeployment")) {
      JsonNode annotations = m.spec().path("podTemplate").path("metadata").path("annotations");
      assertThat(annotations.path("prometheus.io/scrape").asText()).isEqualTo("true");
      String reporterPort =
          m.spec().path("flinkConfiguration").path("metrics.reporter.prom.port").asText();
      assertThat(annotations.path("prometheus.io/port").asText()).isEqualTo(reporterPort);
      assertThat(regexes).contains(reporterPort);
    }
  }

  @Test
  void imagesAreBuiltFromPinnedBasesAndTheBuildOutputs() {
    String flink = RepoTree.read(RepoTree.path("deploy/docker/flink-jobs.Dockerfile"));
    assertThat(from(flink)).isEqualTo("flink:" + BuildOutputs.flinkVersion() + "-java17");
    assertThat(flink).contains("COPY --chown=flink:flink " + BuildOutputs.flinkJobJar() + " ");
    assertThat(flink).contains("flink-s3-fs-presto-" + BuildOutputs.flinkVersion() + ".jar");
    String cdc = RepoTree.read(RepoTree.path("deploy/docker/cdc-capture.Dockerfile"));
    ImageRefs.assertPinned("cdc-capture.Dockerfile", from(cdc));
    assertThat(cdc)
        .contains("COPY " + BuildOutputs.captureJar() + " ")
        .contains("COPY " + BuildOutputs.captureLib() + "/ ")
        .contains("io.tarn.cdc.CaptureMain");
  }

  private static String from(String dockerfile) {
    Matcher m = Pattern.compile("(?m)^FROM (\\S+)").matcher(dockerfile);
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  private static String dockerCopyTarget(String dockerfile) {
    Matcher m =
        Pattern.compile(
                "(?m)^COPY (?:--chown=\\S+ )?"
                    + Pattern.quote(BuildOutputs.flinkJobJar())
                    + " (\\S+)$")
            .matcher(RepoTree.read(RepoTree.path(dockerfile)));
    assertThat(m.find()).as("%s copies %s", dockerfile, BuildOutputs.flinkJobJar()).isTrue();
    return m.group(1);
  }

  /** {@code --key value} pairs of a FlinkDeployment's job args, as JobConfig reads them. */
  private static Map<String, String> jobArgs(JsonNode job) {
    List<String> args = new ArrayList<>();
    iterable(job.path("args")).forEach(a -> args.add(a.asText()));
    assertThat(args.size() % 2).as("args come in --key value pairs: %s", args).isZero();
    Map<String, String> pairs = new LinkedHashMap<>();
    for (int i = 0; i < args.size(); i += 2) {
      assertThat(args.get(i)).startsWith("--");
      pairs.put(args.get(i).substring(2), args.get(i + 1));
    }
    return pairs;
  }

  private static Map<String, String> jobsProperties() {
    return RepoTree.properties(
        one("ConfigMap", "tarn-jobs").doc().path("data").path("jobs.properties").asText());
  }

  private static Map<String, JsonNode> topics() {
    Map<String, JsonNode> topics = new LinkedHashMap<>();
    for (Manifest m : ofKind("KafkaTopic")) {
      assertThat(m.doc().get("apiVersion").asText()).isEqualTo("kafka.strimzi.io/v1beta2");
      assertThat(m.spec().path("partitions").asInt()).as(m.name()).isPositive();
      topics.put(m.spec().path("topicName").asText(), m.spec());
    }
    return topics;
  }

  private static List<Manifest> ofKind(String kind) {
    List<Manifest> found = MANIFESTS.stream().filter(m -> m.kind().equals(kind)).toList();
    assertThat(found).as("manifests of kind %s", kind).isNotEmpty();
    return found;
  }

  private static Manifest one(String kind, String name) {
    return ofKind(kind).stream()
        .filter(m -> m.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " named " + name));
  }
}
