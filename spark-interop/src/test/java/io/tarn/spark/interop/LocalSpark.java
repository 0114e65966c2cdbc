package io.tarn.spark.interop;

import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/** The Spark the interop tests read with: local mode, one thread, no UI, bound to 127.0.0.1. */
final class LocalSpark {
  private LocalSpark() {}

  /** A session builder with its own Spark warehouse under {@code dir}; callers add settings. */
  static SparkSession.Builder builder(String appName, Path dir) {
    return SparkSession.builder()
        .master("local[1]")
        .appName(appName)
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.sql.warehouse.dir", dir.resolve("spark-warehouse").toString());
  }
}
