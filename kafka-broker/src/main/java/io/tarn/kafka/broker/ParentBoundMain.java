package io.tarn.kafka.broker;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * The entry point of every child JVM we start: runs another main class for as long as the parent
 * lives.
 *
 * <p>A shutdown hook in the parent cannot run when the parent is killed with SIGKILL, and an
 * orphaned broker would keep the ports persisted for its data directory, so the next start would
 * fail. The parent keeps the child's stdin pipe open and never writes to it; the operating system
 * closes it when the parent dies, however it dies. Reading end-of-file here then exits the child,
 * which runs the child's own shutdown hooks (Kafka's stops the broker cleanly).
 *
 * <p>This class is copied alone onto the child's class path (see {@link ChildJvm}), so it must not
 * use any other Tarn class nor have nested classes.
 */
public final class ParentBoundMain {
  /** Exit status of a child whose parent went away, as if it had been sent SIGTERM. */
  static final int PARENT_GONE_STATUS = 143;

  private ParentBoundMain() {}

  public static void main(String[] args) throws Throwable {
    if (args.length == 0) {
      System.err.println("Usage: ParentBoundMain <main class> [arguments...]");
      System.exit(2);
    }

    Thread watch = new Thread(ParentBoundMain::exitWhenParentIsGone, "tarn-parent-watch");
    watch.setDaemon(true);
    watch.start();

    Method main = Class.forName(args[0]).getMethod("main", String[].class);
    try {
      main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static void exitWhenParentIsGone() {
    try {
      while (System.in.read() >= 0) {
        // the parent never writes; anything read is ignored
      }
    } catch (IOException e) {
      // a broken pipe means the same as end-of-file: the parent is gone
    }
    System.err.println("Parent process is gone: exiting");
    System.exit(PARENT_GONE_STATUS);
  }
}
