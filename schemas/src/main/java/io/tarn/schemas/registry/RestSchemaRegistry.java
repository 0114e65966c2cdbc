package io.tarn.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * A client of the Confluent Schema Registry REST API; works with Confluent Schema Registry,
 * Apicurio's ccompat API, Karapace and {@link SchemaRegistryServer}.
 *
 * <p>Schemas by id are immutable, so they are cached forever, as are the ids of schemas this client
 * registered or looked up. Thread-safe.
 */
public final class RestSchemaRegistry implements SchemaRegistry {
  /** {@code user:password} for HTTP basic authentication; never logged. */
  public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";

  /** Timeout of connecting and of each request, in milliseconds (default 30000). */
  public static final String TIMEOUT_MS = "timeout.ms";

  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String baseUrl;
  private final String authorization;
  private final Duration timeout;
  private final HttpClient client;
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
  private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();

  public RestSchemaRegistry(String baseUrl) {
    this(baseUrl, Map.of());
  }

  /**
   * @param config client settings: {@value #BASIC_AUTH_USER_INFO} and {@value #TIMEOUT_MS}; other
   *     keys are ignored so that a Confluent client configuration can be passed as it is
   */
  public RestSchemaRegistry(String baseUrl, Map<String, String> config) {
    if (baseUrl == null || !(baseUrl.startsWith("http://") || baseUrl.startsWith("https://"))) {
      throw new IllegalArgumentException(
          "Cannot create schema registry client: URL '" + baseUrl + "' is not http(s)");
    }
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    String userInfo = config.get(BASIC_AUTH_USER_INFO);
    if (userInfo != null && !userInfo.isEmpty()) {
      if (!userInfo.contains(":")) {
        // do not echo the value: it may be a password on its own
        throw new IllegalArgumentException(
            "Cannot create schema registry client: "
                + BASIC_AUTH_USER_INFO
                + " is not user:password");
      }
      this.authorization =
          "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    } else {
      this.authorization = null;
    }
    String timeoutMs = config.getOrDefault(TIMEOUT_MS, "30000");
    try {
      this.timeout = Duration.ofMillis(Long.parseLong(timeoutMs.trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Cannot create schema registry client: "
              + TIMEOUT_MS
              + " '"
              + timeoutMs
              + "' is not a number");
    }
    this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  @Override
  public int register(String subject, Schema schema) {
    SubjectSchema key = new SubjectSchema(subject, schema);
    Integer cached = idsBySubjectSchema.get(key);
    if (cached != null) {
      return cached;
    }
    ObjectNode body = JSON.createObjectNode().put("schema", schema.toString());
    JsonNode response =
        call(
            "register a schema under subject " + subject,
            "POST",
            subjectPath(subject) + "/versions",
            body);
    int id = response.path("id").asInt(-1);
    if (id < 0) {
      throw new SchemaRegistryException(
          "Cannot register a schema under subject "
              + subject
              + ": the response has no id: "
              + response);
    }
    idsBySubjectSchema.put(key, id);
    schemasById.putIfAbsent(id, schema);
    return id;
  }

  @Override
  public Schema schemaById(int id) {
    Schema cached = schemasById.get(id);
    if (cached != null) {
      return cached;
    }
    JsonNode response = call("get schema " + id, "GET", "/schemas/ids/" + id, null);
    Schema schema = parse("get schema " + id, response);
    Schema previous = schemasById.putIfAbsent(id, schema);
    return previous != null ? previous : schema;
  }

  @Override
  public SchemaVersion latest(String subject) {
    String action = "get the latest version of subject " + subject;
    JsonNode response = call(action, "GET", subjectPath(subject) + "/versions/latest", null);
    Schema schema = parse(action, response);
    int id = response.path("id").asInt();
    schemasById.putIfAbsent(id, schema);
    return new SchemaVersion(subject, response.path("version").asInt(), id, schema);
  }

  @Override
  public List<Integer> versions(String subject) {
    JsonNode response =
        call(
            "list the versions of subject " + subject,
            "GET",
            subjectPath(subject) + "/versions",
            null);
    List<Integer> versions = new ArrayList<>();
    response.forEach(version -> versions.add(version.asInt()));
    return versions;
  }

  @Override
  public List<String> subjects() {
    JsonNode response = call("list subjects", "GET", "/subjects", null);
    List<String> subjects = new ArrayList<>();
    response.forEach(subject -> subjects.add(subject.asText()));
    return subjects;
  }

  @Override
  public boolean isCompatible(String subject, Schema schema) {
    ObjectNode body = JSON.createObjectNode().put("schema", schema.toString());
    try {
      JsonNode response =
          call(
              "check compatibility with subject " + subject,
              "POST",
              "/compatibility" + subjectPath(subject) + "/versions/latest",
              body);
      return response.path("is_compatible").asBoolean(false);
    } catch (UnknownSchemaException e) {
      // a subject without versions accepts any schema
      return true;
    }
  }

  @Override
  public void close() {
    // java.net.http.HttpClient has no close() before Java 21; its threads end once it is
    // unreachable
    schemasById.clear();
    idsBySubjectSchema.clear();
  }

  @Override
  public String toString() {
    return "RestSchemaRegistry(" + baseUrl + ")";
  }

  private static String subjectPath(String subject) {
    // URLEncoder is form encoding: a space must be %20 in a path, not +
    return "/subjects/" + URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static Schema parse(String action, JsonNode response) {
    JsonNode text = response.get("schema");
    if (text == null || !text.isTextual()) {
      throw new SchemaRegistryException("Cannot " + action + ": the response has no schema");
    }
    try {
      return new Schema.Parser().parse(text.asText());
    } catch (SchemaParseException e) {
      throw new SchemaRegistryException(
          "Cannot " + action + ": the registry returned an invalid Avro schema: " + e.getMessage(),
          e);
    }
  }

  private JsonNode call(String action, String method, String path, JsonNode body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(timeout)
            .header("Accept", CONTENT_TYPE + ", application/json");
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    if (body != null) {
      request
          .header("Content-Type", CONTENT_TYPE)
          .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<String> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new SchemaRegistryException("Cannot " + action + " at " + baseUrl + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException("Cannot " + action + " at " + baseUrl + ": interrupted", e);
    }
    JsonNode json = readJson(response.body());
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      if (json == null) {
        throw new SchemaRegistryException(
            "Cannot "
                + action
                + " at "
                + baseUrl
                + ": the response is not JSON: "
                + abbreviate(response.body()));
      }
      return json;
    }
    throw error(action, status, json, response.body());
  }

  private SchemaRegistryException error(String action, int status, JsonNode json, String body) {
    int code = json == null ? status : json.path("error_code").asInt(status);
    String message =
        json == null ? abbreviate(body) : json.path("message").asText(abbreviate(body));
    String text = "Cannot " + action + ": " + message + " (error code " + code + ")";
    if (code == 40401 || code == 40402 || code == 40403 || code == 404) {
      return new UnknownSchemaException(text, code);
    }
    if (code == 409 || code == 40901) {
      return new IncompatibleSchemaException(text, code);
    }
    return new SchemaRegistryException(text, code);
  }

  private static JsonNode readJson(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }

  private static String abbreviate(String body) {
    if (body == null) {
      return "";
    }
    return body.length() <= 200 ? body : body.substring(0, 200) + "…";
  }

  private record SubjectSchema(String subject, Schema schema) {}
}
