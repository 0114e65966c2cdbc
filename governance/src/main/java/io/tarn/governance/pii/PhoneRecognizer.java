package io.tarn.governance.pii;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Phone numbers: international E.164 ({@code +} country code, 8–15 digits in all, spaces, dots,
 * dashes or a parenthesised area code allowed), North American {@code (415) 555-0134} / {@code
 * 415-555-0134}, and European national numbers with a trunk {@code 0} and at least one separator
 * ({@code 020-555 1234}, {@code 06 12345678}). Bare digit runs are not phones: order and invoice
 * numbers look the same, so only context words lift a bare run above the reporting threshold.
 */
public final class PhoneRecognizer extends PatternRecognizer {
  private static final Pattern PHONE =
      Pattern.compile(
          // not a digit group inside a longer code (a grouped IBAN or card number)
          "(?<![\\w+])(?<!\\d[ .-])(?<![A-Z0-9]{4} )(?:"
              + "(?<intl>\\+[1-9][0-9 ().-]{6,20}[0-9])"
              + "|(?<nanp>\\(\\d{3}\\) ?\\d{3}[-. ]\\d{4}|\\d{3}[-.]\\d{3}[-.]\\d{4})"
              + "|(?<national>0\\d{1,4}[ -]\\d{3,4}[ -]?\\d{2,4})"
              + "|(?<bare>\\d{10,11})"
              + ")(?![\\w-])(?![ .-]\\d)");

  public PhoneRecognizer() {
    super(EntityType.PHONE, PHONE);
  }

  @Override
  double score(Matcher match, CharSequence text) {
    String digits = digits(match.group());
    if (match.group("intl") != null) {
      if (digits.length() < 8 || digits.length() > 15 || !balancedSeparators(match.group())) {
        return -1;
      }
      return 0.8;
    }
    if (match.group("nanp") != null) {
      // NANP area codes and exchanges never start with 0 or 1
      return digits.charAt(0) < '2' || digits.charAt(3) < '2' ? -1 : 0.6;
    }
    if (match.group("national") != null) {
      return digits.length() < 9 || digits.length() > 11 ? -1 : 0.55;
    }
    return 0.3;
  }

  private static boolean balancedSeparators(String text) {
    int open = text.indexOf('(');
    int close = text.indexOf(')');
    if (open < 0 && close < 0) {
      return !text.contains("..") && !text.contains("--") && !text.contains("  ");
    }
    return open >= 0 && close > open + 1 && text.indexOf('(', open + 1) < 0;
  }
}
