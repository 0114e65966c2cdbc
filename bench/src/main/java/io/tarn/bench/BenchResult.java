package io.tarn.bench;

import java.util.List;
import java.util.Map;

/** Everything one run of one benchmark produced: the summary rows and every repetition. */
public record BenchResult(
    String benchmark,
    String code,
    String title,
    String description,
    RunInfo run,
    Map<String, String> options,
    int warmups,
    int repetitions,
    List<PeerSummary> rows,
    List<Measurement> measurements) {}
