package io.tarn.bench;

import java.util.Map;

/**
 * One repetition of one peer.
 *
 * @param peer the peer's name
 * @param round 0 for the warm-up, then 1, 2, ...
 * @param warmup whether this is a warm-up round, left out of every summary
 * @param seconds the elapsed time the rate is computed from
 * @param cpuSeconds CPU seconds per process label ({@code bench}, {@code broker}, {@code tool})
 */
public record Measurement(
    String peer,
    int round,
    boolean warmup,
    long records,
    long bytes,
    double seconds,
    double wallSeconds,
    Map<String, Double> cpuSeconds,
    Latency latency,
    Map<String, Double> extra) {

  public double recordsPerSecond() {
    return records / seconds;
  }

  public double megabytesPerSecond() {
    return bytes / seconds / 1_000_000.0;
  }

  /** CPU seconds a process spent per million records, the figure that compares across machines. */
  public double cpuSecondsPerMillion(String process) {
    Double cpu = cpuSeconds.get(process);
    return cpu == null || records == 0 ? Double.NaN : cpu / records * 1_000_000.0;
  }
}
