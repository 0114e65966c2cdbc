package io.tarn.trino;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
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
