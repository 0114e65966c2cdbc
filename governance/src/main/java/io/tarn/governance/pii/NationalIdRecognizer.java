package io.tarn.governance.pii;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * National identity numbers with a published validity rule:
 *
 * <ul>
 *   <li>{@link EntityType#US_SSN}: {@code AAA-GG-SSSS} with dashes; area not 000, 666 or 900–999,
 *       group not 00, serial not 0000 (there is no check digit);
 *   <li>{@link EntityType#NL_BSN}: 9 digits passing the 11-check ({@code 9·d1 + 8·d2 + … + 2·d8 −
 *       d9 ≡ 0 mod 11}); one random 9-digit number in eleven passes, so without a context word it
 *       stays below the reporting threshold;
 *   <li>{@link EntityType#UK_NINO}: two prefix letters (not D, F, I, Q, U, V; second not O; not BG,
 *       GB, KN, NK, NT, TN, ZZ), six digits, suffix A–D (no check digit).
 * </ul>
 */
public final class NationalIdRecognizer extends PatternRecognizer {
  private static final Pattern NATIONAL_ID =
      Pattern.compile(
          "(?<![\\w-])(?:"
              + "(?<ssn>(?<area>\\d{3})-(?<group>\\d{2})-(?<serial>\\d{4}))"
              + "|(?<bsn>\\d{9}|\\d{4}\\.\\d{2}\\.\\d{3})"
              + "|(?<nino>[A-Z]{2} ?\\d{2} ?\\d{2} ?\\d{2} ?[A-Z])"
              + ")(?![\\w-])");

  private final EntityType type;

  private NationalIdRecognizer(EntityType type) {
    super(type, NATIONAL_ID);
    this.type = type;
  }

  public static NationalIdRecognizer usSsn() {
    return new NationalIdRecognizer(EntityType.US_SSN);
  }

  public static NationalIdRecognizer nlBsn() {
    return new NationalIdRecognizer(EntityType.NL_BSN);
  }

  public static NationalIdRecognizer ukNino() {
    return new NationalIdRecognizer(EntityType.UK_NINO);
  }

  @Override
  double score(Matcher match, CharSequence text) {
    switch (type) {
      case US_SSN:
        return match.group("ssn") != null
                && ssnValid(match.group("area"), match.group("group"), match.group("serial"))
            ? 0.75
            : -1;
      case NL_BSN:
        return match.group("bsn") != null && elevenCheck(digits(match.group("bsn"))) ? 0.4 : -1;
      case UK_NINO:
        return match.group("nino") != null && ninoValid(match.group("nino").replace(" ", ""))
            ? 0.7
            : -1;
      default:
        throw new IllegalStateException("Not a national id type: " + type);
    }
  }

  static boolean ssnValid(String area, String group, String serial) {
    int a = Integer.parseInt(area);
    return a != 0 && a != 666 && a < 900 && !group.equals("00") && !serial.equals("0000");
  }

  /** The Dutch 11-check of a 9-digit number (also used by bank account numbers of old). */
  public static boolean elevenCheck(String nineDigits) {
    if (nineDigits.length() != 9) {
      return false;
    }
    int sum = 0;
    for (int i = 0; i < 8; i += 1) {
      sum += (9 - i) * (nineDigits.charAt(i) - '0');
    }
    sum -= nineDigits.charAt(8) - '0';
    return sum % 11 == 0 && !nineDigits.startsWith("00");
  }

  static boolean ninoValid(String nino) {
    char first = nino.charAt(0);
    char second = nino.charAt(1);
    char suffix = nino.charAt(8);
    String prefix = nino.substring(0, 2);
    return "DFIQUV".indexOf(first) < 0
        && "DFIQUVO".indexOf(second) < 0
        && !java.util.Set.of("BG", "GB", "KN", "NK", "NT", "TN", "ZZ").contains(prefix)
        && suffix >= 'A'
        && suffix <= 'D';
  }
}
