package io.tarn.cdc;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -cp 'tarn-cdc-capture.jar:lib/*' io.tarn.cdc.CaptureMain --config capture.properties
 * [--key value ...]}: runs a {@link ChangeCapture} until SIGINT/SIGTERM, printing progress.
 *
 * <p>Exit codes: 0 after a clean stop, 1 if the capture failed, 2 for bad configuration.
 */
public final class CaptureMain {
  private static final Logger LOG = LoggerFactory.getLogger(CaptureMain.class);

  private CaptureMain() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      System.out.println(
          "Usage: CaptureMain --config capture.properties [--key value ...]\n\nKeys:\n"
              + CaptureConfig.reference());
      return;
    }
    CaptureConfig config;
    try {
      config = CaptureConfig.fromArgs(args);
    } catch (RuntimeException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    LOG.info("CDC capture configuration:\n{}", config.describe());
    ChangeCapture capture = ChangeCapture.start(config);
    CountDownLatch closed = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              LOG.info("CDC capture stopping (signal)");
              capture.close();
              closed.countDown();
            },
            "tarn-cdc-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    while (!capture.awaitStop(Duration.ofSeconds(1))) {
      // the engine runs; progress is logged by the capture
    }
    if (capture.failure().isPresent()) {
      LOG.error("CDC capture failed: {}", capture.failure().get().toString());
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // already shutting down
      }
      capture.close();
      System.exit(1);
    }
    // stopped by a signal: let the hook finish closing
    closed.await();
  }
}
