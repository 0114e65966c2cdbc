package io.tarn.catalog.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.NotAuthorizedException;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.rest.auth.OAuth2Util;
import org.apache.iceberg.rest.responses.ConfigResponseParser;
import org.apache.iceberg.rest.responses.ErrorResponse;
import org.apache.iceberg.rest.responses.ErrorResponseParser;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real server (child JVM, Jetty, Iceberg's REST servlet) over a SQLite JDBC catalog, driven by
 * Iceberg's own {@link RESTCatalog} client and by plain HTTP; the same SQLite file is read and
 * written through {@link JdbcCatalog} directly, as the Flink jobs do.
 */
class RestCatalogServerIT {
  private static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.optional(2, "name", Types.StringType.get()));

  @TempDir static Path dir;
  private static RestCatalogServer server;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    server = RestCatalogServer.start(dir.resolve("rest-catalog"), "tarn", catalogProperties());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static Map<String, String> catalogProperties() {
    return Map.of(
        "uri", "jdbc:sqlite:" + dir.resolve("catalog.db"),
        "warehouse", "file:" + dir.resolve("warehouse"),
        "jdbc.schema-version", "V1");
  }

  @Test
  void restClientCreatesCommitsEvolvesAndDropsTablesSharedWithTheJdbcCatalog() throws Exception {
    TableIdentifier id = TableIdentifier.of("bronze", "events");
    try (RESTCatalog rest = restCatalog(Map.of("token", server.token()));
        JdbcCatalog jdbc = jdbcCatalog()) {
      rest.createNamespace(Namespace.of("bronze"));
      Table created = rest.createTable(id, SCHEMA, PartitionSpec.unpartitioned());
      assertThat(rest.listTables(Namespace.of("bronze"))).contains(id);
      assertThat(jdbc.listTables(Namespace.of("bronze"))).contains(id);

      DataFile file = writeParquet(created, List.of(1L, 2L, 3L));
      rest.loadTable(id).newAppend().appendFile(file).commit();
      rest.loadTable(id).updateSchema().addColumn("note", Types.StringType.get()).commit();

      Table seenByJdbc = jdbc.loadTable(id);
      assertThat(seenByJdbc.schema().findField("note")).isNotNull();
      assertThat(seenByJdbc.currentSnapshot()).isNotNull();
      assertThat(ids(seenByJdbc)).containsExactlyInAnyOrder(1L, 2L, 3L);

      // and the other way round: what the JDBC catalog writes, the REST client sees
      TableIdentifier fromJdbc = TableIdentifier.of("bronze", "from_jdbc");
      Table jdbcTable = jdbc.createTable(fromJdbc, SCHEMA, PartitionSpec.unpartitioned());
      jdbcTable.newAppend().appendFile(writeParquet(jdbcTable, List.of(7L))).commit();
      assertThat(rest.listTables(Namespace.of("bronze"))).contains(id, fromJdbc);
      assertThat(ids(rest.loadTable(fromJdbc))).containsExactly(7L);

      assertThat(rest.dropTable(id, false)).isTrue();
      assertThat(jdbc.tableExists(id)).isFalse();
      assertThat(rest.listTables(Namespace.of("bronze"))).containsExactly(fromJdbc);
      assertThatThrownBy(() -> rest.loadTable(id)).isInstanceOf(NoSuchTableException.class);
    }
  }

  @Test
  void rejectsRequestsWithoutAValidToken() throws Exception {
    HttpResponse<String> none = get("v1/config", null);
    assertThat(none.statusCode()).isEqualTo(401);
    ErrorResponse error = ErrorResponseParser.fromJson(none.body());
    assertThat(error.code()).isEqualTo(401);
    assertThat(error.type()).isEqualTo("NotAuthorizedException");

    HttpResponse<String> wrong = get("v1/namespaces", "Bearer " + server.token() + "x");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).doesNotContain(server.token());
    assertThat(get("v1/namespaces", "Basic " + server.token()).statusCode()).isEqualTo(401);

    assertThatThrownBy(() -> restCatalog(Map.of("token", "not-the-token")).close())
        .isInstanceOf(NotAuthorizedException.class);
    assertThatThrownBy(() -> restCatalog(Map.of()).close())
        .isInstanceOf(NotAuthorizedException.class);
  }

  @Test
  void configCarriesTheWarehouse() throws Exception {
    HttpResponse<String> config = get("v1/config", "Bearer " + server.token());
    assertThat(config.statusCode()).isEqualTo(200);
    assertThat(ConfigResponseParser.fromJson(config.body()).defaults())
        .containsEntry("warehouse", catalogProperties().get("warehouse"));
  }

  @Test
  void oauthClientCredentialsExchangeTheTokenAsSecret() throws Exception {
    HttpResponse<String> issued =
        postForm(
            "grant_type=client_credentials&client_id=trino&client_secret="
                + server.token()
                + "&scope=catalog");
    assertThat(issued.statusCode()).isEqualTo(200);
    assertThat(OAuth2Util.tokenResponseFromJson(issued.body()).token()).isEqualTo(server.token());

    HttpResponse<String> refused =
        postForm("grant_type=client_credentials&client_id=trino&client_secret=guess");
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.body()).contains("invalid_client").doesNotContain(server.token());
    assertThat(postForm("grant_type=password&username=a&password=b").statusCode()).isEqualTo(400);

    // Iceberg's own client with a credential, as Trino's and PyIceberg's configurations do
    try (RESTCatalog rest = restCatalog(Map.of("credential", "tarn:" + server.token()))) {
      rest.createNamespace(Namespace.of("silver"));
      assertThat(rest.listNamespaces()).contains(Namespace.of("silver"));
    }
    assertThatThrownBy(() -> restCatalog(Map.of("credential", "tarn:guess")).close())
        .isInstanceOf(NotAuthorizedException.class);
  }

  @Test
  void tokenIsPrivateNeverLoggedAndKeptWithThePortAcrossRestarts() throws Exception {
    Path folder = dir.resolve("restarted");
    Map<String, String> props =
        Map.of(
            "uri", "jdbc:sqlite:" + dir.resolve("restarted.db"),
            "warehouse", "file:" + dir.resolve("warehouse"),
            "jdbc.schema-version", "V1");
    String token;
    int port;
    try (RestCatalogServer first = RestCatalogServer.start(folder, "tarn", props)) {
      token = first.token();
      port = first.port();
      assertThat(get(first, "v1/namespaces", "Bearer " + token).statusCode()).isEqualTo(200);
    }
    try (RestCatalogServer second = RestCatalogServer.start(folder, "tarn", props)) {
      assertThat(second.token()).isEqualTo(token);
      assertThat(second.port()).isEqualTo(port);
      assertThat(second.uri().toString()).isEqualTo("http://127.0.0.1:" + port + "/");
      assertThat(get(second, "v1/namespaces", "Bearer " + token).statusCode()).isEqualTo(200);
    }
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.resolve("token"))))
        .isEqualTo("rw-------");
    for (String log : List.of("catalog-server.log", "catalog-server.out")) {
      assertThat(Files.readString(folder.resolve(log))).doesNotContain(token);
    }
    assertThat(Files.readString(folder.resolve("catalog-server.log")))
        .contains("serving on http://127.0.0.1:" + port);
  }

  @Test
  void failsFastOnAMissingCatalogProperty() {
    assertThatThrownBy(
            () ->
                RestCatalogServer.start(
                    dir.resolve("bad"), "tarn", Map.of("uri", "jdbc:sqlite:" + dir.resolve("x"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'warehouse'");
  }

  private static RESTCatalog restCatalog(Map<String, String> auth) {
    RESTCatalog rest = new RESTCatalog();
    rest.setConf(new Configuration());
    Map<String, String> props = new java.util.HashMap<>(auth);
    props.put("uri", server.uri().toString());
    rest.initialize("rest", props);
    return rest;
  }

  private static JdbcCatalog jdbcCatalog() {
    return (JdbcCatalog)
        CatalogUtil.buildIcebergCatalog(
            "tarn",
            Map.of(
                "type",
                "jdbc",
                "uri",
                catalogProperties().get("uri"),
                "warehouse",
                catalogProperties().get("warehouse"),
                "jdbc.schema-version",
                "V1"),
            new Configuration());
  }

  private static DataFile writeParquet(Table table, List<Long> ids) throws IOException {
    String location = table.locationProvider().newDataLocation(UUID.randomUUID() + ".parquet");
    DataWriter<Record> writer =
        Parquet.writeData(table.io().newOutputFile(location))
            .schema(table.schema())
            .createWriterFunc(GenericParquetWriter::create)
            .withSpec(table.spec())
            .overwrite()
            .build();
    try (writer) {
      for (long value : ids) {
        GenericRecord row = GenericRecord.create(table.schema());
        row.setField("id", value);
        row.setField("name", "row " + value);
        writer.write(row);
      }
    }
    return writer.toDataFile();
  }

  /** The ids in the table's current snapshot, read from its Parquet files as planned by a scan. */
  private static List<Long> ids(Table table) throws IOException {
    List<Long> ids = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask task : tasks) {
        try (CloseableIterable<Record> rows =
            Parquet.read(table.io().newInputFile(task.file().location()))
                .project(table.schema())
                .createReaderFunc(
                    fileSchema -> GenericParquetReaders.buildReader(table.schema(), fileSchema))
                .build()) {
          rows.forEach(r -> ids.add((Long) r.getField("id")));
        }
      }
    }
    return ids;
  }

  private static HttpResponse<String> get(String path, String authorization) throws Exception {
    return get(server, path, authorization);
  }

  private static HttpResponse<String> get(RestCatalogServer target, String path, String auth)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(target.uri().resolve(path)).GET();
    if (auth != null) {
      request.header("Authorization", auth);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> postForm(String form) throws Exception {
    return http.send(
        HttpRequest.newBuilder(server.uri().resolve("v1/oauth/tokens"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
