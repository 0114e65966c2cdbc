package io.tarn.trino;

import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The servers a test class started, closed after all its tests, the last started first (Trino
 * before the catalogs and brokers it uses). A close that fails does not leave the others running,
 * and a class whose start failed halfway still closes what did start.
 */
final class Servers implements AfterAllCallback {
  private final Deque<AutoCloseable> started = new ArrayDeque<>();

  /** Closes {@code server} after all tests of the class; returns it. */
  synchronized <T extends AutoCloseable> T add(T server) {
    started.push(server);
    return server;
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    Exception failure = null;
    for (AutoCloseable server = next(); server != null; server = next()) {
      try {
        server.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private synchronized AutoCloseable next() {
    return started.poll();
  }
}
