package io.tarn.workload;

import io.tarn.schemas.DomainSchemas;
import io.tarn.schemas.ProducerSettings;
import io.tarn.schemas.TableContract;
import io.tarn.schemas.registry.SchemaRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produces a {@link WorkloadSpec}'s events to the shop topics: registers the domain schemas,
 * creates missing topics, then sends at the spec's rate with an idempotent producer (acks=all,
 * lz4). Keys are the record keys in UTF-8, values the exact payloads of {@link GeneratedEvent}.
 */
public final class WorkloadProducer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkloadProducer.class);
  private static final int DEFAULT_PARTITIONS = 3;
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(60);
  // pacing sleeps in slices so that stop() is noticed quickly even at low rates
  private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final WorkloadSpec spec;
  private final ShopEventGenerator generator;
  private final KafkaProducer<String, byte[]> producer;
  private final AtomicLong produced = new AtomicLong();
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
  private volatile boolean stopped;

  public WorkloadProducer(
      String bootstrapServers,
      SchemaRegistry registry,
      WorkloadSpec spec,
      Map<String, String> producerOverrides) {
    this(bootstrapServers, registry, spec, producerOverrides, DEFAULT_PARTITIONS);
  }

  /**
   * @param producerOverrides Kafka producer settings that replace the defaults
   * @param partitions the partition count of topics this producer creates (replication factor 1)
   */
  public WorkloadProducer(
      String bootstrapServers,
      SchemaRegistry registry,
      WorkloadSpec spec,
      Map<String, String> producerOverrides,
      int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException(
          "Cannot create workload producer: partitions " + partitions + " is below 1");
    }
    this.spec = spec;
    Map<String, Integer> schemaIds = new HashMap<>();
    for (TableContract contract : DomainSchemas.all()) {
      schemaIds.put(contract.topic(), registry.register(contract.subject(), contract.schema()));
    }
    createTopics(bootstrapServers, partitions);
    this.generator = new ShopEventGenerator(spec, schemaIds, Clock.systemUTC());
    Properties config = ProducerSettings.of(bootstrapServers, "tarn-workload");
    config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    config.putAll(producerOverrides);
    this.producer = ProducerSettings.producer(config);
  }

  /** Creates the domain topics that do not exist yet (replication 1: one broker). */
  public static void createTopics(String bootstrapServers, int partitions) {
    Properties config = new Properties();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, "tarn-workload-admin");
    try (Admin admin = Admin.create(config)) {
      Set<String> existing =
          admin.listTopics().names().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (TableContract contract : DomainSchemas.all()) {
        if (!existing.contains(contract.topic())) {
          missing.add(new NewTopic(contract.topic(), partitions, (short) 1));
        }
      }
      if (missing.isEmpty()) {
        return;
      }
      for (Map.Entry<String, org.apache.kafka.common.KafkaFuture<Void>> created :
          admin.createTopics(missing).values().entrySet()) {
        try {
          created.getValue().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
          LOG.info("Created topic {} with {} partitions", created.getKey(), partitions);
        } catch (ExecutionException e) {
          // another producer created it meanwhile
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException(
                "Cannot create topic " + created.getKey() + ": " + e.getCause().getMessage(),
                e.getCause());
          }
        }
      }
      awaitLeaders(admin, missing);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Cannot create the shop topics: interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "Cannot create the shop topics on " + bootstrapServers + ": " + e, e);
    }
  }

  /**
   * Waits until the broker leads every partition of the new topics. Creation returns once the
   * controller has committed it, a moment before the broker serves the partitions; an idempotent
   * producer whose first batch meets NOT_LEADER_OR_FOLLOWER there can be stuck retrying
   * OUT_OF_ORDER_SEQUENCE_NUMBER until its delivery timeout. ListOffsets needs the leader's log and
   * the admin client retries it until the partition is served.
   */
  public static void awaitLeaders(Admin admin, Collection<NewTopic> topics)
      throws InterruptedException, ExecutionException, TimeoutException {
    Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
    for (NewTopic topic : topics) {
      for (int p = 0; p < topic.numPartitions(); p++) {
        partitions.put(new TopicPartition(topic.name(), p), OffsetSpec.latest());
      }
    }
    admin.listOffsets(partitions).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Produces until the spec's event count is sent (forever for -1) or {@link #stop()} is called,
   * then flushes.
   *
   * @param onAck called from the producer's I/O thread for every acknowledged record; keep it short
   * @return how many events were sent
   * @throws IllegalStateException if a send failed or {@code onAck} threw
   */
  public long run(Consumer<ProducedRecord> onAck) {
    long limit = spec.events();
    double rate = spec.eventsPerSecond();
    long start = System.nanoTime();
    long sent = 0;
    while (!stopped && (limit < 0 || sent < limit)) {
      if (rate > 0) {
        pace(start + (long) (sent * 1_000_000_000d / rate));
        if (stopped) {
          break;
        }
      }
      rethrowFailure();
      GeneratedEvent event = generator.next();
      producer.send(
          new ProducerRecord<>(event.topic(), event.key(), event.payload()),
          (metadata, exception) -> {
            if (exception != null) {
              failure.compareAndSet(
                  null,
                  new IllegalStateException(
                      "Cannot produce to " + event.topic() + ": " + exception.getMessage(),
                      exception));
              return;
            }
            acknowledged.incrementAndGet();
            try {
              onAck.accept(
                  new ProducedRecord(
                      event,
                      metadata.topic(),
                      metadata.partition(),
                      metadata.offset(),
                      metadata.timestamp()));
            } catch (RuntimeException e) {
              failure.compareAndSet(
                  null,
                  new IllegalStateException(
                      "Cannot handle acknowledgement of " + event.topic() + ": " + e, e));
            }
          });
      sent++;
      produced.incrementAndGet();
    }
    producer.flush();
    rethrowFailure();
    return sent;
  }

  private void pace(long dueNanos) {
    long wait;
    while (!stopped && (wait = dueNanos - System.nanoTime()) > 0) {
      LockSupport.parkNanos(Math.min(wait, MAX_PARK_NANOS));
    }
  }

  private void rethrowFailure() {
    RuntimeException error = failure.get();
    if (error != null) {
      throw error;
    }
  }

  /** Makes {@link #run} return after flushing what it sent; safe to call from any thread. */
  public void stop() {
    stopped = true;
  }

  /** How many events were handed to the producer so far. */
  public long produced() {
    return produced.get();
  }

  /** How many events the broker acknowledged so far. */
  public long acknowledged() {
    return acknowledged.get();
  }

  @Override
  public void close() {
    stopped = true;
    producer.close(Duration.ofSeconds(30));
  }
}
