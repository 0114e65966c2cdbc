package io.tarn.governance.pii;

import java.util.List;

/**
 * A line of the labelled corpus: its text and the spans that hold true values. Near-misses
 * (checksum failures, invalid areas, order ids) are in the text but deliberately not labelled.
 */
public record LabelledLine(String text, List<Label> labels) {
  /** A true value of {@code type} at {@code start..end} (end exclusive). */
  public record Label(EntityType type, int start, int end) {}
}
