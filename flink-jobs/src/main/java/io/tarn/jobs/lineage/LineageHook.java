package io.tarn.jobs.lineage;

import io.tarn.jobs.config.JobConfig;
import io.tarn.jobs.lake.Lake;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.core.execution.JobStatusHook;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Emits a job's OpenLineage run events from the JobManager as its status changes: START when the
 * job is created there, COMPLETE when it finishes or is cancelled or stopped with a savepoint, FAIL
 * when it fails for good. Streaming jobs run for long, so START is the event that carries the
 * lineage. Events go to {@code ops.lineage} and, if {@code lineage.url} is set, to that endpoint;
 * neither failing ever fails the job.
 */
public final class LineageHook implements JobStatusHook {
  private static final Logger LOG = LoggerFactory.getLogger(LineageHook.class);
  private static final long TERMINAL_WAIT_SECONDS = 20;

  private final JobConfig config;
  private final JobLineage lineage;
  private final UUID runId;
  private transient ExecutorService sender;

  public LineageHook(JobConfig config, JobLineage lineage) {
    this.config = config;
    this.lineage = lineage;
    this.runId = UUID.randomUUID();
  }

  /** Registers a hook emitting {@code lineage} for the job {@code graph} describes. */
  public static void attach(StreamGraph graph, JobConfig config, JobLineage lineage) {
    graph.registerJobStatusHook(new LineageHook(config, lineage));
  }

  public UUID runId() {
    return runId;
  }

  @Override
  public void onCreated(JobID jobId) {
    // not awaited: the JobManager's main thread must not wait on a commit or an HTTP peer
    emit(RunEvent.START);
  }

  @Override
  public void onFinished(JobID jobId) {
    await(emit(RunEvent.COMPLETE));
  }

  @Override
  public void onFailed(JobID jobId, Throwable cause) {
    await(emit(RunEvent.FAIL));
  }

  @Override
  public void onCanceled(JobID jobId) {
    await(emit(RunEvent.COMPLETE));
  }

  private synchronized Future<?> emit(String type) {
    if (sender == null) {
      sender =
          Executors.newSingleThreadExecutor(
              r -> {
                Thread t = new Thread(r, "tarn-lineage-" + lineage.job());
                t.setDaemon(true);
                return t;
              });
    }
    RunEvent event =
        new RunEvent(type, Instant.now(), runId, config.get(JobConfig.LINEAGE_NAMESPACE), lineage);
    return sender.submit(() -> send(event));
  }

  /** Sends to every transport; each failure is logged, never thrown. */
  void send(RunEvent event) {
    String url = config.get(JobConfig.LINEAGE_URL);
    if (!url.isEmpty()) {
      try {
        new LineageEndpoint(url).post(event);
      } catch (RuntimeException e) {
        LOG.warn("Lineage {} event of {} not delivered: {}", event.eventType(), lineage.job(), e);
      }
    }
    try {
      LineageTable.append(new Lake(config), event);
    } catch (RuntimeException e) {
      LOG.warn(
          "Lineage {} event of {} not stored in {}: {}",
          event.eventType(),
          lineage.job(),
          LineageTable.ID,
          e.toString());
    }
  }

  private static void await(Future<?> sent) {
    try {
      sent.get(TERMINAL_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("Lineage event not sent within {} s: {}", TERMINAL_WAIT_SECONDS, e.toString());
    }
  }
}
