package io.tarn.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tarn.schemas.DomainSchemas;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded registry and the REST client together, over real HTTP. */
class SchemaRegistryServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private SchemaRegistryServer server;
  private RestSchemaRegistry registry;

  @BeforeEach
  void start() {
    server = SchemaRegistryServer.start();
    registry = new RestSchemaRegistry(server.url());
  }

  @AfterEach
  void stop() {
    registry.close();
    server.close();
  }

  private static Schema user(String extraFields) {
    return new Schema.Parser()
        .parse(
            "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"io.tarn.test\",\"fields\":["
                + "{\"name\":\"id\",\"type\":\"string\"}"
                + extraFields
                + "]}");
  }

  @Test
  void registersIdempotently() {
    Schema schema = DomainSchemas.forTable("orders").schema();
    int id = registry.register("shop.orders-value", schema);
    assertThat(id).isEqualTo(1);
    // a fresh client has no cache, so the server itself must answer with the same id
    try (RestSchemaRegistry other = new RestSchemaRegistry(server.url())) {
      assertThat(other.register("shop.orders-value", new Schema.Parser().parse(schema.toString())))
          .isEqualTo(id);
      assertThat(other.versions("shop.orders-value")).containsExactly(1);
    }
  }

  @Test
  void sharesIdsOfIdenticalSchemasAcrossSubjects() {
    int first = registry.register("a-value", user(""));
    int other =
        registry.register("b-value", user(",{\"name\":\"x\",\"type\":\"int\",\"default\":0}"));
    int same = registry.register("c-value", user(""));
    assertThat(first).isEqualTo(1);
    assertThat(other).isEqualTo(2);
    assertThat(same).isEqualTo(first);
    assertThat(registry.subjects()).containsExactlyInAnyOrder("a-value", "b-value", "c-value");
  }

  @Test
  void returnsLatestVersionAndListsVersions() {
    Schema v1 = user("");
    Schema v2 = user(",{\"name\":\"email\",\"type\":[\"null\",\"string\"],\"default\":null}");
    int id1 = registry.register("users-value", v1);
    int id2 = registry.register("users-value", v2);
    SchemaVersion latest = registry.latest("users-value");
    assertThat(latest.subject()).isEqualTo("users-value");
    assertThat(latest.version()).isEqualTo(2);
    assertThat(latest.id()).isEqualTo(id2).isNotEqualTo(id1);
    assertThat(latest.schema()).isEqualTo(v2);
    assertThat(registry.versions("users-value")).containsExactly(1, 2);
    // registering an older version again finds it instead of adding a version
    assertThat(registry.register("users-value", v1)).isEqualTo(id1);
    assertThat(registry.versions("users-value")).containsExactly(1, 2);
  }

  @Test
  void fetchesSchemasById() {
    Schema schema = DomainSchemas.forTable("payments").schema();
    int id = registry.register("shop.payments-value", schema);
    try (RestSchemaRegistry other = new RestSchemaRegistry(server.url())) {
      Schema fetched = other.schemaById(id);
      assertThat(fetched).isEqualTo(schema);
      // the contract annotations survive the registry
      assertThat(fetched.getObjectProp("table")).isEqualTo("payments");
      assertThat(fetched.getField("card_number").getObjectProp("pii")).isEqualTo("card_number");
    }
  }

  @Test
  void backwardRejectsAddingFieldWithoutDefault() {
    registry.register("users-value", user(""));
    Schema breaking = user(",{\"name\":\"age\",\"type\":\"int\"}");
    assertThat(registry.isCompatible("users-value", breaking)).isFalse();
    assertThatThrownBy(() -> registry.register("users-value", breaking))
        .isInstanceOf(IncompatibleSchemaException.class)
        .hasMessageContaining("users-value")
        .hasMessageContaining("age")
        .satisfies(e -> assertThat(((SchemaRegistryException) e).errorCode()).isEqualTo(409));
    assertThat(registry.versions("users-value")).containsExactly(1);
  }

  @Test
  void tellsItsListenerOfRegistrationsAndRejections() {
    java.util.List<String> told = new java.util.concurrent.CopyOnWriteArrayList<>();
    server.listen(
        new SchemaRegistryServer.Listener() {
          @Override
          public void registered(String subject, int version, int id) {
            told.add("registered " + subject + " v" + version + " id " + id);
          }

          @Override
          public void rejected(String subject, String reason) {
            told.add("rejected " + subject + ": " + reason);
          }
        });
    int id = registry.register("users-value", user(""));
    registry.register("users-value", user("")); // same schema again: no new decision
    assertThatThrownBy(
        () -> registry.register("users-value", user(",{\"name\":\"x\",\"type\":\"int\"}")));
    assertThat(told).hasSize(2);
    assertThat(told.get(0)).isEqualTo("registered users-value v1 id " + id);
    assertThat(told.get(1)).startsWith("rejected users-value: ").contains("x");
  }

  @Test
  void backwardAcceptsAddingFieldWithDefaultAndRemovingField() {
    registry.register("users-value", user(",{\"name\":\"nick\",\"type\":\"string\"}"));
    Schema added =
        user(
            ",{\"name\":\"nick\",\"type\":\"string\"},{\"name\":\"age\",\"type\":\"int\",\"default\":0}");
    assertThat(registry.isCompatible("users-value", added)).isTrue();
    registry.register("users-value", added);
    // the new reader ignores a field old data still carries
    Schema removed = user(",{\"name\":\"age\",\"type\":\"int\",\"default\":0}");
    registry.register("users-value", removed);
    assertThat(registry.versions("users-value")).containsExactly(1, 2, 3);
  }

  @Test
  void forwardRejectsRemovingFieldWithoutDefault() throws Exception {
    registry.register("users-value", user(",{\"name\":\"nick\",\"type\":\"string\"}"));
    JsonNode config = http("PUT", "/config/users-value", "{\"compatibility\":\"FORWARD\"}");
    assertThat(config.path("compatibility").asText()).isEqualTo("FORWARD");
    // consumers still on the old schema need nick, which new data would no longer carry
    assertThatThrownBy(() -> registry.register("users-value", user("")))
        .isInstanceOf(IncompatibleSchemaException.class)
        .hasMessageContaining("nick");
  }

  @Test
  void transitiveLevelChecksEveryVersion() throws Exception {
    http("PUT", "/config", "{\"compatibility\":\"FULL_TRANSITIVE\"}");
    registry.register("users-value", user(""));
    registry.register("users-value", user(",{\"name\":\"a\",\"type\":\"int\",\"default\":1}"));
    registry.register(
        "users-value",
        user(
            ",{\"name\":\"a\",\"type\":\"int\",\"default\":1},{\"name\":\"b\",\"type\":\"int\",\"default\":1}"));
    assertThat(registry.versions("users-value")).containsExactly(1, 2, 3);
    JsonNode verbose =
        http(
            "POST",
            "/compatibility/subjects/users-value/versions?verbose=true",
            JSON.createObjectNode()
                .put("schema", user(",{\"name\":\"c\",\"type\":\"int\"}").toString())
                .toString());
    assertThat(verbose.path("is_compatible").asBoolean()).isFalse();
    assertThat(verbose.path("messages").toString()).contains("c");
  }

  @Test
  void noneAcceptsAnyChange() throws Exception {
    registry.register("users-value", user(",{\"name\":\"nick\",\"type\":\"string\"}"));
    http("PUT", "/config/users-value", "{\"compatibility\":\"NONE\"}");
    registry.register("users-value", user(",{\"name\":\"age\",\"type\":\"int\"}"));
    assertThat(registry.versions("users-value")).containsExactly(1, 2);
    assertThat(http("GET", "/config/users-value", null).path("compatibilityLevel").asText())
        .isEqualTo("NONE");
    assertThat(http("GET", "/config", null).path("compatibilityLevel").asText())
        .isEqualTo("BACKWARD");
  }

  @Test
  void rejectsUnknownCompatibilityLevel() throws Exception {
    HttpResponse<String> response = raw("PUT", "/config", "{\"compatibility\":\"SIDEWAYS\"}");
    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(JSON.readTree(response.body()).path("error_code").asInt()).isEqualTo(42203);
  }

  @Test
  void unknownSubjectIsCompatibleWithAnything() {
    assertThat(registry.isCompatible("new-value", user(""))).isTrue();
  }

  @Test
  void unknownIdThrowsUnknownSchemaException() {
    assertThatThrownBy(() -> registry.schemaById(4242))
        .isInstanceOf(UnknownSchemaException.class)
        .hasMessageContaining("4242")
        .satisfies(e -> assertThat(((SchemaRegistryException) e).errorCode()).isEqualTo(40403));
  }

  @Test
  void unknownSubjectThrowsUnknownSchemaException() {
    assertThatThrownBy(() -> registry.latest("nope-value"))
        .isInstanceOf(UnknownSchemaException.class)
        .hasMessageContaining("nope-value")
        .satisfies(e -> assertThat(((SchemaRegistryException) e).errorCode()).isEqualTo(40401));
    assertThatThrownBy(() -> registry.versions("nope-value"))
        .isInstanceOf(UnknownSchemaException.class);
  }

  @Test
  void answersErrorsInConfluentFormat() throws Exception {
    HttpResponse<String> response = raw("GET", "/subjects/missing-value/versions/latest", null);
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValue("application/vnd.schemaregistry.v1+json");
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.path("error_code").asInt()).isEqualTo(40401);
    assertThat(body.path("message").asText()).contains("missing-value");
  }

  @Test
  void rejectsInvalidSchema() {
    HttpResponse<String> response;
    try {
      response =
          raw(
              "POST",
              "/subjects/x-value/versions",
              "{\"schema\":\"{\\\"type\\\":\\\"recrod\\\"}\"}");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(response.body()).contains("42201");
  }

  @Test
  void encodesSubjectNamesInUrls() {
    String subject = "odd subject/with+chars-value";
    int id = registry.register(subject, user(""));
    assertThat(registry.subjects()).containsExactly(subject);
    assertThat(registry.latest(subject).id()).isEqualTo(id);
  }

  @Test
  void deletesSubjects() throws Exception {
    registry.register("users-value", user(""));
    JsonNode deleted = http("DELETE", "/subjects/users-value", null);
    assertThat(deleted.toString()).isEqualTo("[1]");
    assertThat(registry.subjects()).isEmpty();
    // schemas by id stay, as ids may still be in Kafka
    assertThat(http("GET", "/schemas/ids/1", null).path("schema").asText()).contains("User");
  }

  @Test
  void keepsIdsAcrossRestart(@TempDir Path dir) {
    Path store = dir.resolve("registry").resolve("schemas.json");
    int ordersId;
    int paymentsId;
    try (SchemaRegistryServer persistent = SchemaRegistryServer.start("127.0.0.1", 0, store);
        RestSchemaRegistry client = new RestSchemaRegistry(persistent.url())) {
      ordersId = client.register("shop.orders-value", DomainSchemas.forTable("orders").schema());
      paymentsId =
          client.register("shop.payments-value", DomainSchemas.forTable("payments").schema());
    }
    assertThat(store).exists();
    try (SchemaRegistryServer restarted = SchemaRegistryServer.start("127.0.0.1", 0, store);
        RestSchemaRegistry client = new RestSchemaRegistry(restarted.url())) {
      assertThat(client.schemaById(ordersId)).isEqualTo(DomainSchemas.forTable("orders").schema());
      assertThat(
              client.register("shop.payments-value", DomainSchemas.forTable("payments").schema()))
          .isEqualTo(paymentsId);
      assertThat(client.latest("shop.orders-value").id()).isEqualTo(ordersId);
      // new schemas continue the sequence instead of reusing an id already in Kafka
      int next =
          client.register("shop.customers-value", DomainSchemas.forTable("customers").schema());
      assertThat(next).isGreaterThan(Math.max(ordersId, paymentsId));
    }
  }

  @Test
  void rejectsCorruptStoreFile(@TempDir Path dir) throws IOException {
    Path store = dir.resolve("schemas.json");
    Files.writeString(store, "{\"schemas\": [");
    assertThatThrownBy(() -> SchemaRegistryServer.start("127.0.0.1", 0, store))
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessageStartingWith("Cannot start schema registry: store file " + store);
  }

  @Test
  void failsToStartOnPortInUse() {
    int port = server.port();
    assertThatThrownBy(() -> SchemaRegistryServer.start("127.0.0.1", port, null))
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessage("Cannot start schema registry: port " + port + " on 127.0.0.1 is in use");
  }

  @Test
  void neverPutsCredentialsInErrors() {
    int port = server.port();
    String url = server.url();
    server.close();
    try (RestSchemaRegistry secured =
        new RestSchemaRegistry(
            "http://127.0.0.1:" + port,
            Map.of(
                RestSchemaRegistry.BASIC_AUTH_USER_INFO,
                "tarn:s3cret-pw",
                RestSchemaRegistry.TIMEOUT_MS,
                "2000"))) {
      assertThatThrownBy(() -> secured.subjects())
          .isInstanceOf(SchemaRegistryException.class)
          .hasMessageStartingWith("Cannot list subjects at http://127.0.0.1:" + port)
          .hasMessageNotContaining("s3cret")
          .hasMessageNotContaining("dGFybjpzM2NyZXQtcHc");
    }
    assertThatThrownBy(
            () ->
                new RestSchemaRegistry(
                    url, Map.of(RestSchemaRegistry.BASIC_AUTH_USER_INFO, "s3cret")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void sendsBasicAuthCredentials() {
    try (RestSchemaRegistry secured =
        new RestSchemaRegistry(
            server.url(), Map.of(RestSchemaRegistry.BASIC_AUTH_USER_INFO, "tarn:pw"))) {
      // the embedded registry does not check credentials; this checks the header is well-formed
      assertThat(secured.register("users-value", user(""))).isEqualTo(1);
    }
  }

  private JsonNode http(String method, String path, String body) throws Exception {
    HttpResponse<String> response = raw(method, path, body);
    assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private HttpResponse<String> raw(String method, String path, String body) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(server.url() + path))
            .header("Content-Type", "application/vnd.schemaregistry.v1+json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
