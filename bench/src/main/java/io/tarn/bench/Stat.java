package io.tarn.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Median, minimum and maximum over the repetitions of one figure. */
public record Stat(double median, double min, double max, int count) {

  /** Null when there are no finite values (a figure a peer does not have). */
  public static Stat of(List<Double> values) {
    List<Double> sorted = new ArrayList<>();
    for (Double value : values) {
      if (value != null && Double.isFinite(value)) {
        sorted.add(value);
      }
    }
    if (sorted.isEmpty()) {
      return null;
    }
    Collections.sort(sorted);
    int n = sorted.size();
    double median =
        n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    return new Stat(median, sorted.get(0), sorted.get(n - 1), n);
  }
}
