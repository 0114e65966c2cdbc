package io.tarn.governance.pii;

import java.util.List;

/**
 * Finds the values of one entity type in a text. A recognizer validates what it can (checksums,
 * ranges, structure) and scores each candidate by itself; field-name and surrounding-word context
 * is applied afterwards by the {@link Detector}, the same way for every type.
 */
public interface EntityRecognizer {
  EntityType type();

  /** Every candidate in {@code text}, scored; overlapping candidates are allowed. */
  List<Finding> recognize(CharSequence text);
}
