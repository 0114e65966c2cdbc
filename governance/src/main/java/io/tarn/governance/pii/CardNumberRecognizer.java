package io.tarn.governance.pii;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Payment card numbers (PANs): 13–19 digits, optionally in groups separated by one kind of space or
 * dash, passing the Luhn check. A number whose prefix is a known issuer range (IIN: Visa,
 * Mastercard, Amex, Discover, JCB, Diners, Maestro, UnionPay) scores high; a Luhn-valid number with
 * an unknown prefix scores below the reporting threshold, since one random number in ten passes
 * Luhn.
 */
public final class CardNumberRecognizer extends PatternRecognizer {
  private static final Pattern CARD =
      Pattern.compile(
          // not glued to a "+" (a phone) nor to further digit groups (an IBAN, a longer number)
          "(?<![\\w+-])(?<!\\d[ -])\\d(?:[ -]?\\d){12,18}(?![\\w-])(?![ -]\\d)");

  public CardNumberRecognizer() {
    super(EntityType.CARD_NUMBER, CARD);
  }

  @Override
  double score(Matcher match, CharSequence text) {
    String candidate = match.group();
    if (candidate.contains(" ") && candidate.contains("-")) {
      return -1;
    }
    String digits = digits(candidate);
    if (digits.length() < 13 || digits.length() > 19 || !luhnValid(digits)) {
      return -1;
    }
    return knownIssuer(digits) ? 0.95 : 0.35;
  }

  /** Whether {@code digits} passes the Luhn (mod 10) check. */
  public static boolean luhnValid(String digits) {
    return luhnSum(digits, false) % 10 == 0;
  }

  /** The check digit that makes {@code payload} + digit Luhn-valid. */
  public static int luhnCheckDigit(String payload) {
    return (10 - luhnSum(payload, true) % 10) % 10;
  }

  private static int luhnSum(String digits, boolean doubleLast) {
    int sum = 0;
    boolean doubled = doubleLast;
    for (int i = digits.length() - 1; i >= 0; i -= 1) {
      int d = digits.charAt(i) - '0';
      if (doubled) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      doubled = !doubled;
    }
    return sum;
  }

  /** Whether the number starts with an issuer range of a major scheme and has its length. */
  static boolean knownIssuer(String digits) {
    int len = digits.length();
    int p2 = Integer.parseInt(digits.substring(0, 2));
    int p3 = Integer.parseInt(digits.substring(0, 3));
    int p4 = Integer.parseInt(digits.substring(0, 4));
    int p6 = Integer.parseInt(digits.substring(0, 6));
    if (digits.charAt(0) == '4') {
      return len == 13 || len == 16 || len == 19; // Visa
    }
    if ((p2 >= 51 && p2 <= 55) || (p6 >= 222100 && p6 <= 272099)) {
      return len == 16; // Mastercard
    }
    if (p2 == 34 || p2 == 37) {
      return len == 15; // Amex
    }
    if (p4 == 6011 || p2 == 65 || (p3 >= 644 && p3 <= 649)) {
      return len >= 16 && len <= 19; // Discover
    }
    if (p4 >= 3528 && p4 <= 3589) {
      return len >= 16 && len <= 19; // JCB
    }
    if (p2 == 36 || p2 == 38 || (p3 >= 300 && p3 <= 305)) {
      return len >= 14 && len <= 19; // Diners Club
    }
    if (p2 == 62) {
      return len >= 16 && len <= 19; // UnionPay
    }
    if (p2 == 50 || (p2 >= 56 && p2 <= 69)) {
      return len >= 12 && len <= 19; // Maestro
    }
    return false;
  }
}
