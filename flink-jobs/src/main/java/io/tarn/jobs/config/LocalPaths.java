package io.tarn.jobs.config;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks local catalog and warehouse paths up front, so a typo fails at startup, not mid-commit.
 */
final class LocalPaths {
  private LocalPaths() {}

  static void checkCatalogUri(String uri) {
    if (!uri.startsWith("jdbc:sqlite:")) {
      return;
    }
    Path file = Path.of(uri.substring("jdbc:sqlite:".length())).toAbsolutePath();
    Path dir = file.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new ConfigException(
          "Cannot configure Tarn: key 'catalog.uri' points at %s but folder %s does not exist",
          file, dir);
    }
    if (Files.isDirectory(file)) {
      throw new ConfigException(
          "Cannot configure Tarn: key 'catalog.uri' points at %s, which is a folder, not a file",
          file);
    }
  }

  static void checkWarehouse(String warehouse) {
    if (warehouse.contains("://") && !warehouse.startsWith("file:")) {
      return;
    }
    Path dir = Path.of(warehouse.replaceFirst("^file:(//)?", "")).toAbsolutePath();
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new ConfigException(
          "Cannot configure Tarn: key 'catalog.warehouse' is %s, which is a file, not a folder",
          dir);
    }
    Path parent = dir.getParent();
    if (!Files.exists(dir) && (parent == null || !Files.isDirectory(parent))) {
      throw new ConfigException(
          "Cannot configure Tarn: key 'catalog.warehouse' is %s but its parent folder does not"
              + " exist",
          dir);
    }
  }
}
