package io.tarn.bench;

import io.tarn.workload.WorkloadProducer;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates and deletes benchmark topics explicitly, so the partition count is what the row says and
 * no peer pays for auto-creation inside its measurement.
 */
public final class Topics {
  private Topics() {}

  public static void create(String bootstrap, Collection<String> topics, int partitions) {
    try (Admin admin = admin(bootstrap)) {
      List<NewTopic> requests =
          topics.stream().map(t -> new NewTopic(t, partitions, (short) 1)).toList();
      try {
        admin.createTopics(requests).all().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException(
              "Cannot create topics " + topics + ": " + e.getCause(), e);
        }
      }
      WorkloadProducer.awaitLeaders(admin, requests);
    } catch (ExecutionException | InterruptedException | TimeoutException e) {
      throw new IllegalStateException("Cannot create topics " + topics + ": " + e, e);
    }
  }

  /** Deletes topics to keep the disk bounded over many rounds. */
  public static void delete(String bootstrap, Collection<String> topics) {
    try (Admin admin = admin(bootstrap)) {
      admin.deleteTopics(topics).all().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | InterruptedException | TimeoutException e) {
      throw new IllegalStateException("Cannot delete topics " + topics + ": " + e, e);
    }
  }

  private static Admin admin(String bootstrap) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
  }
}
