package io.tarn.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.junit.jupiter.api.Test;

class ProcessCpuTest {
  @Test
  void readsTimesAfterACommandNameWithSpacesAndParentheses() {
    // fields 14-17 (utime, stime, cutime, cstime) are 1500, 250, 40, 2
    String stat =
        "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 90000 0 12 0 1500 250 40 2 20 0 57 0"
            + " 1000 6000000000 50000 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0";

    ProcessCpu.Sample sample = ProcessCpu.parse(stat);

    assertThat(sample.ownTicks()).isEqualTo(1750);
    assertThat(sample.childTicks()).isEqualTo(42);
  }

  @Test
  void convertsTickDeltasToSeconds() {
    ProcessCpu.Sample before = new ProcessCpu.Sample(100, 10);
    ProcessCpu.Sample after = new ProcessCpu.Sample(350, 60);

    assertThat(after.ownSecondsSince(before)).isEqualTo(2.5);
    assertThat(after.childSecondsSince(before)).isEqualTo(0.5);
  }

  @Test
  void countsTheCpuTimeThisThreadBurns() {
    // spin until this thread has used 200 ms of CPU, however long a busy machine makes that take:
    // the process, which includes the thread, must then show at least that (less one tick each end)
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    ProcessCpu.Sample before = ProcessCpu.self();
    long threadStart = threads.getCurrentThreadCpuTime();
    long spin = 0;
    while (threads.getCurrentThreadCpuTime() - threadStart < 200_000_000L) {
      spin += System.nanoTime() % 7;
    }
    ProcessCpu.Sample after = ProcessCpu.self();

    assertThat(spin).isNotNegative();
    assertThat(after.ownSecondsSince(before)).isGreaterThanOrEqualTo(0.18);
  }

  @Test
  void rejectsALineWithoutCommandName() {
    assertThatThrownBy(() -> ProcessCpu.parse("garbage"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Cannot parse /proc stat line");
  }
}
