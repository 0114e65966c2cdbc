package io.tarn.governance.pii;

import java.math.BigInteger;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * IBANs, compact ({@code NL91ABNA0417164300}) or in groups of four: the country's registered length
 * and the ISO 7064 mod-97 check (the remainder must be 1).
 */
public final class IbanRecognizer extends PatternRecognizer {
  /** Registered IBAN lengths of the SEPA countries and a few more (SWIFT IBAN registry). */
  public static final Map<String, Integer> LENGTHS =
      Map.ofEntries(
          Map.entry("AD", 24),
          Map.entry("AT", 20),
          Map.entry("BE", 16),
          Map.entry("BG", 22),
          Map.entry("CH", 21),
          Map.entry("CY", 28),
          Map.entry("CZ", 24),
          Map.entry("DE", 22),
          Map.entry("DK", 18),
          Map.entry("EE", 20),
          Map.entry("ES", 24),
          Map.entry("FI", 18),
          Map.entry("FR", 27),
          Map.entry("GB", 22),
          Map.entry("GI", 23),
          Map.entry("GR", 27),
          Map.entry("HR", 21),
          Map.entry("HU", 28),
          Map.entry("IE", 22),
          Map.entry("IS", 26),
          Map.entry("IT", 27),
          Map.entry("LI", 21),
          Map.entry("LT", 20),
          Map.entry("LU", 20),
          Map.entry("LV", 21),
          Map.entry("MC", 27),
          Map.entry("MT", 31),
          Map.entry("NL", 18),
          Map.entry("NO", 15),
          Map.entry("PL", 28),
          Map.entry("PT", 25),
          Map.entry("RO", 24),
          Map.entry("SE", 24),
          Map.entry("SI", 19),
          Map.entry("SK", 24),
          Map.entry("SM", 27),
          Map.entry("VA", 22),
          Map.entry("TR", 26),
          Map.entry("SA", 24),
          Map.entry("AE", 23));

  private static final Pattern IBAN =
      Pattern.compile(
          "(?<![A-Za-z0-9])[A-Z]{2}\\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?"
              + "(?![A-Za-z0-9])");

  public IbanRecognizer() {
    super(EntityType.IBAN, IBAN);
  }

  @Override
  double score(Matcher match, CharSequence text) {
    String compact = match.group().replace(" ", "");
    Integer length = LENGTHS.get(compact.substring(0, 2));
    if (length == null || compact.length() != length || !mod97Valid(compact)) {
      return -1;
    }
    return 0.95;
  }

  /** Whether a compact IBAN passes the ISO 7064 mod-97-10 check. */
  public static boolean mod97Valid(String compact) {
    return mod97(compact.substring(4) + compact.substring(0, 4)) == 1;
  }

  /** The two check digits for a country code and BBAN. */
  public static String checkDigits(String country, String bban) {
    int check = 98 - mod97(bban + country + "00");
    return check < 10 ? "0" + check : Integer.toString(check);
  }

  private static int mod97(String rearranged) {
    StringBuilder numeric = new StringBuilder();
    for (int i = 0; i < rearranged.length(); i += 1) {
      char c = rearranged.charAt(i);
      numeric.append(Character.isDigit(c) ? String.valueOf(c) : String.valueOf(c - 'A' + 10));
    }
    return new BigInteger(numeric.toString()).mod(BigInteger.valueOf(97)).intValue();
  }
}
