package io.tarn.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing output captured from Kafka 4.2.0's perf tools. */
class PerfToolReportTest {
  @Test
  void parsesProducerPerformanceSummaryNotProgressLines() {
    List<String> output =
        List.of(
            "Option --producer-props has been deprecated and will be removed in a future version.",
            "150001 records sent, 30000.2 records/sec (5.72 MB/sec), 300.1 ms avg latency, 900.0"
                + " ms max latency.",
            "300000 records sent, 61074.918567 records/sec (11.65 MB/sec), 86.50 ms avg latency,"
                + " 1218.00 ms max latency, 64 ms 50th, 217 ms 95th, 306 ms 99th, 353 ms 99.9th.");

    ProducerPerformanceReport report = ProducerPerformanceReport.parse(output);

    assertThat(report.records()).isEqualTo(300000);
    assertThat(report.recordsPerSecond()).isEqualTo(61074.918567);
    assertThat(report.p50Ms()).isEqualTo(64);
    assertThat(report.p99Ms()).isEqualTo(306);
    Outcome outcome = report.toOutcome(200);
    assertThat(outcome.bytes()).isEqualTo(60_000_000L);
    // 300000 / 61074.918567 records/s = 4.912 s
    assertThat(outcome.ownElapsed().toMillis()).isBetween(4911L, 4912L);
    assertThat(outcome.latency().p95Ms()).isEqualTo(217);
  }

  @Test
  void failsOnProducerOutputWithoutSummary() {
    assertThatThrownBy(() -> ProducerPerformanceReport.parse(List.of("Exception in thread main")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Cannot parse ProducerPerformance output");
  }

  @Test
  void parsesConsumerPerformanceFetchFiguresByHeaderName() {
    List<String> output =
        List.of(
            "start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec,"
                + " rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec",
            "2026-11-28 19:00:52:564, 2026-11-28 19:00:56:022, 57.2205, 16.5473, 300000,"
                + " 86755.3499, 1723, 1735, 32.9801, 172910.6628");

    ConsumerPerformanceReport report = ConsumerPerformanceReport.parse(output);

    assertThat(report.records()).isEqualTo(300000);
    assertThat(report.rebalanceMs()).isEqualTo(1723);
    assertThat(report.fetchMs()).isEqualTo(1735);
    Outcome outcome = report.toOutcome();
    assertThat(outcome.ownElapsed().toMillis()).isEqualTo(1735);
    assertThat(outcome.records() / (outcome.ownElapsed().toMillis() / 1000.0))
        .isCloseTo(report.fetchRecordsPerSecond(), within(1.0));
    assertThat(outcome.bytes()).isEqualTo((long) (57.2205 * 1024 * 1024));
  }
}
