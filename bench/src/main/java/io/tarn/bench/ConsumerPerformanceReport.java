package io.tarn.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The CSV report of Kafka's ConsumerPerformance. Its {@code nMsg.sec} includes the group join;
 * {@code fetch.nMsg.sec} over {@code fetch.time.ms} does not, and is the figure compared with
 * consumers that assign partitions.
 */
public record ConsumerPerformanceReport(
    long records, double megabytes, long rebalanceMs, long fetchMs, double fetchRecordsPerSecond) {
  // the tool's MB is 1024 * 1024 bytes
  private static final double MEGABYTE = 1024 * 1024;

  public static ConsumerPerformanceReport parse(List<String> output) {
    for (int i = 0; i + 1 < output.size(); i += 1) {
      if (output.get(i).startsWith("start.time")) {
        String[] names = output.get(i).split(",\\s*");
        String[] values = output.get(i + 1).split(",\\s*");
        if (names.length != values.length) {
          throw new IllegalArgumentException(
              "Cannot parse ConsumerPerformance output: header has "
                  + names.length
                  + " fields, data line "
                  + values.length);
        }
        Map<String, String> fields = new HashMap<>();
        for (int j = 0; j < names.length; j += 1) {
          fields.put(names[j].trim(), values[j].trim());
        }
        return new ConsumerPerformanceReport(
            Long.parseLong(field(fields, "data.consumed.in.nMsg")),
            Double.parseDouble(field(fields, "data.consumed.in.MB")),
            Long.parseLong(field(fields, "rebalance.time.ms")),
            Long.parseLong(field(fields, "fetch.time.ms")),
            Double.parseDouble(field(fields, "fetch.nMsg.sec")));
      }
    }
    throw new IllegalArgumentException(
        "Cannot parse ConsumerPerformance output: no 'start.time' header in "
            + output.size()
            + " lines");
  }

  private static String field(Map<String, String> fields, String name) {
    String value = fields.get(name);
    if (value == null) {
      throw new IllegalArgumentException(
          "Cannot parse ConsumerPerformance output: no field " + name + " in " + fields.keySet());
    }
    return value;
  }

  public Outcome toOutcome() {
    return Outcome.of(records, (long) (megabytes * MEGABYTE))
        .withOwnElapsed(Duration.ofMillis(fetchMs))
        .with("rebalance_ms", rebalanceMs);
  }
}
