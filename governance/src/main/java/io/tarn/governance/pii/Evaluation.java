package io.tarn.governance.pii;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Precision and recall of a {@link Detector} per entity type over a labelled corpus. A finding is a
 * true positive when a label of the same type has exactly its span; any other finding is a false
 * positive (a near-miss reported, a wrong type, a span cut short) and a label without its finding a
 * false negative.
 */
public final class Evaluation {
  /** Counts of one entity type. */
  public record Score(
      EntityType type, long truePositives, long falsePositives, long falseNegatives) {
    public double precision() {
      long reported = truePositives + falsePositives;
      return reported == 0 ? 1.0 : truePositives / (double) reported;
    }

    public double recall() {
      long actual = truePositives + falseNegatives;
      return actual == 0 ? 1.0 : truePositives / (double) actual;
    }

    public long labelled() {
      return truePositives + falseNegatives;
    }
  }

  private Evaluation() {}

  /** Runs {@code detector} over every line and scores it per type, in {@link EntityType} order. */
  public static List<Score> score(Detector detector, List<LabelledLine> corpus) {
    Map<EntityType, long[]> counts = new EnumMap<>(EntityType.class);
    for (EntityType type : EntityType.values()) {
      counts.put(type, new long[3]);
    }
    for (LabelledLine line : corpus) {
      List<LabelledLine.Label> unmatched = new ArrayList<>(line.labels());
      for (Finding finding : detector.detect(line.text())) {
        boolean matched =
            unmatched.removeIf(
                label ->
                    label.type() == finding.type()
                        && label.start() == finding.start()
                        && label.end() == finding.end());
        counts.get(finding.type())[matched ? 0 : 1] += 1;
      }
      for (LabelledLine.Label label : unmatched) {
        counts.get(label.type())[2] += 1;
      }
    }
    List<Score> scores = new ArrayList<>();
    counts.forEach((type, c) -> scores.add(new Score(type, c[0], c[1], c[2])));
    return scores;
  }
}
