package io.tarn.bench;

import io.tarn.schemas.DomainSchemas;
import io.tarn.schemas.TableContract;
import io.tarn.schemas.registry.SchemaRegistry;
import io.tarn.workload.WorkloadProducer;
import io.tarn.workload.WorkloadSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fills the domain topics once with clean workload events (no duplicates, malformed, invalid or
 * late records), unthrottled: the data every consume-side peer of a run reads.
 */
public final class WorkloadFill {
  private static final long SEED = 42;
  private static final int CUSTOMERS = 1000;

  private WorkloadFill() {}

  /** The topics of every domain table, in contract order. */
  public static List<String> topics() {
    return DomainSchemas.all().stream().map(TableContract::topic).toList();
  }

  /**
   * Produces {@code events} events, creating the domain topics with {@code partitions} partitions;
   * returns the records produced.
   */
  public static long fill(
      BenchContext ctx, String bootstrap, SchemaRegistry registry, long events, int partitions) {
    WorkloadSpec spec = new WorkloadSpec(events, 0, 0, 0, Duration.ZERO, 0, 0, SEED, CUSTOMERS);
    ctx.progress("producing %,d workload events into %s", events, topics());
    long start = System.nanoTime();
    AtomicLong produced = new AtomicLong();
    try (WorkloadProducer producer =
        new WorkloadProducer(bootstrap, registry, spec, Map.of(), partitions)) {
      producer.run(record -> produced.incrementAndGet());
    }
    ctx.progress(
        "produced %,d records in %.1f s", produced.get(), (System.nanoTime() - start) / 1e9);
    return produced.get();
  }
}
