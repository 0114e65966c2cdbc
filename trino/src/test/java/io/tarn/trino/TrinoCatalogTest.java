package io.tarn.trino;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class TrinoCatalogTest {
  @Test
  void mapsAPostgresJdbcCatalogOnLocalFiles() {
    TrinoCatalog catalog =
        TrinoCatalog.iceberg(
            "tarn",
            "lake",
            Map.of(
                "uri", "jdbc:postgresql://127.0.0.1:5433/tarn",
                "warehouse", "file:/data/warehouse",
                "jdbc.user", "tarn",
                "jdbc.password", "s3cret",
                "jdbc.schema-version", "V1"));

    assertThat(catalog.properties())
        .containsEntry("connector.name", "iceberg")
        .containsEntry("iceberg.catalog.type", "jdbc")
        .containsEntry(
            "iceberg.jdbc-catalog.connection-url", "jdbc:postgresql://127.0.0.1:5433/tarn")
        .containsEntry("iceberg.jdbc-catalog.catalog-name", "lake")
        .containsEntry("iceberg.jdbc-catalog.connection-user", "tarn")
        .containsEntry("iceberg.jdbc-catalog.connection-password", "s3cret")
        .containsEntry("iceberg.jdbc-catalog.default-warehouse-dir", "file:/data/warehouse")
        .containsEntry("fs.native-local.enabled", "true")
        .containsEntry("local.location", "/");
    assertThat(catalog.toString()).doesNotContain("s3cret");
  }

  @Test
  void mapsARestCatalogOnS3() {
    TrinoCatalog catalog =
        TrinoCatalog.iceberg(
            "lake",
            "ignored",
            Map.of(
                "uri", "http://127.0.0.1:8181/",
                "token", "t0ken",
                "warehouse", "s3://bucket/lake",
                "s3.endpoint", "http://minio:9000",
                "s3.path-style-access", "true",
                "s3.access-key-id", "key",
                "s3.secret-access-key", "secret"));

    assertThat(catalog.properties())
        .containsEntry("iceberg.catalog.type", "rest")
        .containsEntry("iceberg.rest-catalog.uri", "http://127.0.0.1:8181/")
        .containsEntry("iceberg.rest-catalog.security", "OAUTH2")
        .containsEntry("iceberg.rest-catalog.oauth2.token", "t0ken")
        .containsEntry("fs.native-s3.enabled", "true")
        .containsEntry("s3.endpoint", "http://minio:9000")
        .containsEntry("s3.path-style-access", "true")
        .containsEntry("s3.aws-access-key", "key")
        .containsEntry("s3.aws-secret-key", "secret")
        .containsEntry("s3.region", "us-east-1");
    assertThat(catalog.text()).contains("iceberg.catalog.type=rest\n");
  }

  @Test
  void mapsTheJobSettingsOfAnS3Lake() {
    TrinoCatalog catalog =
        TrinoCatalog.lake(
            "lake",
            Map.of(
                "catalog.name", "tarn_s3",
                "catalog.uri", "jdbc:postgresql://db:5432/lake",
                "catalog.jdbc.user", "tarn",
                "catalog.jdbc.password", "pw",
                "catalog.warehouse", "s3://bucket/warehouse",
                "s3.endpoint", "http://127.0.0.1:9000",
                "s3.path-style-access", "true",
                "s3.region", "eu-west-1",
                "s3.access-key-id", "key",
                "s3.secret-access-key", "secret"));

    assertThat(catalog.properties())
        .containsEntry("iceberg.catalog.type", "jdbc")
        .containsEntry("iceberg.jdbc-catalog.catalog-name", "tarn_s3")
        .containsEntry("iceberg.jdbc-catalog.connection-password", "pw")
        .containsEntry("iceberg.jdbc-catalog.default-warehouse-dir", "s3://bucket/warehouse")
        .containsEntry("fs.native-s3.enabled", "true")
        .containsEntry("s3.endpoint", "http://127.0.0.1:9000")
        .containsEntry("s3.path-style-access", "true")
        .containsEntry("s3.region", "eu-west-1")
        .containsEntry("s3.aws-access-key", "key")
        .containsEntry("s3.aws-secret-key", "secret")
        .doesNotContainKey("fs.native-local.enabled");
  }

  /** The compose catalog file is what TrinoCatalog makes of the compose jobs' settings. */
  @Test
  void theShippedComposeCatalogMatchesTheJobsSettings() throws IOException {
    Map<String, String> jobs = load(Path.of("../deploy/compose/jobs.properties"));
    Map<String, String> shipped = load(Path.of("../deploy/compose/trino/catalog/tarn.properties"));
    // secrets come from the environment there: ${ENV:...}
    Map<String, String> withSecrets = new HashMap<>(jobs);
    withSecrets.put(
        "catalog.jdbc.password", shipped.get("iceberg.jdbc-catalog.connection-password"));
    withSecrets.put("s3.access-key-id", shipped.get("s3.aws-access-key"));
    withSecrets.put("s3.secret-access-key", shipped.get("s3.aws-secret-key"));
    assertThat(shipped.get("s3.aws-secret-key")).startsWith("${ENV:");

    assertThat(TrinoCatalog.lake("tarn", withSecrets).properties()).isEqualTo(shipped);
  }

  private static Map<String, String> load(Path file) throws IOException {
    Properties props = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      props.load(in);
    }
    Map<String, String> map = new HashMap<>();
    props.stringPropertyNames().forEach(k -> map.put(k, props.getProperty(k)));
    return map;
  }

  @Test
  void refusesCatalogsTrinoCannotOpenNamingWhy() {
    assertThatThrownBy(
            () ->
                TrinoCatalog.iceberg(
                    "tarn", "tarn", Map.of("uri", "jdbc:sqlite:/x.db", "warehouse", "file:/w")))
        .hasMessageContaining("jdbc:sqlite:/x.db")
        .hasMessageContaining("SQLite");
    assertThatThrownBy(
            () -> TrinoCatalog.iceberg("tarn", "tarn", Map.of("uri", "http://127.0.0.1:1/")))
        .hasMessageContaining("'warehouse' is missing");
    assertThatThrownBy(() -> new TrinoCatalog("Bad-Name", Map.of()))
        .hasMessageContaining("Bad-Name");
  }
}
