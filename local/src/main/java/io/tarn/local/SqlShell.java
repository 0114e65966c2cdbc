package io.tarn.local;

import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;

/**
 * {@code ./tarn sql}: Flink SQL in batch mode over the lake's catalog, current catalog {@code
 * tarn}, so {@code SELECT * FROM silver.orders} works as written.
 */
final class SqlShell {
  private SqlShell() {}

  static void run(DataDir dataDir, String sql) {
    TableEnvironment tables = TableEnvironment.create(EnvironmentSettings.inBatchMode());
    tables.getConfig().set("parallelism.default", "1");
    tables.executeSql(createCatalog("tarn", dataDir.catalogProperties()));
    tables.useCatalog("tarn");
    tables.executeSql(sql).print();
  }

  static String createCatalog(String name, Map<String, String> properties) {
    String options =
        properties.entrySet().stream()
            .map(e -> "'" + escape(e.getKey()) + "'='" + escape(e.getValue()) + "'")
            .collect(Collectors.joining(", "));
    return "CREATE CATALOG `"
        + name.replace("`", "``")
        + "` WITH ('type'='iceberg', 'catalog-impl'='org.apache.iceberg.jdbc.JdbcCatalog', "
        + options
        + ")";
  }

  private static String escape(String s) {
    return s.replace("'", "''");
  }
}
