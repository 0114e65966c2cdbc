package io.tarn.catalog.server;

import io.tarn.kafka.broker.ChildJvm;
import io.tarn.kafka.broker.ChildProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The Iceberg REST catalog over a JDBC catalog (the lake's SQLite file, or PostgreSQL), served by a
 * child JVM on {@code host:port} with bearer-token authentication.
 *
 * <p>This handle is JDK-only: the server's jars (plain Iceberg, Jetty, Hadoop) are copied to {@code
 * catalog-server/target/catalog-lib} and never put on our class path, where they would clash with
 * the shaded Iceberg of the Flink jobs. The server's folder holds {@code token} (mode 0600, made at
 * the first start and kept), {@code server.properties} (written at every start, mode 0600: it may
 * hold the catalog database password), {@code endpoint.properties} (the port it listens on, so a
 * restart keeps the same URL when it can), {@code catalog-server.log} and {@code
 * catalog-server.out}.
 */
public final class RestCatalogServer implements AutoCloseable {
  /** The loopback address the server binds by default. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  static final String MAIN_CLASS = "io.tarn.catalog.server.CatalogServerMain";
  static final String SERVER_PROPERTIES = "server.properties";
  static final String ENDPOINT_PROPERTIES = "endpoint.properties";
  static final String TOKEN_FILE = "token";
  static final String LOG_FILE = "catalog-server.log";
  static final String CATALOG_PREFIX = "catalog.";

  private static final String LIB_PROPERTIES = "tarn-catalog-server.properties";
  private static final String LIB_KEY = "catalog.lib";

  /** Overrides the catalog-lib folder recorded at build time, e.g. when the repository moved. */
  private static final String LIB_SYSTEM_PROPERTY = "tarn.catalog.server.lib";

  private static final long START_TIMEOUT_MS = 120_000;
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
  private static final int LOG_TAIL_LINES = 40;

  private final Path dir;
  private final String host;
  private final int port;
  private final AccessToken token;
  private final ChildProcess process;

  private RestCatalogServer(
      Path dir, String host, int port, AccessToken token, ChildProcess process) {
    this.dir = dir;
    this.host = host;
    this.port = port;
    this.token = token;
    this.process = process;
  }

  /**
   * Starts the server for the JDBC catalog {@code catalogName} given by its Iceberg properties
   * ({@code uri}, {@code warehouse}, {@code jdbc.*}) on 127.0.0.1 and a free port (the previous
   * run's if it is free), and waits until it serves requests. {@code dir} holds the server's token,
   * configuration and logs. The name must be the one the other writers use: a JDBC catalog keeps
   * the tables of each name apart.
   */
  public static RestCatalogServer start(
      Path dir, String catalogName, Map<String, String> catalogProperties) {
    return start(dir, catalogName, catalogProperties, DEFAULT_HOST, 0);
  }

  /**
   * Starts the server on {@code host:port} ({@code port} 0: the previous run's port if it is free,
   * else any free one) and waits until it serves requests.
   */
  public static RestCatalogServer start(
      Path dir, String catalogName, Map<String, String> catalogProperties, String host, int port) {
    if (catalogName == null || catalogName.isBlank()) {
      throw new IllegalArgumentException("Cannot start Iceberg REST catalog: no catalog name");
    }
    for (String key : List.of("uri", "warehouse")) {
      if (catalogProperties.get(key) == null || catalogProperties.get(key).isBlank()) {
        throw new IllegalArgumentException(
            "Cannot start Iceberg REST catalog: catalog property '" + key + "' is not set");
      }
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(
          "Cannot start Iceberg REST catalog: port " + port + " is not in 0..65535");
    }
    Path lib = libDir(); // fail on missing jars before anything is written
    Path root = dir.toAbsolutePath().normalize();
    AccessToken token = AccessToken.loadOrCreate(root.resolve(TOKEN_FILE));
    int wanted = port != 0 ? port : previousPortIfFree(root, host);

    Properties config = new Properties();
    config.setProperty("host", host);
    config.setProperty("port", Integer.toString(wanted));
    config.setProperty("name", catalogName);
    catalogProperties.forEach((k, v) -> config.setProperty(CATALOG_PREFIX + k, v));
    writePrivate(root.resolve(SERVER_PROPERTIES), config);
    Path log4j = writeLog4jConfig(root);
    Path endpoint = root.resolve(ENDPOINT_PROPERTIES);
    try {
      Files.deleteIfExists(endpoint);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot remove stale " + endpoint, e);
    }

    ChildProcess process;
    try {
      Process started =
          ChildJvm.builder(
                  List.of(lib.resolve("classes").toString(), lib.resolve("*").toString()),
                  MAIN_CLASS,
                  List.of(
                      "-Xmx512m",
                      "-XX:+UseG1GC",
                      "-Djava.awt.headless=true",
                      "-Dlog4j2.configurationFile=" + log4j.toUri()),
                  List.of(root.toString()))
              .redirectErrorStream(true)
              .redirectOutput(root.resolve("catalog-server.out").toFile())
              .start();
      process = ChildProcess.bind("rest-catalog", started, STOP_TIMEOUT);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start Iceberg REST catalog in " + root, e);
    }

    int bound;
    try {
      bound = awaitEndpoint(root, process);
    } catch (RuntimeException e) {
      process.kill();
      throw e;
    }
    return new RestCatalogServer(root, host, bound, token, process);
  }

  /** The folder of the server's jars, copied there by {@code ./mvnw install}. */
  static Path libDir() {
    String configured = System.getProperty(LIB_SYSTEM_PROPERTY);
    if (configured == null) {
      Properties props = new Properties();
      try (InputStream in =
          RestCatalogServer.class.getClassLoader().getResourceAsStream(LIB_PROPERTIES)) {
        if (in == null) {
          throw new IllegalStateException(
              "Cannot find Iceberg REST catalog jars: resource " + LIB_PROPERTIES + " is missing");
        }
        props.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read resource " + LIB_PROPERTIES, e);
      }
      configured = props.getProperty(LIB_KEY);
    }
    Path dir = Path.of(configured);
    if (!Files.isDirectory(dir.resolve("classes"))) {
      throw new IllegalStateException(
          "Cannot find Iceberg REST catalog jars at " + dir + ": run ./mvnw install first");
    }
    return dir;
  }

  /** The catalog's base URL, e.g. {@code http://127.0.0.1:8181/}: clients append {@code v1/...}. */
  public URI uri() {
    String shown = host.contains(":") ? "[" + host + "]" : host;
    return URI.create("http://" + shown + ":" + port + "/");
  }

  public int port() {
    return port;
  }

  /** The bearer token clients send ({@code Authorization: Bearer <token>}). */
  public String token() {
    return token.value();
  }

  /** The file holding the token (mode 0600), to point users at instead of printing the token. */
  public Path tokenFile() {
    return dir.resolve(TOKEN_FILE);
  }

  public Path dir() {
    return dir;
  }

  /** The process id of the server's JVM, e.g. to read its CPU time. */
  public long pid() {
    return process.pid();
  }

  /** Stops the server (SIGTERM: it finishes the requests in flight), or kills it after 20 s. */
  @Override
  public void close() {
    process.close();
  }

  private static int awaitEndpoint(Path root, ChildProcess process) {
    Path endpoint = root.resolve(ENDPOINT_PROPERTIES);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
    while (true) {
      // the child writes the file atomically once Jetty listens
      if (Files.exists(endpoint)) {
        Properties props = read(endpoint);
        if (Long.toString(process.pid()).equals(props.getProperty("pid"))) {
          return Integer.parseInt(props.getProperty("port"));
        }
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(
            String.format(
                "Cannot start Iceberg REST catalog in %s: process exited with code %d%s",
                root, process.exitValue(), logTail(root)));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            String.format(
                "Cannot start Iceberg REST catalog in %s: not ready within %d s%s",
                root, START_TIMEOUT_MS / 1000, logTail(root)));
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Cannot start Iceberg REST catalog: interrupted", e);
      }
    }
  }

  private static int previousPortIfFree(Path root, String host) {
    Path endpoint = root.resolve(ENDPOINT_PROPERTIES);
    if (!Files.exists(endpoint)) {
      return 0;
    }
    int previous;
    try {
      previous = Integer.parseInt(read(endpoint).getProperty("port", "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(host, previous));
      return previous;
    } catch (IOException taken) {
      return 0;
    }
  }

  private static String logTail(Path root) {
    return ChildProcess.tailSection(root.resolve(LOG_FILE), LOG_TAIL_LINES)
        + ChildProcess.tailSection(root.resolve("catalog-server.out"), LOG_TAIL_LINES);
  }

  static Properties read(Path file) {
    Properties props = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      props.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file, e);
    }
    return props;
  }

  private static void writePrivate(Path file, Properties props) {
    try {
      Files.createDirectories(file.getParent());
      if (!Files.exists(file)) {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      try (Writer out =
          Files.newBufferedWriter(
              file, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING)) {
        props.store(out, "Written by io.tarn.catalog.server.RestCatalogServer at every start");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }

  private static Path writeLog4jConfig(Path root) {
    Path log = root.resolve(LOG_FILE);
    String text =
        String.join(
            "\n",
            "# Written by io.tarn.catalog.server.RestCatalogServer at every start; edits are lost.",
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
            "appender.file.policies.size.size=32MB",
            "appender.file.strategy.type=DefaultRolloverStrategy",
            "appender.file.strategy.max=2",
            // Hadoop's local file system and Jetty are chatty at INFO
            "logger.hadoop.name=org.apache.hadoop",
            "logger.hadoop.level=WARN",
            "logger.jetty.name=org.eclipse.jetty",
            "logger.jetty.level=WARN",
            "");
    Path file = root.resolve("log4j2.properties");
    try {
      return Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }

  @Override
  public String toString() {
    return "RestCatalogServer{" + uri() + ", pid " + process.pid() + ", " + dir + "}";
  }
}
