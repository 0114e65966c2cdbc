package io.tarn.jobs.kafka;

import io.tarn.jobs.config.ConfigException;
import io.tarn.jobs.config.JobConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** Startup checks against the Kafka cluster a job reads. */
public final class KafkaTopics {
  private KafkaTopics() {}

  /**
   * Fails when a configured topic does not exist: the Kafka source would otherwise fail and restart
   * forever. A topic that should appear later belongs in {@code cdc.topic-pattern}.
   */
  public static void requireExisting(JobConfig config, List<String> topics) {
    Properties props = new Properties();
    props.putAll(config.withPrefix(JobConfig.KAFKA_PASSTHROUGH));
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.get(JobConfig.KAFKA_BOOTSTRAP));
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
    Set<String> existing;
    try (Admin admin = Admin.create(props)) {
      existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new ConfigException(
          "Cannot reach Kafka at %s (key 'kafka.bootstrap.servers'): %s",
          config.get(JobConfig.KAFKA_BOOTSTRAP), e.getMessage());
    }
    List<String> missing = new ArrayList<>(topics);
    missing.removeAll(existing);
    if (!missing.isEmpty()) {
      throw new ConfigException(
          "Cannot read topics %s named in 'kafka.topics': they do not exist on %s",
          missing, config.get(JobConfig.KAFKA_BOOTSTRAP));
    }
  }
}
