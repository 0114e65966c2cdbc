package io.tarn.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkloadSpecTest {

  @Test
  void defaultsAreUnboundedAndMessy() {
    WorkloadSpec spec = WorkloadSpec.defaults();
    assertThat(spec.events()).isEqualTo(-1);
    assertThat(spec.eventsPerSecond()).isEqualTo(1000);
    assertThat(spec.duplicateFraction()).isEqualTo(0.02);
    assertThat(spec.lateFraction()).isEqualTo(0.05);
    assertThat(spec.maxLateness()).isEqualTo(Duration.ofMinutes(2));
    assertThat(spec.malformedFraction()).isEqualTo(0.005);
    assertThat(spec.invalidFraction()).isEqualTo(0.02);
    assertThat(spec.seed()).isEqualTo(42);
    assertThat(spec.customers()).isEqualTo(1000);
  }

  @Test
  void rejectsFractionOutsideUnitInterval() {
    assertThatThrownBy(
            () ->
                new WorkloadSpec(-1, 1000, 1.5, 0.05, Duration.ofMinutes(2), 0.005, 0.02, 42, 1000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot create workload: duplicateFraction 1.5 is not in [0, 1]");
    assertThatThrownBy(
            () ->
                new WorkloadSpec(
                    -1, 1000, 0.02, Double.NaN, Duration.ofMinutes(2), 0.005, 0.02, 42, 1000))
        .hasMessage("Cannot create workload: lateFraction NaN is not in [0, 1]");
  }

  @Test
  void rejectsMessyFractionsAboveOne() {
    assertThatThrownBy(
            () -> new WorkloadSpec(-1, 1000, 0.5, 0.05, Duration.ofMinutes(2), 0.3, 0.3, 42, 1000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is above 1");
  }

  @Test
  void rejectsInvalidCountsAndDurations() {
    assertThatThrownBy(() -> WorkloadSpec.defaults().withEvents(-2))
        .hasMessage("Cannot create workload: events -2 is neither -1 (no end) nor at least 0");
    assertThatThrownBy(
            () ->
                new WorkloadSpec(
                    -1, 1000, 0.02, 0.05, Duration.ofSeconds(-1), 0.005, 0.02, 42, 1000))
        .hasMessageContaining("maxLateness PT-1S");
    assertThatThrownBy(
            () -> new WorkloadSpec(-1, 1000, 0.02, 0.05, Duration.ofMinutes(2), 0.005, 0.02, 42, 0))
        .hasMessage("Cannot create workload: customers 0 is below 1");
  }

  @Test
  void withersChangeOnlyTheirComponent() {
    WorkloadSpec spec = WorkloadSpec.defaults().withEvents(10).withEventsPerSecond(0).withSeed(7);
    assertThat(spec)
        .isEqualTo(
            new WorkloadSpec(10, 0, 0.02, 0.05, Duration.ofMinutes(2), 0.005, 0.02, 7, 1000));
  }
}
