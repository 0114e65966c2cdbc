package io.tarn.cdc;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * The peer of benchmark B2 ({@code ./tarn bench cdc}): Debezium's embedded engine alone, with the
 * very Debezium settings a {@link ChangeCapture} of the same configuration uses ({@link
 * ChangeCapture#debeziumProperties}), but no Tarn code on the record path: no Avro mapping, no
 * schema registry, no Kafka. Its handler only reads each record's {@code op} and {@code
 * source.ts_ms}, marks the batch processed and reports it.
 *
 * <p>Takes the arguments of {@link CaptureMain} (the Kafka and registry keys are required but
 * unused). Prints one line per batch on stdout, for the harness to parse: {@code tarn-b2
 * {"at_ms":<hand-over time>,"snapshot":<op=r rows>,"ts_ms":[<source commit ms of each streamed
 * change>]}}. Runs until SIGTERM.
 */
public final class EngineBaselineMain {
  /** Prefix of the lines the harness reads; everything else on stdout is logging. */
  public static final String LINE_PREFIX = "tarn-b2 ";

  private EngineBaselineMain() {}

  public static void main(String[] args) throws InterruptedException {
    CaptureConfig config;
    try {
      config = CaptureConfig.fromArgs(args);
    } catch (RuntimeException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    try {
      Files.createDirectories(config.offsetFile().getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create CDC data directory " + config.dataDir(), e);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    DebeziumEngine<RecordChangeEvent<SourceRecord>> engine =
        DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
            .using(ChangeCapture.debeziumProperties(config))
            .notifying(EngineBaselineMain::handleBatch)
            .using(
                (success, message, error) -> {
                  if (!success || error != null) {
                    System.err.println("Debezium engine failed: " + message);
                    if (error != null) {
                      error.printStackTrace();
                    }
                  }
                  stopped.countDown();
                })
            .build();
    ExecutorService thread = Executors.newSingleThreadExecutor();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    engine.close();
                    stopped.await();
                  } catch (IOException | InterruptedException e) {
                    // exiting anyway
                  }
                },
                "tarn-b2-shutdown"));
    thread.submit(engine);
    stopped.await();
    thread.shutdown();
  }

  private static void handleBatch(
      List<RecordChangeEvent<SourceRecord>> events,
      DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
      throws InterruptedException {
    long snapshot = 0;
    StringBuilder streamed = new StringBuilder();
    for (RecordChangeEvent<SourceRecord> event : events) {
      if (event.record().value() instanceof Struct value
          && value.schema().field("op") != null
          && value.schema().field("source") != null) {
        String op = value.getString("op");
        if (op.equals("r")) {
          snapshot += 1;
        } else if (op.equals("c") || op.equals("u") || op.equals("d")) {
          if (streamed.length() > 0) {
            streamed.append(',');
          }
          streamed.append(value.getStruct("source").getInt64("ts_ms"));
        }
      }
      committer.markProcessed(event);
    }
    committer.markBatchFinished();
    long at = System.currentTimeMillis();
    System.out.println(
        LINE_PREFIX
            + "{\"at_ms\":"
            + at
            + ",\"snapshot\":"
            + snapshot
            + ",\"ts_ms\":["
            + streamed
            + "]}");
  }
}
