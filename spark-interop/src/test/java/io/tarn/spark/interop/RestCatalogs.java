package io.tarn.spark.interop;

import io.tarn.catalog.server.RestCatalogServer;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.rest.RESTCatalog;

/** How Spark and Iceberg's own client are pointed at a Tarn REST catalog, as a user would. */
final class RestCatalogs {
  private RestCatalogs() {}

  /**
   * Tarn's REST catalog server over the SQLite JDBC catalog {@code catalogDb}, keeping its own
   * state (token, port) in {@code serverDir}; the caller closes it.
   */
  static RestCatalogServer server(Path serverDir, Path catalogDb, String warehouse) {
    return RestCatalogServer.start(
        serverDir,
        "tarn",
        Map.of(
            "uri",
            "jdbc:sqlite:" + catalogDb,
            "warehouse",
            warehouse,
            "jdbc.schema-version",
            "V1"));
  }

  /** The {@code spark.sql.catalog.<name>.*} settings of a Spark catalog over the REST catalog. */
  static Map<String, String> sparkCatalog(String name, String uri, String token, String warehouse) {
    String prefix = "spark.sql.catalog." + name;
    return Map.of(
        prefix,
        "org.apache.iceberg.spark.SparkCatalog",
        prefix + ".type",
        "rest",
        prefix + ".uri",
        uri,
        prefix + ".warehouse",
        warehouse,
        prefix + ".rest.auth.type",
        "oauth2",
        prefix + ".oauth2-server-uri",
        uri + "v1/oauth/tokens",
        prefix + ".token",
        token);
  }

  /** Iceberg's own REST client over {@code server}; the caller closes it. */
  static RESTCatalog client(RestCatalogServer server) {
    RESTCatalog rest = new RESTCatalog();
    rest.setConf(new Configuration());
    String uri = server.uri().toString();
    rest.initialize(
        "tarn",
        Map.of(
            "uri",
            uri,
            "rest.auth.type",
            "oauth2",
            "oauth2-server-uri",
            uri + "v1/oauth/tokens",
            // scans would report metrics after the test closed the client and its server
            "rest-metrics-reporting-enabled",
            "false",
            "token",
            server.token()));
    return rest;
  }
}
