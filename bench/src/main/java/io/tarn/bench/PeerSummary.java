package io.tarn.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One result row: a peer's repetitions (warm-ups left out) reduced to medians with min/max, and its
 * rate as a ratio of its reference peer's median rate in the same run.
 */
public record PeerSummary(
    String peer,
    String description,
    String reference,
    Double ratioToReference,
    Map<String, String> setup,
    Stat recordsPerSecond,
    Stat megabytesPerSecond,
    Map<String, Stat> cpuSecondsPerMillion,
    String latencyKind,
    Map<String, Stat> latencyMs,
    Map<String, Stat> extra) {

  static List<PeerSummary> of(List<Peer> peers, List<Measurement> measurements) {
    Map<String, PeerSummary> byName = new LinkedHashMap<>();
    for (Peer peer : peers) {
      List<Measurement> reps =
          measurements.stream().filter(m -> m.peer().equals(peer.name()) && !m.warmup()).toList();
      if (!reps.isEmpty()) {
        byName.put(peer.name(), summarize(peer, reps, null));
      }
    }

    List<PeerSummary> rows = new ArrayList<>();
    for (PeerSummary row : byName.values()) {
      PeerSummary reference = row.reference == null ? null : byName.get(row.reference);
      Double ratio =
          reference == null
              ? null
              : row.recordsPerSecond.median() / reference.recordsPerSecond.median();
      rows.add(row.withRatio(ratio));
    }
    return rows;
  }

  private PeerSummary withRatio(Double ratio) {
    return new PeerSummary(
        peer,
        description,
        reference,
        ratio,
        setup,
        recordsPerSecond,
        megabytesPerSecond,
        cpuSecondsPerMillion,
        latencyKind,
        latencyMs,
        extra);
  }

  private static PeerSummary summarize(Peer peer, List<Measurement> reps, Double ratio) {
    Set<String> processes = new LinkedHashSet<>();
    Set<String> extras = new LinkedHashSet<>();
    for (Measurement m : reps) {
      processes.addAll(m.cpuSeconds().keySet());
      extras.addAll(m.extra().keySet());
    }

    Map<String, Stat> cpu = new LinkedHashMap<>();
    for (String process : processes) {
      putIfPresent(cpu, process, stat(reps, m -> m.cpuSecondsPerMillion(process)));
    }

    Map<String, Stat> extra = new LinkedHashMap<>();
    for (String name : extras) {
      putIfPresent(extra, name, stat(reps, m -> m.extra().get(name)));
    }

    String latencyKind = null;
    Map<String, Stat> latency = new LinkedHashMap<>();
    List<Measurement> withLatency = reps.stream().filter(m -> m.latency() != null).toList();
    if (!withLatency.isEmpty()) {
      latencyKind = withLatency.get(0).latency().kind();
      putIfPresent(latency, "p50", stat(withLatency, m -> m.latency().p50Ms()));
      putIfPresent(latency, "p95", stat(withLatency, m -> m.latency().p95Ms()));
      putIfPresent(latency, "p99", stat(withLatency, m -> m.latency().p99Ms()));
      putIfPresent(latency, "max", stat(withLatency, m -> m.latency().maxMs()));
    }

    return new PeerSummary(
        peer.name(),
        peer.description(),
        peer.reference(),
        ratio,
        peer.setup(),
        stat(reps, Measurement::recordsPerSecond),
        stat(reps, Measurement::megabytesPerSecond),
        cpu,
        latencyKind,
        latency,
        extra);
  }

  private static Stat stat(List<Measurement> reps, Function<Measurement, Double> figure) {
    return Stat.of(reps.stream().map(figure).toList());
  }

  private static void putIfPresent(Map<String, Stat> map, String key, Stat stat) {
    if (stat != null) {
      map.put(key, stat);
    }
  }
}
