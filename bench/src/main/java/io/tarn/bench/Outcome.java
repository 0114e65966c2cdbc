package io.tarn.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a peer reports about one repetition of its work; {@link BenchContext#measure} adds the
 * wall-clock time and the CPU time of every process.
 *
 * @param records records processed
 * @param bytes payload bytes processed (keys and values)
 * @param ownElapsed the peer's own timing when it has one (a perf tool measures without its JVM
 *     start), else null and the wall-clock time around the peer is used
 * @param latency latency percentiles, or null
 * @param extra further figures worth keeping, e.g. snapshots or files written
 */
public record Outcome(
    long records, long bytes, Duration ownElapsed, Latency latency, Map<String, Double> extra) {

  public static Outcome of(long records, long bytes) {
    return new Outcome(records, bytes, null, null, Map.of());
  }

  public Outcome withOwnElapsed(Duration elapsed) {
    return new Outcome(records, bytes, elapsed, latency, extra);
  }

  public Outcome withLatency(Latency newLatency) {
    return new Outcome(records, bytes, ownElapsed, newLatency, extra);
  }

  public Outcome with(String name, double value) {
    Map<String, Double> more = new LinkedHashMap<>(extra);
    more.put(name, value);
    return new Outcome(records, bytes, ownElapsed, latency, more);
  }
}
