package io.tarn.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The layout of a local lake's folder (default {@code .tarn/}): one place for all its state. */
public record DataDir(Path root) {
  public DataDir {
    root = root.toAbsolutePath().normalize();
  }

  public Path kafka() {
    return root.resolve("kafka");
  }

  public Path registryStore() {
    return root.resolve("registry").resolve("schemas.json");
  }

  public Path catalogDb() {
    return root.resolve("catalog.db");
  }

  public Path warehouse() {
    return root.resolve("warehouse");
  }

  public Path checkpoints(String job) {
    return root.resolve("checkpoints").resolve(job);
  }

  public Path savepoints(String job) {
    return root.resolve("savepoints").resolve(job);
  }

  /** cdc-capture's offsets and schema history when {@code ./tarn local --cdc} runs it. */
  public Path cdc() {
    return root.resolve("cdc");
  }

  /** The Iceberg REST catalog server's folder: its token, configuration and logs. */
  public Path restCatalog() {
    return root.resolve("rest-catalog");
  }

  /** Erasure certificates, one JSON file each. */
  public Path erasures() {
    return root.resolve("erasures");
  }

  /** The secret key of the subjects' keyed hashes in erasure certificates and audit events. */
  public Path erasureKey() {
    return root.resolve("secrets").resolve("erasure.key");
  }

  /**
   * The HMAC key of this lake's PII tokens (base64, 32 random bytes), made at first use and kept
   * owner-only: tokens stay joinable across runs of the same lake.
   */
  public String piiTokenKey() {
    Path file = root.resolve("pii-token-key");
    try {
      if (!Files.exists(file)) {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        Files.createDirectories(root);
        Files.writeString(file, java.util.Base64.getEncoder().encodeToString(key));
        Files.setPosixFilePermissions(
            file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      }
      return Files.readString(file).trim();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot make the PII token key " + file, e);
    }
  }

  public Path logs() {
    return root.resolve("logs");
  }

  /** The lake's Iceberg catalog (a SQLite file) and warehouse folder. */
  public io.tarn.jobs.lake.Lake lake() {
    return new io.tarn.jobs.lake.Lake("tarn", catalogProperties());
  }

  public java.util.Map<String, String> catalogProperties() {
    return java.util.Map.of(
        "uri", "jdbc:sqlite:" + catalogDb(),
        "warehouse", "file:" + warehouse(),
        "jdbc.schema-version", "V1");
  }

  public boolean exists() {
    return Files.isRegularFile(catalogDb());
  }

  public DataDir create() {
    try {
      Files.createDirectories(registryStore().getParent());
      Files.createDirectories(warehouse());
      Files.createDirectories(logs());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the local lake folder " + root, e);
    }
    return this;
  }
}
