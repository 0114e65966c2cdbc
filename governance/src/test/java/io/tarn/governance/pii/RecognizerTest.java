package io.tarn.governance.pii;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RecognizerTest {
  private static List<String> found(EntityRecognizer recognizer, String text) {
    return recognizer.recognize(text).stream()
        .filter(f -> f.confidence() >= Detector.DEFAULT_THRESHOLD)
        .map(f -> text.substring(f.start(), f.end()))
        .toList();
  }

  @Test
  void cardNumbersNeedLuhnAndAKnownIssuer() {
    CardNumberRecognizer cards = new CardNumberRecognizer();
    assertThat(found(cards, "paid with 4111 1111 1111 1111 today"))
        .containsExactly("4111 1111 1111 1111");
    assertThat(found(cards, "amex 3782-822463-10005.")).containsExactly("3782-822463-10005");
    assertThat(found(cards, "mc 5555555555554444")).containsExactly("5555555555554444");
    // last digit changed: fails Luhn
    assertThat(found(cards, "paid with 4111 1111 1111 1112 today")).isEmpty();
    // Luhn-valid but no issuer starts with 9
    assertThat(found(cards, "ref 9999999999999995")).isEmpty();
    // mixed separators are not a card layout
    assertThat(found(cards, "4111 1111-1111 1111")).isEmpty();
    assertThat(CardNumberRecognizer.luhnCheckDigit("411111111111111")).isEqualTo(1);
  }

  @Test
  void ibansNeedTheirCountryLengthAndMod97() {
    IbanRecognizer ibans = new IbanRecognizer();
    assertThat(found(ibans, "to NL91ABNA0417164300.")).containsExactly("NL91ABNA0417164300");
    assertThat(found(ibans, "to DE89 3704 0044 0532 0130 00 please"))
        .containsExactly("DE89 3704 0044 0532 0130 00");
    assertThat(found(ibans, "GB82 WEST 1234 5698 7654 32")).hasSize(1);
    assertThat(found(ibans, "to NL92ABNA0417164300.")).isEmpty();
    // valid check digits but one character short for NL
    assertThat(found(ibans, "NL91ABNA041716430")).isEmpty();
    assertThat(IbanRecognizer.checkDigits("NL", "ABNA0417164300")).isEqualTo("91");
  }

  @Test
  void nationalIdsFollowTheirRules() {
    assertThat(found(NationalIdRecognizer.usSsn(), "ssn 123-45-6789"))
        .containsExactly("123-45-6789");
    assertThat(found(NationalIdRecognizer.usSsn(), "000-12-3456 666-12-3456 912-12-3456"))
        .isEmpty();
    assertThat(found(NationalIdRecognizer.usSsn(), "123-00-6789 123-45-0000")).isEmpty();
    assertThat(found(NationalIdRecognizer.ukNino(), "NINO AB123456C, QQ123456C, AB123456E"))
        .containsExactly("AB123456C");
    assertThat(found(NationalIdRecognizer.ukNino(), "GB123456A")).isEmpty();
    assertThat(NationalIdRecognizer.elevenCheck("111222333")).isTrue();
    assertThat(NationalIdRecognizer.elevenCheck("111222334")).isFalse();
    // a BSN alone is only a 9-digit number: below the threshold without context
    assertThat(found(NationalIdRecognizer.nlBsn(), "111222333")).isEmpty();
    assertThat(NationalIdRecognizer.nlBsn().recognize("111222333")).hasSize(1);
  }

  @Test
  void ipAddressesAreValidatedAndVersionsIgnored() {
    IpAddressRecognizer ips = new IpAddressRecognizer();
    assertThat(found(ips, "from 192.168.1.20, then 10.0.0.1."))
        .containsExactly("192.168.1.20", "10.0.0.1");
    assertThat(found(ips, "256.1.1.1 and 1.2.3.4.5 and release 1.2.3.4")).isEmpty();
    assertThat(found(ips, "host 2001:db8::8a2e:370:7334 up"))
        .containsExactly("2001:db8::8a2e:370:7334");
    assertThat(found(ips, "fe80:0:0:0:204:61ff:fe9d:f156")).hasSize(1);
    assertThat(found(ips, "at 12:30:45 and mac 00:1a:2b:3c:4d:5e")).isEmpty();
    assertThat(found(ips, "bad 2001:db8::1::2")).isEmpty();
  }

  @Test
  void emailsAndPhones() {
    assertThat(found(new EmailRecognizer(), "mail anna.jansen@example.co.uk, not support@"))
        .containsExactly("anna.jansen@example.co.uk");
    assertThat(found(new EmailRecognizer(), "anna..jansen@example.com")).isEmpty();
    PhoneRecognizer phones = new PhoneRecognizer();
    assertThat(found(phones, "+31 6 12345678 or (415) 555-0134 or 020-555 1234"))
        .containsExactly("+31 6 12345678", "(415) 555-0134", "020-555 1234");
    // a bare digit run is an order number until context says otherwise
    assertThat(found(phones, "order 20240117553")).isEmpty();
    assertThat(found(phones, "(015) 555-0134")).isEmpty();
  }
}
