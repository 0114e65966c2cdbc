package io.tarn.jobs.silver.cdc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Holds back the changes of a table from its first change with a newer schema version until the
 * checkpoint in progress has completed, so a table's schema changes only between commits.
 *
 * <p>Iceberg's dynamic sink writes each table schema with its own writer, and an equality delete
 * from one writer does not reach a row the other added in the same commit (they share a sequence
 * number): a row changed on both sides of a schema change within one checkpoint would keep a stale
 * version. Runs after the changes are partitioned by table; keeps each table's order.
 */
public final class SchemaVersionGate extends AbstractStreamOperator<ChangeRecord>
    implements OneInputStreamOperator<ChangeRecord, ChangeRecord> {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(SchemaVersionGate.class);
  private final Map<String, Integer> versionInEffect = new HashMap<>();
  private final Deque<ChangeRecord> held = new ArrayDeque<>();
  // held changes go out once this checkpoint completes: the first one after they started
  private long releaseAfter = -1;
  private long lastCheckpoint;
  private transient ListState<ChangeRecord> heldState;
  private transient ListState<Long> releaseState;

  @Override
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    heldState =
        context
            .getOperatorStateStore()
            .getListState(
                new ListStateDescriptor<>("held-changes", TypeInformation.of(ChangeRecord.class)));
    releaseState =
        context
            .getOperatorStateStore()
            .getListState(new ListStateDescriptor<>("release", Long.class));
    if (context.isRestored()) {
      heldState.get().forEach(held::add);
      for (Long id : releaseState.get()) {
        releaseAfter = Math.max(releaseAfter, id);
      }
      lastCheckpoint = context.getRestoredCheckpointId().orElse(0L);
      if (!held.isEmpty()) {
        // the restored checkpoint holds them and is complete: the next checkpoint may take them
        releaseAfter = lastCheckpoint;
      }
    }
  }

  @Override
  public void processElement(StreamRecord<ChangeRecord> element) {
    ChangeRecord change = element.getValue();
    if (!held.isEmpty()) {
      held.add(change);
      return;
    }
    Integer current = versionInEffect.get(change.topic);
    if (current != null && change.schemaId > current) {
      held.add(change);
      releaseAfter = lastCheckpoint + 1;
      LOG.info(
          "Schema change on {}: schema id {} follows {}; holding changes until checkpoint {}"
              + " completes",
          change.topic,
          change.schemaId,
          current,
          releaseAfter);
      return;
    }
    if (current == null || change.schemaId > current) {
      versionInEffect.put(change.topic, change.schemaId);
    }
    output.collect(element);
  }

  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    super.snapshotState(context);
    lastCheckpoint = context.getCheckpointId();
    heldState.update(new ArrayList<>(held));
    releaseState.update(List.of(releaseAfter));
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) throws Exception {
    super.notifyCheckpointComplete(checkpointId);
    if (held.isEmpty() || checkpointId < releaseAfter) {
      return;
    }
    // a new version starts the new commit; what follows goes with it up to the next version of
    // the same table, which waits for the commit after (one writer per schema in a commit)
    versionInEffect.clear();
    int released = 0;
    while (!held.isEmpty()) {
      ChangeRecord change = held.peek();
      Integer current = versionInEffect.get(change.topic);
      if (current != null && change.schemaId > current) {
        releaseAfter = lastCheckpoint + 1;
        LOG.info(
            "Checkpoint {} complete: released {} held changes; {} more wait for checkpoint {}"
                + " (schema id {} of {} follows {})",
            checkpointId,
            released,
            held.size(),
            releaseAfter,
            change.schemaId,
            change.topic,
            current);
        return;
      }
      held.poll();
      versionInEffect.merge(change.topic, change.schemaId, Math::max);
      output.collect(new StreamRecord<>(change));
      released++;
    }
    LOG.info("Checkpoint {} complete: released {} held changes", checkpointId, released);
  }
}
