package io.tarn.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Follows the log of {@code io.tarn.cdc.EngineBaselineMain} (B2's Debezium-only peer) and feeds the
 * batches it reports ({@code tarn-b2 {"at_ms":..,"snapshot":..,"ts_ms":[..]}}) into {@link
 * ChangeArrivals}. The hand-over time is the engine's own clock, the same machine's as ours.
 */
final class EngineOutput implements AutoCloseable {
  static final String LINE_PREFIX = "tarn-b2 ";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path log;
  private final ChangeArrivals arrivals;
  private final Thread thread;
  private volatile boolean closed;

  EngineOutput(Path log, ChangeArrivals arrivals) {
    this.log = log;
    this.arrivals = arrivals;
    this.thread = new Thread(this::follow, "tarn-bench-engine-output");
    thread.setDaemon(true);
    thread.start();
  }

  private void follow() {
    try (InputStream in = Files.newInputStream(log)) {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      byte[] buffer = new byte[65536];
      while (!closed) {
        int n = in.read(buffer);
        if (n < 0) {
          Thread.sleep(5); // the file grows as the engine writes
          continue;
        }
        for (int i = 0; i < n; i += 1) {
          if (buffer[i] == '\n') {
            handle(line.toString(StandardCharsets.UTF_8));
            line.reset();
          } else {
            line.write(buffer[i]);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      arrivals.fail(new IllegalStateException("Cannot follow engine output " + log + ": " + e, e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void handle(String line) throws IOException {
    if (!line.startsWith(LINE_PREFIX)) {
      return;
    }
    JsonNode batch = JSON.readTree(line.substring(LINE_PREFIX.length()));
    long at = batch.get("at_ms").asLong();
    arrivals.snapshot(batch.get("snapshot").asLong(), at);
    for (JsonNode ts : batch.get("ts_ms")) {
      arrivals.streamed(ts.asLong(), at);
    }
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    thread.join(5_000);
  }
}
