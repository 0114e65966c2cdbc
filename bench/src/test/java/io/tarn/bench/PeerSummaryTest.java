package io.tarn.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PeerSummaryTest {
  @Test
  void medianOfOddAndEvenCountsIgnoringMissingValues() {
    assertThat(Stat.of(List.of(3.0, 1.0, 2.0)).median()).isEqualTo(2.0);
    Stat even = Stat.of(java.util.Arrays.asList(4.0, 1.0, null, Double.NaN, 3.0, 2.0));
    assertThat(even.median()).isEqualTo(2.5);
    assertThat(even.min()).isEqualTo(1.0);
    assertThat(even.max()).isEqualTo(4.0);
    assertThat(even.count()).isEqualTo(4);
    assertThat(Stat.of(List.of(Double.NaN))).isNull();
  }

  @Test
  void leavesWarmupsOutAndDividesByTheReferenceMedian() {
    Peer reference = new Peer("tool", "the reference", null);
    Peer subject = new Peer("ours", "the subject", "tool");
    List<Measurement> measurements =
        List.of(
            rep("tool", true, 1_000, 10.0), // warm-up: would drag the median down
            rep("tool", false, 100_000, 1.0),
            rep("tool", false, 100_000, 2.0),
            rep("tool", false, 100_000, 0.5),
            rep("ours", true, 1_000, 10.0),
            rep("ours", false, 100_000, 2.0),
            rep("ours", false, 100_000, 4.0),
            rep("ours", false, 100_000, 1.0));

    List<PeerSummary> rows = PeerSummary.of(List.of(reference, subject), measurements);

    assertThat(rows).extracting(PeerSummary::peer).containsExactly("tool", "ours");
    assertThat(rows.get(0).recordsPerSecond().median()).isEqualTo(100_000);
    assertThat(rows.get(0).recordsPerSecond().count()).isEqualTo(3);
    assertThat(rows.get(1).recordsPerSecond().median()).isEqualTo(50_000);
    assertThat(rows.get(1).ratioToReference()).isCloseTo(0.5, within(1e-9));
    assertThat(rows.get(0).ratioToReference()).isNull();
    // 1 CPU-s for 100,000 records is 10 CPU-s per million
    assertThat(rows.get(1).cpuSecondsPerMillion().get("bench").median()).isEqualTo(10.0);
  }

  private static Measurement rep(String peer, boolean warmup, long records, double seconds) {
    return new Measurement(
        peer,
        0,
        warmup,
        records,
        records * 200,
        seconds,
        seconds,
        Map.of("bench", 1.0),
        null,
        Map.of());
  }
}
