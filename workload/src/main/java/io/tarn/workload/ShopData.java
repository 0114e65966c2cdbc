package io.tarn.workload;

import java.util.List;
import java.util.Random;

/**
 * Synthetic but realistic-looking personal data: names, addresses, E.164 phone numbers, Luhn-valid
 * card numbers, mod-97-valid IBANs and IPv4 addresses from the documentation ranges. No value
 * belongs to a real person: e-mail domains are reserved example domains, card numbers use a test
 * prefix and IP addresses are TEST-NET addresses.
 */
final class ShopData {
  static final List<String> FIRST_NAMES =
      List.of(
          "Anna", "Ben", "Chloe", "David", "Elena", "Felix", "Grace", "Hugo", "Ines", "Jonas",
          "Karin", "Lars", "Maria", "Noah", "Olivia", "Paul", "Quinn", "Rosa", "Sven", "Tara",
          "Ugo", "Vera", "Willem", "Xenia", "Yusuf", "Zoe", "Liam", "Mila", "Emil", "Sofia");
  static final List<String> LAST_NAMES =
      List.of(
          "Andersen",
          "Bauer",
          "Costa",
          "Dubois",
          "Eriksson",
          "Fischer",
          "Garcia",
          "Hansen",
          "Ivanova",
          "Jansen",
          "Kowalski",
          "Lopez",
          "Martin",
          "Nielsen",
          "OBrien",
          "Peeters",
          "Rossi",
          "Schmidt",
          "Smith",
          "Tanaka",
          "Virtanen",
          "Weber",
          "Novak",
          "Murphy",
          "Silva");
  static final List<String> EMAIL_DOMAINS =
      List.of("example.com", "example.org", "example.net", "mail.example");
  static final List<String> STREETS =
      List.of(
          "Market Street",
          "Station Road",
          "Church Lane",
          "Mill Road",
          "High Street",
          "Park Avenue",
          "Garden Way",
          "River Walk",
          "Harbour Street",
          "Linden Allee");
  static final List<String> USER_AGENTS =
      List.of(
          "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
          "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
          "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
          "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
          "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36",
          "TarnShop/3.2.1 (Android 14)");

  /**
   * A country customers live in: its E.164 calling code, a city with its postal code, and the
   * format of its IBAN's BBAN ('n' a digit, 'a' an upper-case letter), empty without IBANs.
   */
  record Country(String code, String callingCode, String city, String postalCode, String bban) {}

  static final List<Country> COUNTRIES =
      List.of(
          new Country("DE", "49", "Berlin", "10115", "nnnnnnnnnnnnnnnnnn"),
          new Country("FR", "33", "Paris", "75001", "nnnnnnnnnnnnnnnnnnnnnnn"),
          new Country("NL", "31", "Amsterdam", "1012 AB", "aaaannnnnnnnnn"),
          new Country("GB", "44", "London", "SW1A 1AA", "aaaannnnnnnnnnnnnn"),
          new Country("ES", "34", "Madrid", "28001", "nnnnnnnnnnnnnnnnnnnn"),
          new Country("IT", "39", "Roma", "00184", "annnnnnnnnnnnnnnnnnnnnn"),
          new Country("AT", "43", "Wien", "1010", "nnnnnnnnnnnnnnnn"),
          new Country("BE", "32", "Bruxelles", "1000", "nnnnnnnnnnnn"),
          new Country("CH", "41", "Zurich", "8001", "nnnnnnnnnnnnnnnnn"),
          new Country("DK", "45", "Kobenhavn", "1050", "nnnnnnnnnnnnnn"),
          new Country("FI", "358", "Helsinki", "00100", "nnnnnnnnnnnnnn"),
          new Country("IE", "353", "Dublin", "D02 X285", "aaaannnnnnnnnnnnnn"),
          new Country("NO", "47", "Oslo", "0150", "nnnnnnnnnnn"),
          new Country("PL", "48", "Warszawa", "00-001", "nnnnnnnnnnnnnnnnnnnnnnnn"),
          new Country("PT", "351", "Lisboa", "1100-148", "nnnnnnnnnnnnnnnnnnnnn"),
          new Country("SE", "46", "Stockholm", "111 22", "nnnnnnnnnnnnnnnnnnnn"),
          new Country("US", "1", "New York, NY", "10001", ""));

  private ShopData() {}

  static <T> T pick(List<T> values, Random random) {
    return values.get(random.nextInt(values.size()));
  }

  static String digits(Random random, int count) {
    StringBuilder out = new StringBuilder(count);
    for (int i = 0; i < count; i++) {
      out.append((char) ('0' + random.nextInt(10)));
    }
    return out.toString();
  }

  /** An E.164 number: +, the calling code, a national number not starting with 0. */
  static String phone(Country country, Random random) {
    int national = country.callingCode().length() == 3 ? 9 : 10;
    return "+"
        + country.callingCode()
        + (char) ('1' + random.nextInt(9))
        + digits(random, national - 1);
  }

  static String address(Country country, Random random) {
    return (1 + random.nextInt(180))
        + " "
        + pick(STREETS, random)
        + ", "
        + country.postalCode()
        + " "
        + country.city();
  }

  /** A 16-digit card number with the 4000 00 test prefix and a valid Luhn check digit. */
  static String cardNumber(Random random) {
    String body = "400000" + digits(random, 9);
    return body + luhnCheckDigit(body);
  }

  static int luhnCheckDigit(String body) {
    int sum = 0;
    // doubling starts at the rightmost body digit, which sits left of the check digit
    for (int i = body.length() - 1, position = 0; i >= 0; i--, position++) {
      int digit = body.charAt(i) - '0';
      if (position % 2 == 0) {
        digit *= 2;
        if (digit > 9) {
          digit -= 9;
        }
      }
      sum += digit;
    }
    return (10 - sum % 10) % 10;
  }

  static boolean luhnValid(String number) {
    return luhnCheckDigit(number.substring(0, number.length() - 1))
        == number.charAt(number.length() - 1) - '0';
  }

  /** An IBAN of the country with a valid mod-97 check, or null for a country without IBANs. */
  static String iban(Country country, Random random) {
    if (country.bban().isEmpty()) {
      return null;
    }
    StringBuilder bban = new StringBuilder();
    for (char kind : country.bban().toCharArray()) {
      bban.append(
          kind == 'a' ? (char) ('A' + random.nextInt(26)) : (char) ('0' + random.nextInt(10)));
    }
    int check = 98 - mod97(bban + country.code() + "00");
    return country.code() + (check < 10 ? "0" : "") + check + bban;
  }

  static boolean ibanValid(String iban) {
    return mod97(iban.substring(4) + iban.substring(0, 4)) == 1;
  }

  private static int mod97(String text) {
    int remainder = 0;
    for (char c : text.toCharArray()) {
      int value = Character.isDigit(c) ? c - '0' : c - 'A' + 10;
      remainder = (value > 9 ? remainder * 100 + value : remainder * 10 + value) % 97;
    }
    return remainder;
  }

  /** An address from the TEST-NET ranges of RFC 5737, reserved for documentation. */
  static String ip(Random random) {
    String[] nets = {"192.0.2.", "198.51.100.", "203.0.113."};
    return nets[random.nextInt(nets.length)] + (1 + random.nextInt(254));
  }
}
