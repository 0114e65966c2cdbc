package io.tarn.kafka.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft Kafka broker (broker and controller in one process) run as a child JVM.
 *
 * <p>The broker's jars (Scala, its own Jackson) would clash with Flink's, so they are never on our
 * class path: Maven copies them to {@code kafka-broker/target/broker-lib} and the child runs from
 * there. Everything the broker keeps lives in the data directory: {@code ports.properties}, the
 * generated {@code server.properties} and log4j configuration, {@code broker.log} (the previous
 * run's is kept as {@code broker.log.1}), {@code broker.out} (the child's stdout/stderr, normally
 * empty) and the partition logs under {@code logs/}. Starting again on the same data directory
 * resumes the same cluster on the same address.
 */
public final class KafkaBroker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);

  private static final String LIB_PROPERTIES = "tarn-kafka-broker.properties";
  private static final String LIB_KEY = "broker.lib";

  /** Overrides the broker-lib folder recorded at build time, e.g. when the repository moved. */
  private static final String LIB_SYSTEM_PROPERTY = "tarn.kafka.broker.lib";

  private static final String KAFKA_MAIN = "kafka.Kafka";
  private static final String STORAGE_TOOL_MAIN = "kafka.tools.StorageTool";
  private static final String STARTED_LINE = "Kafka Server started";

  private static final long START_TIMEOUT_MS = 180_000;
  private static final long FORMAT_TIMEOUT_MS = 60_000;
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
  private static final int LOG_TAIL_LINES = 40;

  private final Path dataDir;
  private final BrokerPorts ports;
  private final ChildProcess process;

  private KafkaBroker(Path dataDir, BrokerPorts ports, ChildProcess process) {
    this.dataDir = dataDir;
    this.ports = ports;
    this.process = process;
  }

  /** Starts a broker on {@code dataDir} (created if needed) and waits until it serves clients. */
  public static KafkaBroker start(Path dataDir) {
    return start(dataDir, Map.of());
  }

  /**
   * Starts a broker on {@code dataDir} with {@code overrides} applied last to its server
   * configuration, and waits until it serves clients.
   */
  public static KafkaBroker start(Path dataDir, Map<String, String> overrides) {
    libDir(); // fail on missing jars before anything is written
    Path dir = dataDir.toAbsolutePath().normalize();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create Kafka broker data directory " + dir, e);
    }

    BrokerPorts ports = BrokerPorts.loadOrAllocate(dir);
    Path serverConfig = writeServerConfig(dir, ports, overrides);
    Path log4jConfig = writeLog4jConfig(dir);
    if (!Files.exists(logDir(dir).resolve("meta.properties"))) {
      format(dir, serverConfig, log4jConfig);
    }

    Path brokerLog = dir.resolve("broker.log");
    rotate(brokerLog);
    long startNanos = System.nanoTime();
    Process process;
    try {
      process =
          ChildJvm.builder(
                  KAFKA_MAIN,
                  List.of(
                      "-Xmx1g",
                      // Kafka's own launch scripts use these GC settings
                      "-XX:+UseG1GC",
                      "-XX:MaxGCPauseMillis=20",
                      "-XX:InitiatingHeapOccupancyPercent=35",
                      "-Djava.awt.headless=true",
                      "-Dlog4j2.configurationFile=" + log4jConfig.toUri()),
                  List.of(serverConfig.toString()))
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("broker.out").toFile())
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start Kafka broker in " + dir, e);
    }

    KafkaBroker broker =
        new KafkaBroker(dir, ports, ChildProcess.bind("kafka-broker", process, STOP_TIMEOUT));
    try {
      broker.awaitReady(brokerLog);
    } catch (RuntimeException e) {
      broker.kill();
      throw e;
    }

    LOG.info(
        "Started Kafka broker {} (pid {}) in {} ms, data in {}",
        broker.bootstrapServers(),
        process.pid(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos),
        dir);
    return broker;
  }

  /**
   * Starts {@code mainClass} from the broker jars (e.g. {@code
   * org.apache.kafka.tools.ProducerPerformance}) in a child JVM, with stdout and stderr written to
   * {@code logFile}. The caller waits for it; it exits by itself if this JVM dies.
   */
  public static Process startTool(String mainClass, List<String> args, Path logFile) {
    try {
      Path parent = logFile.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      return ChildJvm.builder(
              mainClass,
              List.of(
                  "-Xmx1g",
                  "-Djava.awt.headless=true",
                  "-Dlog4j2.configurationFile=" + ChildJvm.warnOnlyLog4jConfig().toUri()),
              args)
          .redirectErrorStream(true)
          .redirectOutput(logFile.toFile())
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start Kafka tool " + mainClass, e);
    }
  }

  /** The folder of the broker's jars, copied there by {@code ./mvnw install}. */
  public static Path libDir() {
    String configured = System.getProperty(LIB_SYSTEM_PROPERTY);
    if (configured == null) {
      Properties props = new Properties();
      try (InputStream in =
          KafkaBroker.class.getClassLoader().getResourceAsStream(LIB_PROPERTIES)) {
        if (in == null) {
          throw new IllegalStateException(
              "Cannot find Kafka broker jars: resource " + LIB_PROPERTIES + " is missing");
        }
        props.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read resource " + LIB_PROPERTIES, e);
      }
      configured = props.getProperty(LIB_KEY);
    }

    Path dir = Path.of(configured);
    if (!hasBrokerJar(dir)) {
      throw new IllegalStateException(
          "Cannot find Kafka broker jars at " + dir + ": run ./mvnw install first");
    }
    return dir;
  }

  private static boolean hasBrokerJar(Path dir) {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (var files = Files.list(dir)) {
      return files.anyMatch(f -> f.getFileName().toString().startsWith("kafka_2.13-"));
    } catch (IOException e) {
      return false;
    }
  }

  /** The address clients connect to, {@code 127.0.0.1:<port>}; stable across restarts. */
  public String bootstrapServers() {
    return BrokerPorts.HOST + ":" + ports.broker();
  }

  /** The process id of the broker's JVM, e.g. to read its CPU time. */
  public long pid() {
    return process.pid();
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Stops the broker cleanly (SIGTERM), or forcibly if it does not stop within 20 s. */
  @Override
  public void close() {
    process.close();
  }

  /** Kills the broker at once (SIGKILL), like a crash; for failure-injection tests. */
  public void kill() {
    process.kill();
  }

  private void awaitReady(Path brokerLog) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
    // the port opens shortly before the server finishes starting; the log line says it is done
    while (!(acceptsConnections() && contains(brokerLog, STARTED_LINE))) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            String.format(
                "Cannot start Kafka broker in %s: process exited with code %d%s",
                dataDir, process.exitValue(), logTails()));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            String.format(
                "Cannot start Kafka broker in %s: not ready within %d s%s",
                dataDir, START_TIMEOUT_MS / 1000, logTails()));
      }
      sleep(100);
    }
  }

  private boolean acceptsConnections() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(BrokerPorts.HOST, ports.broker()), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private String logTails() {
    StringBuilder tails = new StringBuilder();
    for (String name : List.of("broker.log", "broker.out")) {
      tails.append(ChildProcess.tailSection(dataDir.resolve(name), LOG_TAIL_LINES));
    }
    return tails.toString();
  }

  private static void format(Path dir, Path serverConfig, Path log4jConfig) {
    String clusterId = newClusterId();
    Path output = dir.resolve("storage-format.log");
    Process process;
    try {
      process =
          ChildJvm.builder(
                  STORAGE_TOOL_MAIN,
                  List.of("-Xmx256m", "-Dlog4j2.configurationFile=" + log4jConfig.toUri()),
                  List.of("format", "-t", clusterId, "-c", serverConfig.toString()))
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot format Kafka storage in " + dir, e);
    }

    try {
      if (!process.waitFor(FORMAT_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            String.format(
                "Cannot format Kafka storage in %s: not done within %d s\n%s",
                dir,
                FORMAT_TIMEOUT_MS / 1000,
                String.join("\n", ChildProcess.tail(output, LOG_TAIL_LINES))));
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Cannot format Kafka storage in " + dir + ": interrupted", e);
    }

    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          String.format(
              "Cannot format Kafka storage in %s: StorageTool exited with code %d\n%s",
              dir,
              process.exitValue(),
              String.join("\n", ChildProcess.tail(output, LOG_TAIL_LINES))));
    }
    LOG.info("Formatted Kafka storage in {} for cluster {}", dir, clusterId);
  }

  /** A random id in Kafka's format: 16 bytes, URL-safe base64 without padding. */
  private static String newClusterId() {
    while (true) {
      UUID uuid = UUID.randomUUID();
      byte[] bytes = new byte[16];
      for (int i = 0; i < 8; i += 1) {
        bytes[i] = (byte) (uuid.getMostSignificantBits() >>> (56 - 8 * i));
        bytes[8 + i] = (byte) (uuid.getLeastSignificantBits() >>> (56 - 8 * i));
      }
      String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      // like Kafka's Uuid.randomUuid: an id starting with '-' reads as an option on command lines
      if (!id.startsWith("-")) {
        return id;
      }
    }
  }

  private static Path logDir(Path dir) {
    return dir.resolve("logs");
  }

  private static Path writeServerConfig(
      Path dir, BrokerPorts ports, Map<String, String> overrides) {
    String host = BrokerPorts.HOST;
    Map<String, String> config = new LinkedHashMap<>();
    config.put("node.id", "1");
    config.put("process.roles", "broker,controller");
    // a static quorum: one voter, known up front, no bootstrap dance
    config.put("controller.quorum.voters", "1@" + host + ":" + ports.controller());
    config.put(
        "listeners",
        "PLAINTEXT://"
            + host
            + ":"
            + ports.broker()
            + ",CONTROLLER://"
            + host
            + ":"
            + ports.controller());
    config.put("advertised.listeners", "PLAINTEXT://" + host + ":" + ports.broker());
    config.put("controller.listener.names", "CONTROLLER");
    config.put("inter.broker.listener.name", "PLAINTEXT");
    config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    config.put("log.dirs", logDir(dir).toString());
    config.put("num.partitions", "3");
    config.put("auto.create.topics.enable", "true");
    // one node: every internal topic has one replica
    config.put("offsets.topic.replication.factor", "1");
    config.put("transaction.state.log.replication.factor", "1");
    config.put("transaction.state.log.min.isr", "1");
    config.put("share.coordinator.state.topic.replication.factor", "1");
    config.put("share.coordinator.state.topic.min.isr", "1");
    // nobody else is going to join a consumer group in a local run: do not wait 3 s for them
    config.put("group.initial.rebalance.delay.ms", "0");
    // Flink's exactly-once Kafka sink keeps transactions open across checkpoints (and restarts)
    config.put("transaction.max.timeout.ms", "3600000");
    config.putAll(overrides);

    StringBuilder text = new StringBuilder();
    text.append("# Written by io.tarn.kafka.broker.KafkaBroker at every start; edits are lost.\n");
    config.forEach(
        (key, value) ->
            text.append(key).append('=').append(value.replace("\\", "\\\\")).append('\n'));
    return write(dir.resolve("server.properties"), text.toString());
  }

  private static Path writeLog4jConfig(Path dir) {
    Path log = dir.resolve("broker.log");
    String text =
        String.join(
            "\n",
            "# Written by io.tarn.kafka.broker.KafkaBroker at every start; edits are lost.",
            "rootLogger.level=INFO",
            "rootLogger.appenderRef.file.ref=FILE",
            "appender.file.type=RollingFile",
            "appender.file.name=FILE",
            "appender.file.fileName=" + log,
            "appender.file.filePattern=" + log + ".%i",
            "appender.file.layout.type=PatternLayout",
            "appender.file.layout.pattern=[%d] %p %m (%c)%n",
            "appender.file.policies.type=Policies",
            "appender.file.policies.size.type=SizeBasedTriggeringPolicy",
            "appender.file.policies.size.size=64MB",
            "appender.file.strategy.type=DefaultRolloverStrategy",
            "appender.file.strategy.max=3",
            // as in Kafka's own log4j2.yaml: request logging is too chatty below WARN
            "logger.request.name=kafka.request.logger",
            "logger.request.level=WARN",
            "");
    return write(dir.resolve("log4j2.properties"), text);
  }

  private static Path write(Path file, String text) {
    try {
      return Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }

  /**
   * Moves the previous run's log aside, so the ready check only sees this run's lines and a crash
   * of the previous run can still be read.
   */
  private static void rotate(Path log) {
    if (Files.exists(log)) {
      try {
        Files.move(
            log, log.resolveSibling(log.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot rotate Kafka broker log " + log, e);
      }
    }
  }

  private static boolean contains(Path file, String text) {
    if (!Files.exists(file)) {
      return false;
    }
    try {
      return Files.readString(file, StandardCharsets.UTF_8).contains(text);
    } catch (IOException e) {
      return false; // being rolled over or not yet flushed: try again
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Cannot start Kafka broker: interrupted", e);
    }
  }

  @Override
  public String toString() {
    return "KafkaBroker{" + bootstrapServers() + ", pid " + process.pid() + ", " + dataDir + "}";
  }
}
