package io.tarn.catalog.server;

import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.rest.RESTCatalogServlet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalog server's JVM (started by {@link RestCatalogServer}): Jetty on {@code host:port}
 * running Iceberg's {@code RESTCatalogServlet} behind a {@link BearerTokenFilter}, over a JDBC
 * catalog. Its only argument is the server's folder.
 */
public final class CatalogServerMain {
  private static final Logger LOG = LoggerFactory.getLogger(CatalogServerMain.class);

  /**
   * Request threads. Each holds a JDBC connection only while it reads or commits; more threads than
   * connections would only queue inside the server instead of in Jetty's queue.
   */
  private static final int MAX_THREADS = 16;

  private CatalogServerMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("Usage: CatalogServerMain <server folder>");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    Properties config = RestCatalogServer.read(dir.resolve(RestCatalogServer.SERVER_PROPERTIES));
    AccessToken token = AccessToken.loadOrCreate(dir.resolve(RestCatalogServer.TOKEN_FILE));
    Map<String, String> catalogProperties = catalogProperties(config);
    Catalog catalog =
        CatalogUtil.buildIcebergCatalog(
            config.getProperty("name"), catalogProperties, new Configuration());

    QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 4);
    threads.setName("rest-catalog");
    Server server = new Server(threads);
    ServerConnector connector = new ServerConnector(server);
    connector.setHost(config.getProperty("host"));
    connector.setPort(Integer.parseInt(config.getProperty("port")));
    server.addConnector(connector);

    ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
    context.setContextPath("/");
    context.addFilter(
        new FilterHolder(new BearerTokenFilter(token)), "/*", EnumSet.of(DispatcherType.REQUEST));
    LakeCatalogAdapter adapter =
        new LakeCatalogAdapter(
            catalog,
            Map.of(
                CatalogProperties.WAREHOUSE_LOCATION,
                catalogProperties.get(CatalogProperties.WAREHOUSE_LOCATION)));
    context.addServlet(new ServletHolder(new RESTCatalogServlet(adapter)), "/*");
    server.setHandler(context);
    server.setStopTimeout(10_000);
    server.setStopAtShutdown(true);
    server.start();

    int port = connector.getLocalPort();
    writeEndpoint(dir, port);
    LOG.info(
        "Iceberg REST catalog '{}' serving on http://{}:{}/ (warehouse {})",
        config.getProperty("name"),
        config.getProperty("host"),
        port,
        catalogProperties.get(CatalogProperties.WAREHOUSE_LOCATION));
    server.join();
    adapter.close();
  }

  static Map<String, String> catalogProperties(Properties config) {
    Map<String, String> props = new HashMap<>();
    for (String key : config.stringPropertyNames()) {
      if (key.startsWith(RestCatalogServer.CATALOG_PREFIX)) {
        props.put(
            key.substring(RestCatalogServer.CATALOG_PREFIX.length()), config.getProperty(key));
      }
    }
    if (!props.containsKey(CatalogProperties.CATALOG_IMPL) && !props.containsKey("type")) {
      props.put("type", "jdbc");
    }
    // The Flink jobs write the same SQLite file: wait for their write lock rather than fail.
    props.putIfAbsent("jdbc.busy_timeout", "10000");
    props.putIfAbsent(CatalogProperties.CLIENT_POOL_SIZE, "4");
    return props;
  }

  /** Written atomically once Jetty listens: the parent waits for this file. */
  private static void writeEndpoint(Path dir, int port) {
    Properties endpoint = new Properties();
    endpoint.setProperty("port", Integer.toString(port));
    endpoint.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
    Path file = dir.resolve(RestCatalogServer.ENDPOINT_PROPERTIES);
    Path tmp = dir.resolve(RestCatalogServer.ENDPOINT_PROPERTIES + ".tmp");
    try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      endpoint.store(out, "Written by io.tarn.catalog.server.CatalogServerMain when listening");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + tmp, e);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }
}
