package io.tarn.bench;

import org.HdrHistogram.Histogram;

/**
 * Latency percentiles of one measurement, in milliseconds; {@code kind} says what was timed (e.g.
 * {@code ack}: send to broker acknowledgement, {@code commit}: one Iceberg commit).
 */
public record Latency(
    String kind, double p50Ms, double p95Ms, double p99Ms, double maxMs, long count) {

  /** A histogram of microseconds with 3 significant digits, as every peer records them. */
  public static Histogram newMicrosHistogram() {
    return new Histogram(3_600_000_000L, 3);
  }

  public static Latency ofMicros(String kind, Histogram micros) {
    return new Latency(
        kind,
        micros.getValueAtPercentile(50) / 1000.0,
        micros.getValueAtPercentile(95) / 1000.0,
        micros.getValueAtPercentile(99) / 1000.0,
        micros.getMaxValue() / 1000.0,
        micros.getTotalCount());
  }
}
