package io.tarn.governance.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A recognizer that finds candidates with a regular expression and scores each with {@link #score},
 * which returns a negative number to reject the candidate.
 */
abstract class PatternRecognizer implements EntityRecognizer {
  private final EntityType type;
  private final Pattern pattern;

  PatternRecognizer(EntityType type, Pattern pattern) {
    this.type = type;
    this.pattern = pattern;
  }

  @Override
  public EntityType type() {
    return type;
  }

  /** The confidence of the candidate {@code match}, or a negative number if it is not one. */
  abstract double score(Matcher match, CharSequence text);

  @Override
  public List<Finding> recognize(CharSequence text) {
    List<Finding> findings = new ArrayList<>();
    Matcher match = pattern.matcher(text);
    while (match.find()) {
      double score = score(match, text);
      if (score >= 0) {
        findings.add(new Finding(type, match.start(), match.end(), score));
      }
    }
    return findings;
  }

  /** The digits of {@code text}, separators dropped. */
  static String digits(CharSequence text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i += 1) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        out.append(c);
      }
    }
    return out.toString();
  }
}
