package io.tarn.jobs.lake;

import io.tarn.jobs.config.JobConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.iceberg.flink.TableLoader;
import org.apache.iceberg.jdbc.JdbcCatalog;

/**
 * The lake: the Iceberg catalog every job writes through, and the table conventions shared by the
 * zones (format v2, zstd Parquet, bounded metadata history).
 */
public final class Lake {
  private final CatalogLoader loader;

  /**
   * The lake of {@code config}; an {@code s3://} warehouse is checked to be reachable first, so a
   * wrong bucket, endpoint or key fails here, naming the key, not at the first commit.
   */
  public Lake(JobConfig config) {
    this(config.get(JobConfig.CATALOG_NAME), catalogProperties(config));
    String warehouse = config.get(JobConfig.WAREHOUSE);
    if (S3Access.isS3(warehouse)) {
      S3Warehouse.parse(warehouse).check(S3Access.of(config));
    }
  }

  /**
   * A lake over a JDBC catalog given by its Iceberg properties ({@code uri}, {@code warehouse}).
   */
  public Lake(String catalogName, Map<String, String> catalogProperties) {
    this.loader =
        CatalogLoader.custom(
            catalogName, catalogProperties, new Configuration(), JdbcCatalog.class.getName());
  }

  /** The properties of the JDBC catalog, as Iceberg, Flink SQL and Trino name them. */
  public static Map<String, String> catalogProperties(JobConfig config) {
    Map<String, String> props = new HashMap<>();
    props.put("uri", config.get(JobConfig.CATALOG_URI));
    props.put("warehouse", warehouseLocation(config.get(JobConfig.WAREHOUSE)));
    props.put("jdbc.schema-version", "V1");
    if (S3Access.isS3(config.get(JobConfig.WAREHOUSE))) {
      props.putAll(S3Access.of(config).fileIoProperties());
    }
    String user = config.get(JobConfig.CATALOG_USER);
    if (user != null && !user.isEmpty()) {
      props.put("jdbc.user", user);
    }
    String password = config.get(JobConfig.CATALOG_PASSWORD);
    if (password != null) {
      props.put("jdbc.password", password);
    }
    props.putAll(config.withPrefix(JobConfig.CATALOG_PASSTHROUGH));
    return props;
  }

  public static String warehouseLocation(String warehouse) {
    if (warehouse.contains("://") || warehouse.startsWith("file:")) {
      return warehouse;
    }
    return "file:" + java.nio.file.Path.of(warehouse).toAbsolutePath();
  }

  public CatalogLoader catalogLoader() {
    return loader;
  }

  public TableLoader tableLoader(TableIdentifier id) {
    return TableLoader.fromCatalog(loader, id);
  }

  /**
   * Creates the table if it does not exist yet (concurrent creators are fine) and returns its
   * current schema.
   */
  public Schema createIfAbsent(
      TableIdentifier id, Schema schema, PartitionSpec spec, Map<String, String> extraProperties) {
    Catalog catalog = loader.loadCatalog();
    try {
      if (catalog instanceof SupportsNamespaces namespaces
          && !namespaces.namespaceExists(id.namespace())) {
        try {
          namespaces.createNamespace(id.namespace());
        } catch (AlreadyExistsException raced) {
          // another job created it first
        }
      }
      if (catalog.tableExists(id)) {
        return catalog.loadTable(id).schema();
      }
      Map<String, String> props = new HashMap<>(TABLE_PROPERTIES);
      props.putAll(extraProperties);
      try {
        return catalog
            .buildTable(id, schema)
            .withPartitionSpec(spec)
            .withProperties(props)
            .create()
            .schema();
      } catch (AlreadyExistsException raced) {
        return catalog.loadTable(id).schema();
      }
    } finally {
      closeQuietly(catalog);
    }
  }

  public static void closeQuietly(Catalog catalog) {
    if (catalog instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception ignored) {
        // closing a JDBC pool: nothing useful to do on failure
      }
    }
  }

  /** Every namespace the pipeline writes, in flow order. */
  public static final List<String> ZONES = List.of("bronze", "silver", "gold");

  /** Properties every table of the lake gets (a table's own properties come on top). */
  public static final Map<String, String> TABLE_PROPERTIES =
      Map.of(
          "format-version", "2",
          "write.parquet.compression-codec", "zstd",
          "write.metadata.delete-after-commit.enabled", "true",
          "write.metadata.previous-versions-max", "20",
          // An idle table gets no snapshot per checkpoint: empty commits are skipped until this
          // many in a row, which only serves to record the checkpoint id.
          "flink.max-continuous-empty-commits", "1000");
}
