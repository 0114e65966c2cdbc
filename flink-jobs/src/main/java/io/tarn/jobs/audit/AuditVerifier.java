package io.tarn.jobs.audit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;

/**
 * Recomputes the audit chain and finds its first broken link: a gap or repeat in {@code seq}, a
 * {@code prev_hash} that is not the previous record's hash, or a hash that does not match the
 * record's content (an altered field).
 */
public final class AuditVerifier {
  /** What a verification found: how many records were checked, and the first broken one. */
  public record Result(long count, OptionalLong brokenSeq, String reason, String headHash) {
    public boolean ok() {
      return brokenSeq.isEmpty();
    }

    @Override
    public String toString() {
      return ok()
          ? "OK: " + count + " audit records, chain intact, head hash " + headHash
          : "BROKEN at seq " + brokenSeq.getAsLong() + ": " + reason;
    }
  }

  private AuditVerifier() {}

  public static Result verify(List<AuditRecord> records) {
    List<AuditRecord> sorted = new ArrayList<>(records);
    sorted.sort(Comparator.comparingLong(AuditRecord::seq));
    String prev = AuditChain.GENESIS;
    long expected = 1;
    for (AuditRecord r : sorted) {
      if (r.seq() < expected) {
        return broken(sorted, r.seq(), "seq " + r.seq() + " appears more than once");
      }
      if (r.seq() > expected) {
        return broken(sorted, expected, "record missing (next present seq is " + r.seq() + ")");
      }
      if (!prev.equals(r.prevHash())) {
        return broken(
            sorted,
            r.seq(),
            "prev_hash "
                + r.prevHash()
                + " is not the hash of the record before it ("
                + prev
                + ")");
      }
      if (r.event() == null) {
        return broken(sorted, r.seq(), "not a valid event: " + r.problem());
      }
      String actual = AuditChain.hash(prev, r.event().toJson());
      if (!actual.equals(r.hash())) {
        return broken(
            sorted,
            r.seq(),
            "content does not match its hash (stored "
                + r.hash()
                + ", recomputed "
                + actual
                + "): the record was altered");
      }
      prev = r.hash();
      expected++;
    }
    return new Result(sorted.size(), OptionalLong.empty(), null, prev);
  }

  private static Result broken(List<AuditRecord> records, long seq, String reason) {
    return new Result(records.size(), OptionalLong.of(seq), reason, null);
  }
}
