package io.tarn.trino;

import io.tarn.kafka.broker.ChildJvm;
import io.tarn.kafka.broker.ChildProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Trino (coordinator and worker in one) run as a child process on Java 24+, with the
 * Iceberg connector over the lake.
 *
 * <p>The server comes from Maven Central's trino-server tarball, of which the build unpacks only
 * {@code lib/} and {@code plugin/iceberg/} into {@code trino/target}. Everything a run writes lives
 * in the data directory: {@code etc/} (node.properties, jvm.config, config.properties,
 * log.properties, catalog/*.properties — rewritten at every start), {@code data/} (Trino's
 * node.data-dir) and {@code server.log} (the previous run's is kept as {@code server.log.1}). It
 * listens on 127.0.0.1 only, on a free port chosen at each start.
 */
public final class TrinoServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TrinoServer.class);

  private static final String HOME_PROPERTIES = "tarn-trino.properties";

  /** Overrides the unpacked server folder recorded at build time. */
  public static final String HOME_SYSTEM_PROPERTY = "tarn.trino.home";

  private static final String HOST = "127.0.0.1";
  private static final String MAIN_CLASS = "io.trino.server.TrinoServer";
  private static final Pattern READY = Pattern.compile("\"starting\"\\s*:\\s*false");
  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private final Path dataDir;
  private final int port;
  private final ChildProcess process;

  private TrinoServer(Path dataDir, int port, ChildProcess process) {
    this.dataDir = dataDir;
    this.port = port;
    this.process = process;
  }

  /**
   * Starts Trino on {@code dataDir} (created if needed) with {@code catalogs}, and waits until it
   * accepts queries.
   */
  public static TrinoServer start(Path dataDir, List<TrinoCatalog> catalogs) {
    return start(dataDir, catalogs, null);
  }

  /**
   * Starts Trino as {@link #start(Path, List)} does, enforcing {@code accessControl} (null: every
   * user may do everything).
   */
  public static TrinoServer start(
      Path dataDir, List<TrinoCatalog> catalogs, AccessControl accessControl) {
    return start(dataDir, catalogs, accessControl, null);
  }

  /**
   * Starts Trino as {@link #start(Path, List, AccessControl)} does, publishing every completed
   * query to Kafka for the audit table ({@code queryAudit} null: not audited).
   */
  public static TrinoServer start(
      Path dataDir,
      List<TrinoCatalog> catalogs,
      AccessControl accessControl,
      QueryAudit queryAudit) {
    Path home = home();
    TrinoJava jdk = TrinoJava.find();
    Path dir = dataDir.toAbsolutePath().normalize();
    int port = freePort();
    Path etc = dir.resolve("etc");
    Path log = dir.resolve("server.log");
    try {
      Files.createDirectories(etc.resolve("catalog"));
      Files.createDirectories(dir.resolve("data"));
      clearCatalogs(etc.resolve("catalog"));
      if (Files.exists(log)) {
        Files.move(log, dir.resolve("server.log.1"), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot prepare Trino data directory " + dir, e);
    }

    Map<String, String> node = nodeProperties(dir);
    write(etc.resolve("node.properties"), properties(node));
    List<String> jvm = jvmOptions();
    write(etc.resolve("jvm.config"), String.join("\n", jvm) + "\n");
    Map<String, String> config = serverProperties(home, etc, port);
    config.putAll(writeAccessControl(etc, accessControl));
    config.putAll(writeQueryAudit(etc, queryAudit));
    write(etc.resolve("config.properties"), properties(config));
    write(etc.resolve("log.properties"), properties(Map.of("io.trino", "INFO")));
    for (TrinoCatalog catalog : catalogs) {
      writeSecret(etc.resolve("catalog").resolve(catalog.name() + ".properties"), catalog.text());
    }

    List<String> jvmOptions = new ArrayList<>(jvm);
    // as Trino's launcher does: node.properties become system properties
    node.forEach((k, v) -> jvmOptions.add("-D" + k + "=" + v));
    jvmOptions.add("-Dconfig=" + etc.resolve("config.properties"));
    jvmOptions.add("-Dlog.levels-file=" + etc.resolve("log.properties"));
    ProcessBuilder builder =
        ChildJvm.builder(
            List.of(home.resolve("lib").resolve("*").toString()),
            MAIN_CLASS,
            jvmOptions,
            List.of());
    // the child JVM is Trino's Java 24+, not the one running Tarn
    builder.command().set(0, jdk.executable().toString());

    long started = System.nanoTime();
    Process process;
    try {
      // stdin stays an open pipe we never write to: the child exits when it closes
      // (ParentBoundMain)
      process =
          builder
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start Trino with " + jdk.executable(), e);
    }
    TrinoServer server =
        new TrinoServer(dir, port, ChildProcess.bind("trino", process, STOP_TIMEOUT));
    try {
      server.awaitReady(log);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    LOG.info(
        "Trino {} ready at {} in {} ms (Java {}, pid {})",
        version(),
        server.uri(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
        jdk.version(),
        process.pid());
    return server;
  }

  /** The folder of the unpacked server ({@code lib/}, {@code plugin/iceberg/}). */
  public static Path home() {
    String configured = System.getProperty(HOME_SYSTEM_PROPERTY);
    Path home =
        Path.of(configured != null ? configured : buildProperties().getProperty("trino.home"));
    if (!Files.isDirectory(home.resolve("lib")) || !Files.isDirectory(home.resolve("plugin"))) {
      throw new IllegalStateException(
          "Cannot find the Trino server at "
              + home
              + ": run ./mvnw install -pl trino first (it unpacks Maven Central's trino-server "
              + version()
              + " tarball)");
    }
    return home;
  }

  /** The Trino version the build unpacked. */
  public static String version() {
    return buildProperties().getProperty("trino.version");
  }

  private static Properties buildProperties() {
    Properties props = new Properties();
    try (InputStream in = TrinoServer.class.getClassLoader().getResourceAsStream(HOME_PROPERTIES)) {
      if (in == null) {
        throw new IllegalStateException(
            "Cannot find the Trino server: resource " + HOME_PROPERTIES + " is missing");
      }
      props.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read resource " + HOME_PROPERTIES, e);
    }
    return props;
  }

  private static Map<String, String> nodeProperties(Path dir) {
    Map<String, String> node = new LinkedHashMap<>();
    node.put("node.environment", "tarn");
    // stable per data directory, as Trino expects of a node across restarts
    node.put(
        "node.id",
        UUID.nameUUIDFromBytes(dir.toString().getBytes(StandardCharsets.UTF_8)).toString());
    node.put("node.data-dir", dir.resolve("data").toString());
    node.put("node.bind-ip", HOST);
    node.put("node.internal-address", HOST);
    return node;
  }

  private static Map<String, String> serverProperties(Path home, Path etc, int port) {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("coordinator", "true");
    config.put("node-scheduler.include-coordinator", "true");
    config.put("http-server.http.port", Integer.toString(port));
    config.put("discovery.uri", "http://" + HOST + ":" + port);
    // only the plugins the build unpacked (Iceberg, the Kafka event listener): a full plugin
    // folder loads all 55 at startup
    config.put("plugin.dir", home.resolve("plugin").toString());
    config.put("catalog.config-dir", etc.resolve("catalog").toString());
    config.put("query.max-memory", "1GB");
    config.put("query.max-memory-per-node", "1GB");
    return config;
  }

  /**
   * Enough for interactive queries over a local lake; Trino's production defaults assume a server.
   */
  private static List<String> jvmOptions() {
    return List.of(
        "-Xmx2G",
        "-XX:+UseG1GC",
        "-XX:+ExplicitGCInvokesConcurrent",
        "-XX:+ExitOnOutOfMemoryError",
        "-XX:-OmitStackTraceInFastThrow",
        "-XX:PerMethodRecompilationCutoff=10000",
        "-XX:PerBytecodeRecompilationCutoff=10000",
        "-Djdk.attach.allowAttachSelf=true",
        "-Djdk.nio.maxCachedBufferSize=2000000",
        "-Dfile.encoding=UTF-8",
        "--enable-native-access=ALL-UNNAMED");
  }

  /**
   * Writes (or, without access control, removes) {@code etc/access-control.properties}; returns the
   * server properties pointing at it.
   */
  static Map<String, String> writeAccessControl(Path etc, AccessControl accessControl) {
    Path file = etc.resolve("access-control.properties");
    if (accessControl == null) {
      try {
        // a previous run's file must not restrict this one
        Files.deleteIfExists(file);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot delete " + file, e);
      }
      return Map.of();
    }
    write(file, properties(accessControl.properties()));
    return Map.of("access-control.config-files", file.toString());
  }

  /**
   * Writes (or, without query audit, removes) {@code etc/event-listener.properties}; returns the
   * server properties pointing at it.
   */
  static Map<String, String> writeQueryAudit(Path etc, QueryAudit queryAudit) {
    Path file = etc.resolve("event-listener.properties");
    if (queryAudit == null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot delete " + file, e);
      }
      return Map.of();
    }
    write(file, properties(queryAudit.properties()));
    return Map.of("event-listener.config-files", file.toString());
  }

  private static void clearCatalogs(Path catalogDir) throws IOException {
    try (var files = Files.list(catalogDir)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".properties")).toList()) {
        Files.delete(f);
      }
    }
  }

  private static String properties(Map<String, String> props) {
    StringBuilder text =
        new StringBuilder("# Written by Tarn at every Trino start; edits are lost.\n");
    props.forEach((k, v) -> text.append(k).append('=').append(TrinoCatalog.escape(v)).append('\n'));
    return text.toString();
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }

  /** Catalog files may hold passwords and tokens: readable by the owner only. */
  private static void writeSecret(Path file, String text) {
    try {
      Files.deleteIfExists(file);
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot find a free port on " + HOST + " for Trino", e);
    }
  }

  private void awaitReady(Path log) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request =
        HttpRequest.newBuilder(uri().resolve("/v1/info")).timeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            String.format(
                "Cannot start Trino in %s: process exited with code %d%s",
                dataDir, process.exitValue(), ChildProcess.tailSection(log, 40)));
      }
      try {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200 && READY.matcher(response.body()).find()) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Cannot start Trino: interrupted", e);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            String.format(
                "Cannot start Trino in %s: not ready within %d s%s",
                dataDir, START_TIMEOUT.toSeconds(), ChildProcess.tailSection(log, 40)));
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Cannot start Trino: interrupted", e);
      }
    }
  }

  /** The server's HTTP address, {@code http://127.0.0.1:<port>}. */
  public URI uri() {
    return URI.create("http://" + HOST + ":" + port);
  }

  /** The JDBC URL for trino-jdbc; the user name is free-form (no authentication). */
  public String jdbcUrl() {
    return "jdbc:trino://" + HOST + ":" + port;
  }

  public long pid() {
    return process.pid();
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Stops Trino (SIGTERM: Trino shuts down gracefully), or kills it after 30 s. */
  @Override
  public void close() {
    process.close();
  }

  @Override
  public String toString() {
    return "TrinoServer{" + uri() + ", pid " + process.pid() + ", " + dataDir + "}";
  }
}
