package io.tarn.trino;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One catalog file of a Trino server ({@code etc/catalog/<name>.properties}): the Iceberg connector
 * over the lake's catalog. Built from the same Iceberg catalog properties the Tarn jobs use, so
 * Trino and Flink always read one catalog.
 *
 * @param name the Trino catalog name, as in {@code SELECT * FROM <name>.silver.shop_orders}
 * @param properties the connector properties; may hold secrets (passwords, tokens)
 */
public record TrinoCatalog(String name, Map<String, String> properties) {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

  public TrinoCatalog {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "Cannot configure Trino catalog '" + name + "': names are [a-z][a-z0-9_]*");
    }
    properties = Map.copyOf(properties);
  }

  /**
   * The Iceberg connector over the lake a Tarn job configuration describes, with the keys of {@code
   * ./tarn config}: {@code catalog.name}, {@code catalog.uri}, {@code catalog.jdbc.user}, {@code
   * catalog.jdbc.password}, {@code catalog.warehouse} and the S3 settings {@code s3.endpoint},
   * {@code s3.path-style-access}, {@code s3.region}, {@code s3.access-key-id}, {@code
   * s3.secret-access-key}. Without keys Trino uses the default AWS credential chain; the region
   * defaults to us-east-1 (what S3-compatible stores accept).
   */
  public static TrinoCatalog lake(String name, Map<String, String> settings) {
    for (String key : List.of("catalog.uri", "catalog.warehouse")) {
      if (settings.get(key) == null || settings.get(key).isBlank()) {
        throw new IllegalArgumentException(
            String.format(
                "Cannot configure Trino catalog '%s': setting '%s' is missing", name, key));
      }
    }
    Map<String, String> iceberg = new TreeMap<>();
    copy(settings, "catalog.uri", iceberg, "uri");
    String warehouse = settings.get("catalog.warehouse");
    // a plain path, as the jobs accept it, is a local folder
    iceberg.put(
        "warehouse",
        warehouse.contains(":")
            ? warehouse
            : "file:" + java.nio.file.Path.of(warehouse).toAbsolutePath());
    copy(settings, "catalog.jdbc.user", iceberg, "jdbc.user");
    copy(settings, "catalog.jdbc.password", iceberg, "jdbc.password");
    for (String key :
        List.of(
            "s3.endpoint", "s3.path-style-access", "s3.access-key-id", "s3.secret-access-key")) {
      copy(settings, key, iceberg, key);
    }
    copy(settings, "s3.region", iceberg, "client.region");
    return iceberg(name, settings.getOrDefault("catalog.name", "tarn"), iceberg);
  }

  /**
   * The Iceberg connector over an Iceberg catalog given as the Tarn jobs configure it: {@code uri}
   * (a PostgreSQL JDBC URL, or the http(s) URL of a REST catalog), {@code warehouse}, and
   * optionally {@code jdbc.user} / {@code jdbc.password} or {@code token}, and the S3 settings of
   * Iceberg's S3FileIO ({@code s3.endpoint}, {@code s3.path-style-access}, {@code
   * s3.access-key-id}, {@code s3.secret-access-key}, {@code client.region}).
   *
   * @param icebergCatalogName the name the JDBC catalog stores tables under (the jobs' {@code
   *     catalog.name}); unused for REST
   */
  public static TrinoCatalog iceberg(
      String name, String icebergCatalogName, Map<String, String> iceberg) {
    String uri = required(iceberg, "uri", name);
    String warehouse = required(iceberg, "warehouse", name);
    Map<String, String> props = new TreeMap<>();
    props.put("connector.name", "iceberg");
    if (uri.startsWith("jdbc:postgresql:")) {
      props.put("iceberg.catalog.type", "jdbc");
      props.put("iceberg.jdbc-catalog.driver-class", "org.postgresql.Driver");
      props.put("iceberg.jdbc-catalog.connection-url", uri);
      props.put("iceberg.jdbc-catalog.catalog-name", icebergCatalogName);
      props.put("iceberg.jdbc-catalog.default-warehouse-dir", warehouse);
      copy(iceberg, "jdbc.user", props, "iceberg.jdbc-catalog.connection-user");
      copy(iceberg, "jdbc.password", props, "iceberg.jdbc-catalog.connection-password");
    } else if (uri.startsWith("http://") || uri.startsWith("https://")) {
      props.put("iceberg.catalog.type", "rest");
      props.put("iceberg.rest-catalog.uri", uri);
      if (iceberg.containsKey("token")) {
        props.put("iceberg.rest-catalog.security", "OAUTH2");
        props.put("iceberg.rest-catalog.oauth2.token", iceberg.get("token"));
      }
    } else {
      // Trino's JDBC catalog ships only the PostgreSQL driver
      throw new IllegalArgumentException(
          String.format(
              "Cannot configure Trino catalog '%s': catalog uri %s is neither PostgreSQL"
                  + " (jdbc:postgresql:...) nor an Iceberg REST catalog (http://...); Trino"
                  + " cannot open other JDBC catalogs such as SQLite",
              name, uri.replaceAll("(?i)password=[^&;]*", "password=***")));
    }
    fileSystem(warehouse, iceberg, props, name);
    return new TrinoCatalog(name, props);
  }

  private static void fileSystem(
      String warehouse, Map<String, String> iceberg, Map<String, String> props, String name) {
    if (warehouse.startsWith("file:") || warehouse.startsWith("/")) {
      // table locations are absolute file: URIs; local.location=/ resolves them as they are
      props.put("fs.native-local.enabled", "true");
      props.put("local.location", "/");
    } else if (warehouse.startsWith("s3://") || warehouse.startsWith("s3a://")) {
      props.put("fs.native-s3.enabled", "true");
      copy(iceberg, "s3.endpoint", props, "s3.endpoint");
      copy(iceberg, "s3.path-style-access", props, "s3.path-style-access");
      copy(iceberg, "s3.access-key-id", props, "s3.aws-access-key");
      copy(iceberg, "s3.secret-access-key", props, "s3.aws-secret-key");
      props.put("s3.region", iceberg.getOrDefault("client.region", "us-east-1"));
    } else {
      throw new IllegalArgumentException(
          String.format(
              "Cannot configure Trino catalog '%s': warehouse %s is neither file: nor s3://",
              name, warehouse));
    }
  }

  private static String required(Map<String, String> iceberg, String key, String name) {
    String value = iceberg.get(key);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot configure Trino catalog '%s': Iceberg catalog property '%s' is missing",
              name, key));
    }
    return value;
  }

  private static void copy(
      Map<String, String> from, String key, Map<String, String> to, String trinoKey) {
    String value = from.get(key);
    if (value != null && !value.isEmpty()) {
      to.put(trinoKey, value);
    }
  }

  /** The catalog file's text, keys sorted. */
  String text() {
    StringBuilder text =
        new StringBuilder("# Written by Tarn at every Trino start; edits are lost.\n");
    new TreeMap<>(properties)
        .forEach((k, v) -> text.append(k).append('=').append(escape(v)).append('\n'));
    return text.toString();
  }

  static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\n", "\\n");
  }

  @Override
  public String toString() {
    return "TrinoCatalog{" + name + "}"; // properties may hold secrets
  }
}
