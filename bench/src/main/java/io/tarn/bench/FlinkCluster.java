package io.tarn.bench;

import io.tarn.jobs.JobEnvironment;
import io.tarn.jobs.config.JobConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

/**
 * A Flink MiniCluster in the harness JVM (its CPU counts as {@code bench}), set up as the local
 * launcher does ({@code io.tarn.local.LocalPipeline}): one TaskManager, 128 MB managed memory, and
 * each Tarn job built by its own {@code addTo(env, config)} with {@link JobEnvironment#settings}.
 */
final class FlinkCluster implements AutoCloseable {
  private final MiniCluster cluster;

  private FlinkCluster(MiniCluster cluster) {
    this.cluster = cluster;
  }

  static FlinkCluster start(int slots) throws Exception {
    Configuration conf = new Configuration();
    conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse("128m"));
    MiniCluster cluster =
        new MiniCluster(
            new MiniClusterConfiguration.Builder()
                .setConfiguration(conf)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(slots)
                .build());
    cluster.start();
    return new FlinkCluster(cluster);
  }

  /**
   * The stream graph of one job: {@code job} adds its operators (and creates its tables) to an
   * environment configured like production, checkpoints in {@code checkpoints}.
   */
  static StreamGraph graph(
      String name,
      JobConfig config,
      Path checkpoints,
      BiConsumer<StreamExecutionEnvironment, JobConfig> job) {
    Map<String, String> settings = new HashMap<>(JobEnvironment.settings(config));
    settings.put("execution.checkpointing.dir", "file:" + checkpoints.toAbsolutePath());
    settings.put("pipeline.name", name);
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(Configuration.fromMap(settings));
    env.setParallelism(config.get(JobConfig.PARALLELISM));
    job.accept(env, config);
    StreamGraph graph = env.getStreamGraph();
    graph.setJobName(name);
    return graph;
  }

  JobID submit(StreamGraph graph) throws Exception {
    return cluster.submitJob(graph).get(2, TimeUnit.MINUTES).getJobID();
  }

  JobStatus status(JobID id) throws Exception {
    return cluster.getJobStatus(id).get(30, TimeUnit.SECONDS);
  }

  /** Throws if the job ended (failed, cancelled or finished) while it should be running. */
  void checkRunning(JobID id, String name) throws Exception {
    JobStatus status = status(id);
    if (status.isGloballyTerminalState()) {
      Throwable cause = null;
      try {
        cause =
            cluster
                .requestJobResult(id)
                .get(30, TimeUnit.SECONDS)
                .getSerializedThrowable()
                .map(t -> (Throwable) t)
                .orElse(null);
      } catch (Exception e) {
        cause = e;
      }
      throw new IllegalStateException("Cannot benchmark job " + name + ": it is " + status, cause);
    }
  }

  /** Cancels a job and waits until it has stopped. */
  void cancel(JobID id) throws Exception {
    if (status(id).isGloballyTerminalState()) {
      return;
    }
    cluster.cancelJob(id).get(1, TimeUnit.MINUTES);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (!status(id).isGloballyTerminalState()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Cannot cancel job " + id + ": still " + status(id));
      }
      Thread.sleep(50);
    }
  }

  @Override
  public void close() throws Exception {
    cluster.closeAsync().get(1, TimeUnit.MINUTES);
  }
}
