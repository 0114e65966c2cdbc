package io.tarn.governance.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DetectorTest {
  private final Detector detector = Detector.standard();

  @Test
  void contextWordsAndFieldNamesRaiseConfidence() {
    String bsn = "111222333";
    assertThat(detector.detect(bsn)).isEmpty();
    assertThat(detector.detect("BSN: " + bsn))
        .extracting(Finding::type)
        .containsExactly(EntityType.NL_BSN);
    assertThat(detector.detect(bsn, "bsn"))
        .extracting(Finding::type)
        .containsExactly(EntityType.NL_BSN);

    double plain = detector.detect("at 10.0.0.1").get(0).confidence();
    double inIpColumn = detector.detect("at 10.0.0.1", "client_ip").get(0).confidence();
    assertThat(inIpColumn).isGreaterThan(plain);
    assertThat(detector.detect("0612345678")).isEmpty();
    assertThat(detector.detect("0612345678", "phone"))
        .extracting(Finding::type)
        .containsExactly(EntityType.PHONE);
  }

  @Test
  void overlappingCandidatesKeepTheMostConfident() {
    // the digits of the IBAN also read as a national phone number; the IBAN wins
    String text = "refund to NL91 ABNA 0417 1643 00 today";
    List<Finding> findings = detector.detect(text);
    assertThat(findings).extracting(Finding::type).containsExactly(EntityType.IBAN);
    assertThat(text.substring(findings.get(0).start(), findings.get(0).end()))
        .isEqualTo("NL91 ABNA 0417 1643 00");
  }

  @Test
  void findingsAreOrderedAndThresholdIsChecked() {
    List<Finding> findings = detector.detect("ip 10.0.0.1 mail a.b@example.com ssn 123-45-6789");
    assertThat(findings)
        .extracting(Finding::type)
        .containsExactly(EntityType.IP, EntityType.EMAIL, EntityType.US_SSN);
    assertThat(new Detector(Detector.standardRecognizers(), 0.99).detect("10.0.0.1")).isEmpty();
    assertThatThrownBy(() -> new Detector(List.of(), 0)).hasMessageContaining("threshold");
  }

  @Test
  void aUuidHoldsNothing() {
    Detector detector = Detector.standard();
    assertThat(Detector.isUuid("4245549d-9db6-40b5-be31-14e151af9e20")).isTrue();
    assertThat(Detector.isUuid("4245549d-9db6-40b5-be31-14e151af9e2")).isFalse();
    assertThat(Detector.isUuid("4245549d+9db6-40b5-be31-14e151af9e20")).isFalse();
    assertThat(detector.detect("12345678-1234-1234-1234-123456789012")).isEmpty();
    // a UUID inside a longer text is just text: what stands around it is still scanned
    assertThat(detector.detect("id 4245549d-9db6-40b5-be31-14e151af9e20 mail ann@example.org"))
        .extracting(Finding::type)
        .containsExactly(EntityType.EMAIL);
  }
}
