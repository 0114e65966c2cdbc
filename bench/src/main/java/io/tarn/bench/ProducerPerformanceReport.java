package io.tarn.bench;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The final summary line of Kafka's ProducerPerformance. */
public record ProducerPerformanceReport(
    long records,
    double recordsPerSecond,
    double megabytesPerSecond,
    double avgLatencyMs,
    double maxLatencyMs,
    double p50Ms,
    double p95Ms,
    double p99Ms,
    double p999Ms) {

  // 1000000 records sent, 178571.4 records/sec (34.06 MB/sec), 150.23 ms avg latency,
  // 400.00 ms max latency, 140 ms 50th, 300 ms 95th, 350 ms 99th, 390 ms 99.9th.
  private static final Pattern SUMMARY =
      Pattern.compile(
          "(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\), ([\\d.]+) ms avg"
              + " latency, ([\\d.]+) ms max latency, ([\\d.]+) ms 50th, ([\\d.]+) ms 95th,"
              + " ([\\d.]+) ms 99th, ([\\d.]+) ms 99.9th");

  /**
   * Parses the last summary line (with percentiles) of {@code output}; progress lines have none.
   * With {@code --warmup-records} the tool prints a steady-state line last, which is the one used.
   */
  public static ProducerPerformanceReport parse(List<String> output) {
    for (int i = output.size() - 1; i >= 0; i -= 1) {
      Matcher m = SUMMARY.matcher(output.get(i));
      if (m.find()) {
        return new ProducerPerformanceReport(
            Long.parseLong(m.group(1)),
            Double.parseDouble(m.group(2)),
            Double.parseDouble(m.group(3)),
            Double.parseDouble(m.group(4)),
            Double.parseDouble(m.group(5)),
            Double.parseDouble(m.group(6)),
            Double.parseDouble(m.group(7)),
            Double.parseDouble(m.group(8)),
            Double.parseDouble(m.group(9)));
      }
    }
    throw new IllegalArgumentException(
        "Cannot parse ProducerPerformance output: no summary line with percentiles in "
            + output.size()
            + " lines");
  }

  public Outcome toOutcome(int recordSize) {
    return Outcome.of(records, records * recordSize)
        .withOwnElapsed(Duration.ofNanos((long) (records / recordsPerSecond * 1e9)))
        .withLatency(new Latency("ack", p50Ms, p95Ms, p99Ms, maxLatencyMs, records));
  }
}
