package io.tarn.bench;

import io.tarn.jobs.config.JobConfig;
import io.tarn.jobs.gold.GoldTables;
import io.tarn.jobs.lake.Lake;
import io.tarn.jobs.lake.TableNames;
import io.tarn.schemas.DomainSchemas;
import io.tarn.schemas.TableContract;
import io.tarn.schemas.registry.SchemaRegistry;
import io.tarn.schemas.registry.WireFormat;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.generic.GenericData;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * B4's probes: order lines produced one by one to {@code shop.order_items}, and a poller that finds
 * the commit making each one visible in bronze, silver and gold.
 *
 * <p>A probe is a valid order line (category {@code books}, quantity 1, unit price 1.00) with a
 * fresh event id and an event time in a minute of its own: probe {@code n} is at {@code base + n}
 * minutes, {@code base} 18 hours before the run. That is far from the live data, so the probe's
 * gold row (category, window) is its alone, and within silver's 24 h dedupe horizon, so it is not
 * quarantined as {@code dedupe.beyond_horizon} (a year like 2001 would be).
 */
final class FreshnessProbes implements AutoCloseable {
  static final String CATEGORY = "books";
  private static final int MAX_PROBES = 1000;
  private static final long POLL_MILLIS = 100;
  private static final long MINUTE_MICROS = TimeUnit.MINUTES.toMicros(1);

  /** One probe; {@code visible[z]} is the commit time in zone z, or -1 while not yet seen. */
  static final class Probe {
    final int index;
    final String eventId;
    final long producedMillis;
    final long[] visible = new long[FreshnessBenchmark.ZONES.size()];

    Probe(int index, String eventId, long producedMillis) {
      this.index = index;
      this.eventId = eventId;
      this.producedMillis = producedMillis;
      Arrays.fill(visible, -1);
    }

    long producedMillis() {
      return producedMillis;
    }

    long visibleMillis(int zone) {
      return visible[zone];
    }

    boolean visibleEverywhere() {
      return Arrays.stream(visible).allMatch(v -> v >= 0);
    }
  }

  interface Progress {
    void progress(String format, Object... args);
  }

  private final TableContract contract = DomainSchemas.forTable("order_items");
  private final int schemaId;
  private final KafkaProducer<String, byte[]> producer;
  private final Catalog catalog;
  private final Table bronze;
  private final Table silver;
  private final Table gold;
  private final Schema bronzeProjection;
  private final Schema silverProjection;
  private final long baseMicros;
  private final Progress progress;
  private final Long[] lastSeen = new Long[FreshnessBenchmark.ZONES.size()];
  private final Map<String, Probe> byKey = new ConcurrentHashMap<>();
  private final Map<String, Probe> byEventId = new ConcurrentHashMap<>();
  private final Map<Long, Probe> byWindow = new ConcurrentHashMap<>();
  private final Schema goldProjection;
  private final ScheduledExecutorService sender =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "tarn-bench-probe");
            t.setDaemon(true);
            return t;
          });
  private final int probeKeyLength;
  private int next = 0;

  FreshnessProbes(JobConfig config, String bootstrap, SchemaRegistry registry, Progress progress) {
    this.progress = progress;
    this.schemaId = registry.register(contract.subject(), contract.schema());
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "tarn-bench-probe");
    this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    this.catalog = new Lake(config).catalogLoader().loadCatalog();
    this.bronze = catalog.loadTable(TableNames.of("bronze", "order_items"));
    this.silver = catalog.loadTable(TableNames.of("silver", "order_items"));
    this.gold = catalog.loadTable(GoldTables.revenuePerCategory("minute").id());
    this.bronzeProjection = bronze.schema().select("kafka_key");
    this.silverProjection = silver.schema().select("event_id");
    this.goldProjection = gold.schema().select("category", "window_start");
    Instant base = Instant.now().minus(Duration.ofHours(18)).truncatedTo(ChronoUnit.MINUTES);
    this.baseMicros = TimeUnit.MILLISECONDS.toMicros(base.toEpochMilli());
    this.probeKeyLength = orderId(0).length() + ":1".length();
  }

  /**
   * Produces a probe every {@code every} for {@code window}, polling the tables meanwhile, then
   * polls until every probe of the window is visible in every zone or {@code drain} has passed;
   * returns the window's probes.
   */
  List<Probe> window(Duration window, Duration every, Duration drain, Runnable checkJobs)
      throws Exception {
    // probes go out on their own thread, at a steady pace whatever polling costs
    List<Probe> probes = Collections.synchronizedList(new ArrayList<>());
    AtomicReference<Exception> failure = new AtomicReference<>();
    long start = System.nanoTime();
    long end = start + window.toNanos();
    ScheduledFuture<?> sending =
        sender.scheduleAtFixedRate(
            () -> {
              if (System.nanoTime() >= end || failure.get() != null) {
                return;
              }
              try {
                probes.add(send());
              } catch (Exception e) {
                failure.compareAndSet(null, e);
              }
            },
            0,
            every.toNanos(),
            TimeUnit.NANOSECONDS);
    long lastCheck = start;
    try {
      while (System.nanoTime() < end) {
        if (failure.get() != null) {
          throw new IllegalStateException("Cannot send probe: " + failure.get(), failure.get());
        }
        poll();
        if (System.nanoTime() - lastCheck > TimeUnit.SECONDS.toNanos(2)) {
          checkJobs.run();
          lastCheck = System.nanoTime();
        }
        Thread.sleep(POLL_MILLIS);
      }
    } finally {
      sending.cancel(false);
    }
    // a probe being sent at the cancellation is in the list once its send returns
    sender.submit(() -> {}).get(1, TimeUnit.MINUTES);
    long deadline = System.nanoTime() + drain.toNanos();
    while (!List.copyOf(probes).stream().allMatch(Probe::visibleEverywhere)) {
      if (System.nanoTime() > deadline) {
        long[] missing = new long[FreshnessBenchmark.ZONES.size()];
        for (Probe p : probes) {
          for (int z = 0; z < missing.length; z += 1) {
            missing[z] += p.visible[z] < 0 ? 1 : 0;
          }
        }
        progress.progress(
            "probes still invisible after %d s of draining (bronze/silver/gold): %s",
            drain.toSeconds(), Arrays.toString(missing));
        break;
      }
      poll();
      if (System.nanoTime() - lastCheck > TimeUnit.SECONDS.toNanos(2)) {
        checkJobs.run();
        lastCheck = System.nanoTime();
      }
      Thread.sleep(POLL_MILLIS);
    }
    return List.copyOf(probes);
  }

  private Probe send() throws Exception {
    int index = next++;
    if (index >= MAX_PROBES) {
      throw new IllegalStateException(
          "Cannot send probe " + index + ": at most " + MAX_PROBES + " minutes are reserved");
    }
    String eventId = UUID.randomUUID().toString();
    long windowMicros = baseMicros + index * MINUTE_MICROS;
    GenericData.Record item = new GenericData.Record(contract.schema());
    item.put("event_id", eventId);
    item.put("event_time", Instant.ofEpochMilli(windowMicros / 1000 + 1000));
    item.put("source", "tarn-bench-probe");
    item.put("schema_version", 1);
    item.put("order_id", orderId(index));
    item.put("line_no", 1);
    item.put("product_id", "P00001");
    item.put("category", CATEGORY);
    item.put("quantity", 1);
    item.put("unit_price", new BigDecimal("1.00"));
    byte[] payload = WireFormat.encode(schemaId, item);
    String key = contract.keyOf(item);
    // looked for from now on: a commit cannot hold the probe before it is sent
    Probe probe = new Probe(index, eventId, System.currentTimeMillis());
    byKey.put(key, probe);
    byEventId.put(eventId, probe);
    byWindow.put(windowMicros, probe);
    producer.send(new ProducerRecord<>(contract.topic(), key, payload)).get(30, TimeUnit.SECONDS);
    return probe;
  }

  private static String orderId(int index) {
    return String.format(Locale.ROOT, "PROBE%06d", index);
  }

  /** Reads what every zone committed since the last poll. */
  void poll() {
    // bronze: the probe's Kafka key (its unique order id) in the files a snapshot added
    for (Snapshot s : fresh(0, bronze)) {
      Snapshots.readAdded(
          bronze,
          s,
          bronzeProjection,
          row -> {
            ByteBuffer key = (ByteBuffer) row.getField("kafka_key");
            if (key == null || key.remaining() != probeKeyLength) {
              return;
            }
            Probe p = byKey.remove(StandardCharsets.UTF_8.decode(key.duplicate()).toString());
            if (p != null) {
              p.visible[0] = s.timestampMillis();
            }
          });
    }
    // silver: the probe's event id in the files a snapshot added
    for (Snapshot s : fresh(1, silver)) {
      Snapshots.readAdded(
          silver,
          s,
          silverProjection,
          row -> {
            Probe p = byEventId.remove(row.getField("event_id").toString());
            if (p != null) {
              p.visible[1] = s.timestampMillis();
            }
          });
    }
    // gold: the probe's (category, minute) row in the data files a snapshot added. An upsert
    // commits the new row as added data (its equality delete only hides older rows), and each
    // probe minute gets a single row, so the first snapshot adding it is when it became visible.
    for (Snapshot s : fresh(2, gold)) {
      Snapshots.readAdded(
          gold,
          s,
          goldProjection,
          row -> {
            if (!CATEGORY.equals(row.getField("category").toString())) {
              return;
            }
            OffsetDateTime start = (OffsetDateTime) row.getField("window_start");
            long micros = TimeUnit.MILLISECONDS.toMicros(start.toInstant().toEpochMilli());
            Probe p = byWindow.remove(micros);
            if (p != null) {
              p.visible[2] = s.timestampMillis();
            }
          });
    }
  }

  private List<Snapshot> fresh(int zone, Table table) {
    table.refresh();
    List<Snapshot> snapshots = Snapshots.since(table, lastSeen[zone]);
    if (!snapshots.isEmpty()) {
      lastSeen[zone] = snapshots.get(snapshots.size() - 1).snapshotId();
    }
    return snapshots;
  }

  @Override
  public void close() {
    sender.shutdownNow();
    producer.close(Duration.ofSeconds(10));
    Lake.closeQuietly(catalog);
  }
}
