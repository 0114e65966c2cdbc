package io.tarn.kafka.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command lines for child JVMs: the Kafka broker from its jars, or another Tarn service with its
 * own class path (cdc-capture's Debezium and Kafka 4.1, the Iceberg REST catalog server's plain
 * Iceberg and Jetty).
 *
 * <p>The class path is the given one plus a private folder holding only {@link ParentBoundMain},
 * never our own class path: that may be a shaded jar with Flink, Scala and another Jackson in it,
 * which is exactly what the child must not see. Test servers (S3Proxy in testing-s3) start the same
 * way from their own lib folder.
 */
public final class ChildJvm {
  private static final String BOUND_MAIN_CLASS_FILE =
      ParentBoundMain.class.getName().replace('.', '/') + ".class";

  private static Path boundMainDir = null;

  private ChildJvm() {}

  /** A broker-jar class with its arguments, bound to the life of this JVM. */
  static ProcessBuilder builder(String mainClass, List<String> jvmOptions, List<String> args) {
    return builder(KafkaBroker.libDir(), mainClass, jvmOptions, args);
  }

  /** {@code mainClass} from the jars in {@code libDir}, bound to the life of this JVM. */
  public static ProcessBuilder builder(
      Path libDir, String mainClass, List<String> jvmOptions, List<String> args) {
    return builder(List.of(libDir.resolve("*").toString()), mainClass, jvmOptions, args);
  }

  /**
   * {@code mainClass} on {@code classPath} (jars, folders or {@code dir/*}) with its arguments, run
   * by this JVM's java and bound to the life of this JVM.
   */
  public static ProcessBuilder builder(
      List<String> classPath, String mainClass, List<String> jvmOptions, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    List<String> entries = new ArrayList<>();
    entries.add(boundMainDir().toString());
    entries.addAll(classPath);
    command.add(String.join(java.io.File.pathSeparator, entries));
    command.add(ParentBoundMain.class.getName());
    command.add(mainClass);
    command.addAll(args);
    // stdin stays a pipe that we never write to nor close: see ParentBoundMain
    return new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE);
  }

  /**
   * A log4j configuration that sends warnings and errors to stderr, for tools whose stdout is their
   * report and whose INFO logging would bury it.
   */
  static synchronized Path warnOnlyLog4jConfig() {
    Path config = boundMainDir().resolve("log4j2-warn.properties");
    if (!Files.exists(config)) {
      try {
        Files.writeString(
            config,
            String.join(
                "\n",
                "rootLogger.level=WARN",
                "rootLogger.appenderRef.err.ref=STDERR",
                "appender.err.type=Console",
                "appender.err.name=STDERR",
                "appender.err.target=SYSTEM_ERR",
                "appender.err.layout.type=PatternLayout",
                "appender.err.layout.pattern=[%d] %p %m (%c)%n",
                ""));
        config.toFile().deleteOnExit();
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot write log4j configuration " + config, e);
      }
    }
    return config;
  }

  /**
   * A private folder, written once per JVM, holding ParentBoundMain and nothing a library scans
   * for.
   */
  private static synchronized Path boundMainDir() {
    if (boundMainDir == null) {
      try {
        Path dir = Files.createTempDirectory("tarn-child-main");
        Path classFile = dir.resolve(BOUND_MAIN_CLASS_FILE);
        Files.createDirectories(classFile.getParent());
        try (InputStream in =
            ParentBoundMain.class.getClassLoader().getResourceAsStream(BOUND_MAIN_CLASS_FILE)) {
          if (in == null) {
            throw new IllegalStateException(
                "Cannot start child JVM: class file " + BOUND_MAIN_CLASS_FILE + " not found");
          }
          Files.copy(in, classFile);
        }
        // deleteOnExit runs in reverse order of registration: register the folder first, delete it
        // last
        List<Path> chain = new ArrayList<>();
        for (Path p = classFile; p.startsWith(dir); p = p.getParent()) {
          chain.add(0, p);
        }
        chain.forEach(p -> p.toFile().deleteOnExit());
        boundMainDir = dir;
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot start child JVM: cannot write launcher class", e);
      }
    }
    return boundMainDir;
  }
}
