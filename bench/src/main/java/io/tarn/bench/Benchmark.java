package io.tarn.bench;

import java.util.List;

/**
 * One benchmark of BENCHMARKS.md: a subject measured side by side with its peers in the same run.
 * Adding a benchmark is one class implementing this and one line in {@link BenchMain}.
 */
public interface Benchmark {
  /** The name {@code ./tarn bench <id>} takes, e.g. {@code kafka}; also names the result files. */
  String id();

  /** The row of BENCHMARKS.md it implements, e.g. {@code B0}. */
  String code();

  /** One line: what is measured. */
  String title();

  /** What is compared with what, and the goal; heads the Markdown summary. */
  String description();

  /** The options this benchmark takes besides the common ones of {@link BenchContext}. */
  List<BenchOption> options();

  /**
   * Runs every round of {@link BenchContext#rounds()}, measuring each peer once per round through
   * {@link BenchContext#measure}.
   */
  void run(BenchContext ctx) throws Exception;
}
