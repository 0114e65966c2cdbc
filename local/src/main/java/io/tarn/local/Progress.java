package io.tarn.local;

import java.io.PrintStream;

/** Prints the steps of a long command as they happen, with how long each took. */
final class Progress {
  private final PrintStream out;
  private long started;

  Progress(PrintStream out) {
    this.out = out;
  }

  void step(String what) {
    started = System.nanoTime();
    out.print("  " + what + " ... ");
    out.flush();
  }

  void done(String result) {
    long millis = (System.nanoTime() - started) / 1_000_000;
    out.printf("%s (%.1f s)%n", result, millis / 1000.0);
  }
}
