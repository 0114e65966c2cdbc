package io.tarn.jobs.silver.quality;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.governance.pii.ColumnFinding;
import io.tarn.governance.pii.Detector;
import io.tarn.governance.pii.EntityType;
import io.tarn.governance.pii.FindingAction;
import io.tarn.governance.protect.Protection;
import io.tarn.jobs.silver.FindingRules;
import io.tarn.schemas.DomainSchemas;
import io.tarn.schemas.TableContract;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class FindingCheckTest {
  private static final TableContract CLICKS = DomainSchemas.forTable("clickstream");
  private static final FindingRules RULES =
      new FindingRules(
          Map.of(
              EntityType.CARD_NUMBER, FindingAction.QUARANTINE,
              EntityType.EMAIL, FindingAction.MASK),
          Map.of(EntityType.EMAIL, Protection.mask(4)));

  private final FindingCheck check =
      new FindingCheck(CLICKS, RULES, Detector.standard(), /* key= */ null);

  @Test
  void cleanRecordPassesUnchanged() {
    GenericRecord click = click("https://shop.example/p/42", "Mozilla/5.0");

    FindingCheck.Outcome outcome = check.check(click);

    assertThat(outcome.quarantined()).isFalse();
    assertThat(outcome.record()).isSameAs(click);
    assertThat(check.drainFindings()).isEmpty();
  }

  @Test
  void quarantineFindingRefusesTheRecordWithoutItsValue() {
    FindingCheck.Outcome outcome =
        check.check(click("https://shop.example/pay?card=4111111111111111", "Mozilla/5.0"));

    assertThat(outcome.quarantined()).isTrue();
    assertThat(outcome.ruleId()).isEqualTo("clickstream.url.pii_card_number");
    assertThat(outcome.reason()).contains("card_number").doesNotContain("4111111111111111");
  }

  @Test
  void maskFindingProtectsTheColumnFromThenOn() {
    GenericRecord leaking = click("https://shop.example/?email=ada@example.org", "Mozilla/5.0");
    GenericRecord later = click("https://shop.example/p/42", "Mozilla/5.0");

    GenericRecord first = check.check(leaking).record();
    GenericRecord second = check.check(later).record();

    assertThat(first.get("url").toString()).doesNotContain("ada@example.org").endsWith(".org");
    assertThat(second.get("url").toString()).isNotEqualTo("https://shop.example/p/42");
    assertThat(first.get("user_agent").toString()).isEqualTo("Mozilla/5.0");
    assertThat(leaking.get("url").toString()).contains("ada@example.org"); // input untouched
    assertThat(check.maskedColumns()).containsExactly(Map.entry("url", EntityType.EMAIL));
  }

  @Test
  void findingsAreCountedPerColumnAndTypeThenReset() {
    check.check(click("https://shop.example/?email=ada@example.org", "Mozilla/5.0"));
    check.check(click("https://shop.example/?email=bob@example.org", "Mozilla/5.0"));
    check.check(click("https://shop.example/p/1", "Mozilla/5.0 ip 10.1.2.3"));

    List<ColumnFinding> findings = check.drainFindings();

    assertThat(findings)
        .extracting(f -> f.column() + ":" + f.type().id() + ":" + f.sampleCount())
        .containsExactlyInAnyOrder("url:email:2", "user_agent:ip:1");
    assertThat(findings).allSatisfy(f -> assertThat(f.scannedCount()).isEqualTo(3));
    assertThat(check.drainFindings()).isEmpty();
  }

  @Test
  void annotatedColumnsAreNotScanned() {
    check.check(click("https://shop.example/p/42", "Mozilla/5.0"));

    assertThat(check.drainFindings()).noneMatch(f -> f.column().equals("ip"));
  }

  @Test
  void restoredMaskedColumnIsMaskedWithoutAFinding() {
    check.restoreMasked("user_agent", EntityType.EMAIL);

    GenericRecord out = check.check(click("https://shop.example/p/42", "Mozilla/5.0")).record();

    assertThat(out.get("user_agent").toString()).isEqualTo("*****la/5.0");
  }

  private static GenericRecord click(String url, String userAgent) {
    GenericData.Record record = new GenericData.Record(CLICKS.schema());
    record.put("event_id", "e-1");
    record.put("event_time", Instant.parse("2026-11-29T01:00:00Z"));
    record.put("source", "test");
    record.put("schema_version", 1);
    record.put("click_id", "K1");
    record.put("session_id", "S1");
    record.put("customer_id", "C0000007");
    record.put("url", url);
    record.put("user_agent", userAgent);
    record.put("ip", "192.0.2.10");
    record.put("action", "view");
    return record;
  }
}
