package io.tarn.governance.pii;

/**
 * Where a value of an entity type was found in a text: character offsets, end exclusive. It never
 * carries the value, so findings can be logged and stored where the text itself may not go.
 */
public record Finding(EntityType type, int start, int end, double confidence) {
  public Finding {
    if (start < 0 || end <= start) {
      throw new IllegalArgumentException("Cannot make finding: bad span " + start + ".." + end);
    }
    if (confidence < 0 || confidence > 1) {
      throw new IllegalArgumentException("Cannot make finding: confidence " + confidence);
    }
  }

  public int length() {
    return end - start;
  }

  public boolean overlaps(Finding other) {
    return start < other.end && other.start < end;
  }

  Finding withConfidence(double newConfidence) {
    return new Finding(type, start, end, Math.min(0.99, Math.max(0, newConfidence)));
  }
}
