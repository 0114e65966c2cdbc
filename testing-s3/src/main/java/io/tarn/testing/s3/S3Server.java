package io.tarn.testing.s3;

import io.tarn.kafka.broker.ChildJvm;
import io.tarn.kafka.broker.ChildProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private S3-protocol server for tests: S3Proxy with its filesystem backend in a temp folder,
 * listening on 127.0.0.1 on a free port, path-style only, AWS signature v2/v4 with random
 * credentials.
 *
 * <p>S3Proxy's Jetty, jclouds and Jackson would clash with Flink's test class path, so its jars
 * live in {@code testing-s3/target/s3proxy-lib} and it runs as a child JVM that exits when this JVM
 * dies (see {@link ChildJvm}). Buckets are folders under {@link #dataDir()}, objects files in them.
 */
public final class S3Server implements AutoCloseable {
  private static final String HOST = "127.0.0.1";
  private static final String LIB_PROPERTIES = "tarn-testing-s3.properties";
  private static final String LIB_KEY = "s3proxy.lib";
  private static final String MAIN = "org.gaul.s3proxy.Main";
  private static final long START_TIMEOUT_MS = 60_000;
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  /** The region clients should sign for; S3Proxy accepts any. */
  public static final String REGION = "us-east-1";

  private final Path dir;
  private final int port;
  private final String accessKey;
  private final String secretKey;
  private final ChildProcess process;

  private S3Server(Path dir, int port, String accessKey, String secretKey, ChildProcess process) {
    this.dir = dir;
    this.port = port;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
    this.process = process;
  }

  /** Starts a server with empty storage and waits until it accepts requests. */
  public static S3Server start() {
    Path lib = libDir();
    Path dir;
    try {
      dir = Files.createTempDirectory("tarn-s3-");
      Files.createDirectories(dir.resolve("data"));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create S3 server folder", e);
    }
    int port = freePort();
    String accessKey = "tarn-" + UUID.randomUUID().toString().substring(0, 8);
    String secretKey = UUID.randomUUID().toString();
    Properties conf = new Properties();
    conf.setProperty("s3proxy.endpoint", "http://" + HOST + ":" + port);
    conf.setProperty("s3proxy.authorization", "aws-v2-or-v4");
    conf.setProperty("s3proxy.identity", accessKey);
    conf.setProperty("s3proxy.credential", secretKey);
    conf.setProperty("jclouds.provider", "filesystem");
    conf.setProperty("jclouds.filesystem.basedir", dir.resolve("data").toString());
    Path confFile = dir.resolve("s3proxy.conf");
    Path logConfig = dir.resolve("logback.xml");
    Path out = dir.resolve("s3proxy.out");
    Process process;
    try {
      try (var writer = Files.newBufferedWriter(confFile)) {
        conf.store(writer, "written by S3Server");
      }
      // without a configuration logback logs every request at DEBUG
      Files.writeString(
          logConfig,
          "<configuration><appender name=\"OUT\" class=\"ch.qos.logback.core.ConsoleAppender\">"
              + "<encoder><pattern>%d %level %logger{20} %msg%n</pattern></encoder></appender>"
              + "<root level=\"WARN\"><appender-ref ref=\"OUT\"/></root></configuration>");
      process =
          ChildJvm.builder(
                  lib,
                  MAIN,
                  List.of(
                      "-Xmx256m",
                      "-Djava.awt.headless=true",
                      "-Dlogback.configurationFile=" + logConfig),
                  List.of("--properties", confFile.toString()))
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start S3Proxy in " + dir, e);
    }
    S3Server server =
        new S3Server(
            dir,
            port,
            accessKey,
            secretKey,
            ChildProcess.bind("s3proxy", process, STOP_TIMEOUT, () -> deleteTree(dir)));
    try {
      server.awaitReady(out);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** {@code http://127.0.0.1:<port>}: clients must use path-style access. */
  public String endpoint() {
    return "http://" + HOST + ":" + port;
  }

  public String accessKey() {
    return accessKey;
  }

  public String secretKey() {
    return secretKey;
  }

  /** The folder holding one subfolder per bucket. */
  public Path dataDir() {
    return dir.resolve("data");
  }

  /** Stops the server and deletes its storage. */
  @Override
  public void close() {
    process.close();
  }

  private void awaitReady(Path out) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
    while (!acceptsConnections()) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            String.format(
                "Cannot start S3Proxy: process exited with code %d\n%s",
                process.exitValue(), String.join("\n", ChildProcess.tail(out, 40))));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            String.format(
                "Cannot start S3Proxy: not ready within %d s\n%s",
                START_TIMEOUT_MS / 1000, String.join("\n", ChildProcess.tail(out, 40))));
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Cannot start S3Proxy: interrupted", e);
      }
    }
  }

  private boolean acceptsConnections() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(HOST, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The folder of S3Proxy's jars, copied there by {@code ./mvnw install}. */
  private static Path libDir() {
    Properties props = new Properties();
    try (InputStream in = S3Server.class.getClassLoader().getResourceAsStream(LIB_PROPERTIES)) {
      if (in == null) {
        throw new IllegalStateException(
            "Cannot find S3Proxy jars: resource " + LIB_PROPERTIES + " is missing");
      }
      props.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read resource " + LIB_PROPERTIES, e);
    }
    Path dir = Path.of(props.getProperty(LIB_KEY));
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException(
          "Cannot find S3Proxy jars at " + dir + ": run ./mvnw install -pl testing-s3 first");
    }
    return dir;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot find a free port", e);
    }
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      List<Path> all = new ArrayList<>(paths.sorted(Comparator.reverseOrder()).toList());
      for (Path p : all) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // best effort: a temp folder
    }
  }
}
