package io.tarn.kafka.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildProcessTest {
  @TempDir Path dir;

  @Test
  void closeStopsTheProcessOnceAndForAll() throws Exception {
    ChildProcess child =
        ChildProcess.bind(
            "sleeper", new ProcessBuilder("sleep", "60").start(), Duration.ofSeconds(10));
    assertThat(child.isAlive()).isTrue();

    child.close();
    assertThat(child.isAlive()).isFalse();
    child.close(); // a second close finds nothing to do
    child.kill();
  }

  @Test
  void runsTheAfterStopActionOnceWhenStopped() throws Exception {
    java.util.concurrent.atomic.AtomicInteger runs =
        new java.util.concurrent.atomic.AtomicInteger();
    ChildProcess child =
        ChildProcess.bind(
            "sleeper",
            new ProcessBuilder("sleep", "60").start(),
            Duration.ofSeconds(10),
            runs::incrementAndGet);
    assertThat(runs).hasValue(0);

    child.kill();
    child.close();
    assertThat(child.isAlive()).isFalse();
    assertThat(runs).hasValue(1);
  }

  @Test
  void closeKillsAProcessThatIgnoresSigterm() throws Exception {
    Path ready = dir.resolve("ready");
    Process process =
        new ProcessBuilder(
                "sh", "-c", "trap '' TERM; touch " + ready + "; while true; do sleep 0.1; done")
            .start();
    ChildProcess child = ChildProcess.bind("stubborn", process, Duration.ofMillis(500));
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!Files.exists(ready) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }

    child.close();
    assertThat(child.isAlive()).isFalse();
    assertThat(child.exitValue()).isNotZero();
  }

  @Test
  void tailsTheLastLinesOfALog() throws Exception {
    Path log = dir.resolve("broker.log");
    Files.writeString(
        log,
        IntStream.rangeClosed(1, 100).mapToObj(i -> "line " + i).collect(Collectors.joining("\n")));

    assertThat(ChildProcess.tail(log, 3)).containsExactly("line 98", "line 99", "line 100");
    assertThat(ChildProcess.tail(dir.resolve("absent.log"), 3)).isEmpty();
    assertThat(ChildProcess.tailSection(log, 1))
        .isEqualTo("\n--- last lines of " + log + " ---\nline 100");
    assertThat(ChildProcess.tailSection(dir.resolve("absent.log"), 1)).isEmpty();
  }
}
