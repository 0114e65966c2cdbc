package io.tarn.jobs.silver.dedupe;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.jobs.silver.QuarantineRecord;
import io.tarn.jobs.silver.SilverRecord;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class EventDeduplicatorTest {
  private static final long MINUTE = 60_000;

  private static KeyedOneInputStreamOperatorTestHarness<String, SilverRecord, SilverRecord>
      harness() throws Exception {
    KeyedOneInputStreamOperatorTestHarness<String, SilverRecord, SilverRecord> h =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new EventDeduplicator(Duration.ofMinutes(10))),
            SilverRecord::dedupeKey,
            Types.STRING);
    h.open();
    return h;
  }

  private static StreamRecord<SilverRecord> event(String id, long eventTime) {
    SilverRecord r = new SilverRecord();
    r.topic = "shop.orders";
    r.eventId = id;
    r.eventTime = eventTime;
    return new StreamRecord<>(r, eventTime);
  }

  private static List<String> ids(
      KeyedOneInputStreamOperatorTestHarness<String, SilverRecord, SilverRecord> h) {
    return h.extractOutputValues().stream().map(r -> r.eventId).toList();
  }

  @Test
  void passesFirstCopyAndDropsLaterCopies() throws Exception {
    try (var h = harness()) {
      h.processElement(event("a", MINUTE));
      h.processElement(event("b", MINUTE));
      h.processElement(event("a", 2 * MINUTE));
      h.processElement(event("a", MINUTE));
      assertThat(ids(h)).containsExactly("a", "b");
    }
  }

  @Test
  void dropsDuplicateEventIdsAcrossCheckpoints() throws Exception {
    OperatorSubtaskState snapshot;
    try (var h = harness()) {
      h.processElement(event("a", MINUTE));
      snapshot = h.snapshot(1, 1);
    }
    try (var restored =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new EventDeduplicator(Duration.ofMinutes(10))),
            SilverRecord::dedupeKey,
            Types.STRING)) {
      restored.initializeState(snapshot);
      restored.open();
      restored.processElement(event("a", MINUTE));
      restored.processElement(event("c", MINUTE));
      assertThat(ids(restored)).containsExactly("c");
    }
  }

  @Test
  void sameIdInAnotherTableIsNotADuplicate() throws Exception {
    try (var h = harness()) {
      h.processElement(event("a", MINUTE));
      StreamRecord<SilverRecord> other = event("a", MINUTE);
      other.getValue().topic = "shop.payments";
      h.processElement(other);
      assertThat(ids(h)).containsExactly("a", "a");
    }
  }

  @Test
  void forgetsIdsOnceTheWatermarkPassesRetentionAndQuarantinesCopiesBeyondIt() throws Exception {
    try (var h = harness()) {
      h.processElement(event("a", MINUTE));
      h.processWatermark(MINUTE + 11 * MINUTE);
      assertThat(h.numKeyedStateEntries()).isZero();
      h.processElement(event("a", MINUTE));
      assertThat(ids(h)).containsExactly("a");
      List<QuarantineRecord> quarantined =
          h.getSideOutput(EventDeduplicator.QUARANTINE).stream()
              .map(StreamRecord::getValue)
              .toList();
      assertThat(quarantined).extracting(q -> q.ruleId).containsExactly("dedupe.beyond_horizon");
    }
  }

  @Test
  void lateButWithinRetentionIsStillDeduplicated() throws Exception {
    try (var h = harness()) {
      h.processElement(event("a", MINUTE));
      h.processWatermark(5 * MINUTE);
      h.processElement(event("a", MINUTE));
      h.processElement(event("b", 2 * MINUTE));
      assertThat(ids(h)).containsExactly("a", "b");
    }
  }
}
