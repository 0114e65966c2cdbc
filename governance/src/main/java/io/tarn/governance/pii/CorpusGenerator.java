package io.tarn.governance.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Generates a labelled corpus for measuring the detector: free-text lines (support tickets, order
 * notes, log lines) with true values of every {@link EntityType} embedded, and near-misses that a
 * careless detector would report: Luhn-failing card numbers with real issuer prefixes, IBANs with
 * wrong check digits, SSNs with invalid areas, BSNs failing the 11-check, NINOs with forbidden
 * prefixes, out-of-range IPv4 quads, version strings, times, order and invoice numbers. The same
 * seed gives the same corpus.
 */
public final class CorpusGenerator {
  private static final String[] FIRST = {
    "anna", "ben", "chloe", "david", "eva", "farid", "greta", "hugo", "ines", "jonas", "kim", "lena"
  };
  private static final String[] LAST = {
    "jansen", "smith", "muller", "garcia", "rossi", "dubois", "novak", "berg", "silva", "okafor"
  };
  private static final String[] DOMAINS = {
    "example.com", "mail.example.org", "shop.test", "post.example.nl", "web.example.co.uk"
  };
  private static final String[] CARD_PREFIXES = {"4", "51", "52", "55", "2221", "34", "37", "6011"};
  private static final String[] IBAN_COUNTRIES = {"NL", "DE", "GB", "FR", "BE", "ES", "IT", "AT"};
  private static final String[] FILLER = {
    "Customer called about the delivery of order O%09d.",
    "Ticket #%d: please update the billing details.",
    "Refund of EUR %d.50 approved by support.",
    "Parcel left with the neighbour at 14:%02d.",
    "App version 2.%d.1 crashed on checkout.",
    "Invoice %d was sent again.",
    "Note from the warehouse: %d items re-stocked.",
  };

  private final Random random;

  public CorpusGenerator(long seed) {
    this.random = new Random(seed);
  }

  /** {@code count} lines, each with one or two true values and about every other a near-miss. */
  public List<LabelledLine> lines(int count) {
    List<LabelledLine> lines = new ArrayList<>(count);
    EntityType[] types = EntityType.values();
    for (int i = 0; i < count; i += 1) {
      Builder line = new Builder();
      line.text(filler());
      int values = 1 + random.nextInt(2);
      for (int v = 0; v < values; v += 1) {
        line.text(" ");
        // round-robin first, so every type is represented evenly even in a short corpus
        EntityType type = v == 0 ? types[i % types.length] : types[random.nextInt(types.length)];
        embed(line, type);
      }
      if (random.nextBoolean()) {
        line.text(" ");
        nearMiss(line);
      }
      line.text(" " + filler());
      lines.add(line.build());
    }
    return lines;
  }

  private void embed(Builder line, EntityType type) {
    switch (type) {
      case EMAIL:
        line.text(pick("Reply to ", "Contact: ", "sent by ", "cc "));
        line.value(type, email());
        break;
      case PHONE:
        line.text(pick("Call back on ", "phone: ", "reachable at ", "Tel. "));
        line.value(type, phone());
        break;
      case CARD_NUMBER:
        line.text(pick("Paid with card ", "PAN ", "charged to ", "card number: "));
        line.value(type, card(true));
        break;
      case IBAN:
        line.text(pick("Refund to IBAN ", "account ", "transfer to ", "bank details: "));
        line.value(type, iban(true));
        break;
      case IP:
        line.text(pick("login from ", "client ip=", "request from host ", "remote addr "));
        line.value(type, random.nextInt(4) == 0 ? ipv6() : ipv4());
        break;
      case US_SSN:
        line.text(pick("SSN ", "social security no. ", "tax id (SSN): "));
        line.value(type, ssn(true));
        break;
      case NL_BSN:
        line.text(pick("BSN ", "burgerservicenummer ", "citizen number (BSN) "));
        line.value(type, bsn(true));
        break;
      case UK_NINO:
        line.text(pick("NI number ", "NINO: ", "national insurance "));
        line.value(type, nino(true));
        break;
      default:
        throw new IllegalStateException("No generator for " + type);
    }
    line.text(pick(".", ",", " today.", " - thanks", ";"));
  }

  /** Text that looks like a value but is not one: the detector must stay silent. */
  private void nearMiss(Builder line) {
    switch (random.nextInt(11)) {
      case 0 -> line.text("Old card " + card(false) + " was declined.");
      case 1 -> line.text("Typo in IBAN " + iban(false) + " corrected.");
      case 2 -> line.text("SSN " + ssn(false) + " rejected by the form.");
      case 3 -> line.text("BSN " + bsn(false) + " failed validation.");
      case 4 -> line.text("NI number " + nino(false) + " looks wrong.");
      case 5 ->
          line.text(
              "Bad address "
                  + (256 + random.nextInt(700))
                  + "."
                  + random.nextInt(256)
                  + "."
                  + random.nextInt(256)
                  + "."
                  + random.nextInt(256)
                  + " in the log.");
      case 6 ->
          line.text(
              "Upgraded to release "
                  + (1 + random.nextInt(9))
                  + "."
                  + random.nextInt(20)
                  + "."
                  + random.nextInt(20)
                  + "."
                  + random.nextInt(99)
                  + ".");
      case 7 ->
          line.text(
              "Order number " + (20_000_000_000L + random.nextInt(999_999_999)) + " shipped.");
      case 8 ->
          line.text(
              "Tracking "
                  + digits(12)
                  + " at "
                  + random.nextInt(24)
                  + ":"
                  + String.format(Locale.ROOT, "%02d:%02d", random.nextInt(60), random.nextInt(60))
                  + ".");
      case 9 -> line.text("Reference " + digits(16) + " for the warehouse.");
      default -> line.text("Mail the team at support@ or @shop on social media.");
    }
  }

  private String filler() {
    return String.format(Locale.ROOT, FILLER[random.nextInt(FILLER.length)], random.nextInt(1000));
  }

  private String email() {
    String sep = pick(".", "_", "", "-");
    String local = FIRST[random.nextInt(FIRST.length)] + sep + LAST[random.nextInt(LAST.length)];
    if (random.nextInt(3) == 0) {
      local += random.nextInt(100);
    }
    return local + "@" + DOMAINS[random.nextInt(DOMAINS.length)];
  }

  private String phone() {
    switch (random.nextInt(6)) {
      case 0:
        return "+31 6 " + digits(8);
      case 1:
        return "+44 7700 " + digits(6);
      case 2:
        return "+1 ("
            + (200 + random.nextInt(800))
            + ") "
            + (200 + random.nextInt(800))
            + "-"
            + digits(4);
      case 3:
        return "+49" + (150 + random.nextInt(30)) + digits(8);
      case 4:
        return "("
            + (200 + random.nextInt(800))
            + ") "
            + (200 + random.nextInt(800))
            + "-"
            + digits(4);
      default:
        return "0"
            + (10 + random.nextInt(90))
            + "-"
            + (100 + random.nextInt(900))
            + " "
            + digits(4);
    }
  }

  /** A card number with a real issuer prefix; Luhn-valid when {@code valid}. */
  String card(boolean valid) {
    String prefix = CARD_PREFIXES[random.nextInt(CARD_PREFIXES.length)];
    int length = prefix.startsWith("3") ? 15 : 16;
    String payload = prefix + digits(length - 1 - prefix.length());
    int check = CardNumberRecognizer.luhnCheckDigit(payload);
    String number = payload + (valid ? check : (check + 1 + random.nextInt(9)) % 10);
    String sep = pick("", " ", "-");
    if (sep.isEmpty()) {
      return number;
    }
    int[] groups = length == 15 ? new int[] {4, 6, 5} : new int[] {4, 4, 4, 4};
    StringBuilder out = new StringBuilder();
    int at = 0;
    for (int group : groups) {
      if (at > 0) {
        out.append(sep);
      }
      out.append(number, at, at + group);
      at += group;
    }
    return out.toString();
  }

  /** An IBAN of the country's length; mod-97-valid when {@code valid}. */
  String iban(boolean valid) {
    String country = IBAN_COUNTRIES[random.nextInt(IBAN_COUNTRIES.length)];
    int bbanLength = IbanRecognizer.LENGTHS.get(country) - 4;
    String bban;
    if (country.equals("NL") || country.equals("GB")) {
      bban = letters(4) + digits(bbanLength - 4);
    } else {
      bban = digits(bbanLength);
    }
    String check = IbanRecognizer.checkDigits(country, bban);
    if (!valid) {
      int wrong = (Integer.parseInt(check) + 1 + random.nextInt(96)) % 97;
      wrong = wrong < 2 ? wrong + 2 : wrong;
      check = String.format(Locale.ROOT, "%02d", wrong);
    }
    String compact = country + check + bban;
    if (random.nextBoolean()) {
      return compact;
    }
    StringBuilder grouped = new StringBuilder();
    for (int i = 0; i < compact.length(); i += 4) {
      if (i > 0) {
        grouped.append(' ');
      }
      grouped.append(compact, i, Math.min(compact.length(), i + 4));
    }
    return grouped.toString();
  }

  private String ipv4() {
    return (1 + random.nextInt(223))
        + "."
        + random.nextInt(256)
        + "."
        + random.nextInt(256)
        + "."
        + (1 + random.nextInt(254));
  }

  private String ipv6() {
    StringBuilder out = new StringBuilder("2001:db8");
    boolean compressed = random.nextBoolean();
    int groups = compressed ? 2 + random.nextInt(3) : 6;
    if (compressed) {
      out.append(':');
    }
    for (int i = 0; i < groups; i += 1) {
      out.append(':').append(Integer.toHexString(random.nextInt(0x10000)));
    }
    return out.toString();
  }

  String ssn(boolean valid) {
    int area;
    if (valid) {
      do {
        area = 1 + random.nextInt(899);
      } while (area == 666);
    } else {
      area = pickInt(0, 666, 900 + random.nextInt(100));
    }
    return String.format(
        Locale.ROOT, "%03d-%02d-%04d", area, 1 + random.nextInt(99), 1 + random.nextInt(9999));
  }

  String bsn(boolean valid) {
    while (true) {
      String candidate = (1 + random.nextInt(9)) + digits(8);
      if (NationalIdRecognizer.elevenCheck(candidate) == valid) {
        return candidate;
      }
    }
  }

  String nino(boolean valid) {
    String allowedFirst = "ABCEGHJKLMNPRSTWXYZ";
    String allowedSecond = "ABCEGHJKLMNPRSTWXYZ";
    String prefix;
    char suffix;
    if (valid) {
      do {
        prefix =
            ""
                + allowedFirst.charAt(random.nextInt(allowedFirst.length()))
                + allowedSecond.charAt(random.nextInt(allowedSecond.length()));
      } while (List.of("BG", "GB", "KN", "NK", "NT", "TN", "ZZ").contains(prefix));
      suffix = (char) ('A' + random.nextInt(4));
    } else if (random.nextBoolean()) {
      prefix = pick("QQ", "DA", "FB", "GB", "ZZ", "VE");
      suffix = (char) ('A' + random.nextInt(4));
    } else {
      prefix = "AB";
      suffix = (char) ('E' + random.nextInt(10));
    }
    String digits = digits(6);
    return random.nextBoolean()
        ? prefix + digits + suffix
        : prefix
            + " "
            + digits.substring(0, 2)
            + " "
            + digits.substring(2, 4)
            + " "
            + digits.substring(4)
            + " "
            + suffix;
  }

  private String digits(int count) {
    StringBuilder out = new StringBuilder(count);
    for (int i = 0; i < count; i += 1) {
      out.append((char) ('0' + random.nextInt(10)));
    }
    return out.toString();
  }

  private String letters(int count) {
    StringBuilder out = new StringBuilder(count);
    for (int i = 0; i < count; i += 1) {
      out.append((char) ('A' + random.nextInt(26)));
    }
    return out.toString();
  }

  private String pick(String... options) {
    return options[random.nextInt(options.length)];
  }

  private int pickInt(int... options) {
    return options[random.nextInt(options.length)];
  }

  private static final class Builder {
    private final StringBuilder text = new StringBuilder();
    private final List<LabelledLine.Label> labels = new ArrayList<>();

    void text(String part) {
      text.append(part);
    }

    void value(EntityType type, String value) {
      labels.add(new LabelledLine.Label(type, text.length(), text.length() + value.length()));
      text.append(value);
    }

    LabelledLine build() {
      return new LabelledLine(text.toString(), List.copyOf(labels));
    }
  }
}
