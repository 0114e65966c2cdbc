package io.tarn.governance.pii;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Runs every {@link EntityRecognizer} over a text, raises the confidence of a candidate when the
 * field name or the words just before it name its type ({@code phone: …}, a column called {@code
 * iban}), keeps those at or above the threshold and resolves overlaps: where two candidates share
 * characters, the more confident (then the longer) one wins.
 */
public final class Detector {
  /** Default reporting threshold. */
  public static final double DEFAULT_THRESHOLD = 0.5;

  /** Added when the field name names the candidate's type. */
  static final double FIELD_BOOST = 0.35;

  /** Added when a word naming the type stands within {@link #WINDOW} characters before it. */
  static final double WORD_BOOST = 0.3;

  static final int WINDOW = 32;
  private static final Pattern WORD_SPLIT = Pattern.compile("[^a-z0-9]+");

  private final List<EntityRecognizer> recognizers;
  private final double threshold;

  public Detector(List<EntityRecognizer> recognizers, double threshold) {
    if (threshold <= 0 || threshold > 1) {
      throw new IllegalArgumentException(
          "Cannot make detector: threshold " + threshold + " is not in (0, 1]");
    }
    this.recognizers = List.copyOf(recognizers);
    this.threshold = threshold;
  }

  /** Every recognizer of this module at the default threshold. */
  public static Detector standard() {
    return new Detector(standardRecognizers(), DEFAULT_THRESHOLD);
  }

  public static List<EntityRecognizer> standardRecognizers() {
    return List.of(
        new EmailRecognizer(),
        new PhoneRecognizer(),
        new CardNumberRecognizer(),
        new IbanRecognizer(),
        new IpAddressRecognizer(),
        NationalIdRecognizer.usSsn(),
        NationalIdRecognizer.nlBsn(),
        NationalIdRecognizer.ukNino());
  }

  public double threshold() {
    return threshold;
  }

  /** Findings in free text with no field name. */
  public List<Finding> detect(CharSequence text) {
    return detect(text, null);
  }

  /** Findings in the value of field {@code fieldName} (may be null), ordered by start. */
  public List<Finding> detect(CharSequence text, String fieldName) {
    if (isUuid(text)) {
      // random hex: it names no one, and its digit runs would only make false phone numbers
      return List.of();
    }
    List<String> fieldWords = words(fieldName == null ? "" : fieldName);
    List<Finding> candidates = new ArrayList<>();
    for (EntityRecognizer recognizer : recognizers) {
      for (Finding finding : recognizer.recognize(text)) {
        double confidence = finding.confidence();
        if (mentions(fieldWords, finding.type())) {
          confidence += FIELD_BOOST;
        }
        int from = Math.max(0, finding.start() - WINDOW);
        if (mentions(words(text.subSequence(from, finding.start()).toString()), finding.type())) {
          confidence += WORD_BOOST;
        }
        if (confidence >= threshold) {
          candidates.add(finding.withConfidence(confidence));
        }
      }
    }
    candidates.sort(
        Comparator.comparingDouble(Finding::confidence)
            .reversed()
            .thenComparing(Comparator.comparingInt(Finding::length).reversed())
            .thenComparingInt(Finding::start));
    List<Finding> kept = new ArrayList<>();
    for (Finding candidate : candidates) {
      if (kept.stream().noneMatch(candidate::overlaps)) {
        kept.add(candidate);
      }
    }
    kept.sort(Comparator.comparingInt(Finding::start));
    return kept;
  }

  /** Whether {@code text} is exactly a UUID in its canonical 8-4-4-4-12 hex form. */
  static boolean isUuid(CharSequence text) {
    if (text.length() != 36) {
      return false;
    }
    for (int i = 0; i < 36; i++) {
      char c = text.charAt(i);
      boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
      boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (dash ? c != '-' : !hex) {
        return false;
      }
    }
    return true;
  }

  private static boolean mentions(List<String> words, EntityType type) {
    for (String word : words) {
      if (type.contextWords().contains(word)) {
        return true;
      }
    }
    return false;
  }

  private static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    for (String word : WORD_SPLIT.split(text.toLowerCase(Locale.ROOT))) {
      if (!word.isEmpty()) {
        words.add(word);
      }
    }
    return words;
  }
}
