package io.tarn.jobs.silver.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class SchemaVersionGateTest {
  private static StreamRecord<ChangeRecord> change(int schemaId, long position) {
    ChangeRecord c = new ChangeRecord();
    c.topic = "cdc.shop.accounts";
    c.schemaId = schemaId;
    c.position = position;
    return new StreamRecord<>(c);
  }

  private static List<Long> positions(
      OneInputStreamOperatorTestHarness<ChangeRecord, ChangeRecord> h) {
    return h.extractOutputValues().stream().map(c -> c.position).toList();
  }

  private static OneInputStreamOperatorTestHarness<ChangeRecord, ChangeRecord> harness()
      throws Exception {
    return new OneInputStreamOperatorTestHarness<>(new SchemaVersionGate());
  }

  @Test
  void holdsANewerVersionAndWhatFollowsUntilTheCheckpointCompletes() throws Exception {
    try (var h = harness()) {
      h.open();
      h.processElement(change(1, 10));
      h.processElement(change(1, 11));
      h.processElement(change(2, 12)); // ADD COLUMN: a newer schema version
      h.processElement(change(1, 13)); // an older-version change after it keeps its place
      assertThat(positions(h)).containsExactly(10L, 11L);

      h.snapshot(1, 1);
      assertThat(positions(h)).containsExactly(10L, 11L);
      h.notifyOfCompletedCheckpoint(1);
      assertThat(positions(h)).containsExactly(10L, 11L, 12L, 13L);

      h.processElement(change(2, 14));
      assertThat(positions(h)).containsExactly(10L, 11L, 12L, 13L, 14L);
    }
  }

  @Test
  void twoNewerVersionsInOneHoldGoOutOneCommitApart() throws Exception {
    try (var h = harness()) {
      h.open();
      h.processElement(change(1, 10));
      h.processElement(change(2, 11)); // ADD COLUMN
      h.processElement(change(2, 12));
      h.processElement(change(3, 13)); // a widened column, still within the hold
      h.processElement(change(2, 14));
      h.snapshot(1, 1);
      h.notifyOfCompletedCheckpoint(1);
      assertThat(positions(h)).containsExactly(10L, 11L, 12L);

      h.processElement(change(3, 15));
      h.snapshot(2, 2);
      h.notifyOfCompletedCheckpoint(2);
      assertThat(positions(h)).containsExactly(10L, 11L, 12L, 13L, 14L, 15L);
    }
  }

  @Test
  void aCheckpointCompletingBeforeTheHoldStartedDoesNotRelease() throws Exception {
    try (var h = harness()) {
      h.open();
      h.processElement(change(1, 10));
      h.snapshot(1, 1);
      h.processElement(change(2, 11)); // held after barrier 1: must wait for checkpoint 2
      h.notifyOfCompletedCheckpoint(1);
      assertThat(positions(h)).containsExactly(10L);
      h.snapshot(2, 2);
      h.notifyOfCompletedCheckpoint(2);
      assertThat(positions(h)).containsExactly(10L, 11L);
    }
  }

  @Test
  void heldChangesSurviveARestore() throws Exception {
    OperatorSubtaskState state;
    try (var h = harness()) {
      h.open();
      h.processElement(change(1, 10));
      h.processElement(change(2, 11));
      state = h.snapshot(1, 1);
    }
    try (var restored = harness()) {
      restored.initializeState(state);
      restored.open();
      restored.processElement(change(2, 12));
      assertThat(positions(restored)).isEmpty();
      restored.snapshot(2, 2);
      restored.notifyOfCompletedCheckpoint(2);
      assertThat(positions(restored)).containsExactly(11L, 12L);
    }
  }
}
