package io.tarn.jobs;

import io.tarn.jobs.config.JobConfig;
import io.tarn.jobs.lineage.JobLineage;
import io.tarn.jobs.lineage.LineageHook;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

/** The execution settings every Tarn job shares: exactly-once checkpoints that are also commits. */
public final class JobEnvironment {
  /** Adds a job's operators to an environment. */
  @FunctionalInterface
  public interface JobGraph {
    void addTo(StreamExecutionEnvironment env, JobConfig config) throws Exception;
  }

  private JobEnvironment() {}

  /** Runs a job that declares no datasets: its run events carry only its state. */
  public static void run(String name, String[] args, JobGraph job) throws Exception {
    run(name, args, job, config -> JobLineage.none(name));
  }

  /**
   * What every job's {@code main} does: read and check the config, wire the job, run it; the job's
   * lineage goes out as OpenLineage run events while it starts, finishes or fails.
   */
  public static void run(
      String name, String[] args, JobGraph job, Function<JobConfig, JobLineage> lineage)
      throws Exception {
    JobConfig config = JobConfig.fromArgs(args);
    StreamExecutionEnvironment env = create(config);
    job.addTo(env, config);
    StreamGraph graph = env.getStreamGraph();
    graph.setJobName(name);
    LineageHook.attach(graph, config, lineage.apply(config));
    env.execute(graph);
  }

  public static StreamExecutionEnvironment create(JobConfig config) {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(Configuration.fromMap(settings(config)));
    env.setParallelism(config.get(JobConfig.PARALLELISM));
    return env;
  }

  /** Flink settings derived from Tarn's configuration; also applied to the local MiniCluster. */
  public static Map<String, String> settings(JobConfig config) {
    Map<String, String> conf = new HashMap<>();
    conf.put(
        "execution.checkpointing.interval",
        config.get(JobConfig.CHECKPOINT_INTERVAL).toMillis() + " ms");
    conf.put("execution.checkpointing.mode", "EXACTLY_ONCE");
    conf.put("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
    conf.put("execution.checkpointing.num-retained", "2");
    conf.put("execution.checkpointing.min-pause", "0 ms");
    conf.put("restart-strategy.type", "exponential-delay");
    conf.put("restart-strategy.exponential-delay.initial-backoff", "1 s");
    conf.put("restart-strategy.exponential-delay.max-backoff", "30 s");
    String dir = config.get(JobConfig.CHECKPOINT_DIR);
    if (dir != null && !dir.isEmpty()) {
      conf.put("execution.checkpointing.dir", dir);
    }
    return conf;
  }
}
