package io.tarn.governance.pii;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** E-mail addresses: a local part, {@code @}, a dotted domain ending in a 2–24 letter TLD. */
public final class EmailRecognizer extends PatternRecognizer {
  private static final Pattern EMAIL =
      Pattern.compile(
          "(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@"
              + "(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,24}"
              + "(?![A-Za-z0-9-])");

  public EmailRecognizer() {
    super(EntityType.EMAIL, EMAIL);
  }

  @Override
  double score(Matcher match, CharSequence text) {
    String local = match.group().substring(0, match.group().indexOf('@'));
    // a local part ending in a dot or with two dots in a row is invalid, seen in near-misses
    if (local.endsWith(".") || local.contains("..")) {
      return -1;
    }
    return 0.9;
  }
}
