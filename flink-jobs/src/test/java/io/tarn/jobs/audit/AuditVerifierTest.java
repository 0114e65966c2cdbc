package io.tarn.jobs.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.schemas.audit.AuditEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditVerifierTest {
  private static List<AuditRecord> chain(int n) {
    List<AuditRecord> records = new ArrayList<>();
    String prev = AuditChain.GENESIS;
    for (int i = 1; i <= n; i++) {
      AuditEvent e =
          new AuditEvent(
              "e" + i,
              Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i),
              "alice",
              "query",
              "lake.silver.orders",
              AuditEvent.SUCCESS,
              Map.of("rows", String.valueOf(i)));
      String hash = AuditChain.hash(prev, e.toJson());
      records.add(new AuditRecord(i, e, prev, hash));
      prev = hash;
    }
    return records;
  }

  private static AuditRecord withTarget(AuditRecord r, String target) {
    AuditEvent e = r.event();
    return new AuditRecord(
        r.seq(),
        new AuditEvent(
            e.eventId(), e.time(), e.actor(), e.action(), target, e.outcome(), e.details()),
        r.prevHash(),
        r.hash());
  }

  @Test
  void intactChainIsOkInAnyReadOrder() {
    List<AuditRecord> records = chain(5);
    java.util.Collections.reverse(records);
    AuditVerifier.Result result = AuditVerifier.verify(records);
    assertThat(result.ok()).isTrue();
    assertThat(result.count()).isEqualTo(5);
    assertThat(result.headHash()).isEqualTo(chain(5).get(4).hash());
    assertThat(result.toString()).startsWith("OK: 5 audit records");
  }

  @Test
  void emptyTableIsOk() {
    assertThat(AuditVerifier.verify(List.of()).ok()).isTrue();
  }

  @Test
  void alteredFieldIsReportedAtItsSeq() {
    List<AuditRecord> records = chain(5);
    records.set(2, withTarget(records.get(2), "lake.silver.customers"));
    AuditVerifier.Result result = AuditVerifier.verify(records);
    assertThat(result.brokenSeq()).hasValue(3);
    assertThat(result.reason()).contains("altered");
  }

  @Test
  void alteredDetailIsReported() {
    List<AuditRecord> records = chain(4);
    AuditRecord r = records.get(1);
    AuditEvent e = r.event();
    records.set(
        1,
        new AuditRecord(
            2,
            new AuditEvent(
                e.eventId(),
                e.time(),
                e.actor(),
                e.action(),
                e.target(),
                e.outcome(),
                Map.of("rows", "999")),
            r.prevHash(),
            r.hash()));
    assertThat(AuditVerifier.verify(records).brokenSeq()).hasValue(2);
  }

  @Test
  void recomputedHashStillBreaksTheNextLink() {
    List<AuditRecord> records = chain(5);
    AuditRecord altered = withTarget(records.get(1), "elsewhere");
    String rehashed = AuditChain.hash(altered.prevHash(), altered.event().toJson());
    records.set(1, new AuditRecord(2, altered.event(), altered.prevHash(), rehashed));
    AuditVerifier.Result result = AuditVerifier.verify(records);
    assertThat(result.brokenSeq()).hasValue(3);
    assertThat(result.reason()).contains("prev_hash");
  }

  @Test
  void deletedRecordIsReportedAsMissing() {
    List<AuditRecord> records = chain(5);
    records.remove(3);
    AuditVerifier.Result result = AuditVerifier.verify(records);
    assertThat(result.brokenSeq()).hasValue(4);
    assertThat(result.reason()).contains("missing");
  }

  @Test
  void duplicatedSeqIsReported() {
    List<AuditRecord> records = chain(3);
    records.add(records.get(1));
    AuditVerifier.Result result = AuditVerifier.verify(records);
    assertThat(result.brokenSeq()).hasValue(2);
    assertThat(result.reason()).contains("more than once");
  }

  @Test
  void unreadableRecordIsReported() {
    List<AuditRecord> records = chain(3);
    AuditRecord r = records.get(0);
    records.set(0, new AuditRecord(1, null, r.prevHash(), r.hash(), "outcome must be ..."));
    assertThat(AuditVerifier.verify(records).brokenSeq()).hasValue(1);
  }

  @Test
  void storedTimeIsMicrosecondPrecise() {
    AuditEvent e =
        new AuditEvent(
            "x",
            Instant.parse("2026-01-01T00:00:00.123456789Z"),
            "a",
            "query",
            "t",
            AuditEvent.SUCCESS,
            Map.of());
    assertThat(AuditChain.stored(e).time()).isEqualTo(Instant.parse("2026-01-01T00:00:00.123456Z"));
  }
}
