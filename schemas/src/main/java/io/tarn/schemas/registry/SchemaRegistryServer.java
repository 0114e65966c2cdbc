package io.tarn.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded schema registry speaking the subset of the Confluent Schema Registry REST API that
 * {@link RestSchemaRegistry} uses, plus compatibility configuration and subject deletion.
 *
 * <p>Like Confluent, schema ids are global, start at 1 and are reused when an identical schema is
 * registered under another subject. Schemas are identical when their Avro JSON form ({@link
 * Schema#toString()}) is: unlike the parsing canonical form it keeps docs and the contract
 * annotations, so an annotation change is a new version. With a store file every change is written
 * to it atomically before it is acknowledged and the file is read at start, so ids survive
 * restarts.
 */
public final class SchemaRegistryServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryServer.class);
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor;
  private final String host;
  private final Path storeFile;
  private final AtomicBoolean closed = new AtomicBoolean();
  private State state;
  private volatile Listener listener = Listener.NONE;

  /**
   * Told of every registration decision (for the audit log); called on the request thread, so it
   * must not block.
   */
  public interface Listener {
    Listener NONE = new Listener() {};

    /** A new schema version was registered under a subject. */
    default void registered(String subject, int version, int id) {}

    /** A schema was refused as incompatible with the subject's earlier versions. */
    default void rejected(String subject, String reason) {}
  }

  private SchemaRegistryServer(
      HttpServer server, ExecutorService executor, String host, Path storeFile, State state) {
    this.server = server;
    this.executor = executor;
    this.host = host;
    this.storeFile = storeFile;
    this.state = state;
  }

  /** Starts an in-memory registry on a free port of 127.0.0.1. */
  public static SchemaRegistryServer start() {
    return start("127.0.0.1", 0, null);
  }

  /**
   * Starts a registry.
   *
   * @param host the address to bind, e.g. {@code 127.0.0.1}
   * @param port the port, or 0 for any free port
   * @param storeFile where to keep the registry's state, or null to keep it in memory only
   */
  public static SchemaRegistryServer start(String host, int port, Path storeFile) {
    State state =
        storeFile != null && Files.exists(storeFile) ? State.load(storeFile) : new State();
    HttpServer http;
    try {
      http = HttpServer.create(new InetSocketAddress(host, port), 50);
    } catch (BindException e) {
      throw new SchemaRegistryException(
          "Cannot start schema registry: port " + port + " on " + host + " is in use", e);
    } catch (IOException e) {
      throw new SchemaRegistryException(
          "Cannot start schema registry on " + host + ":" + port + ": " + e, e);
    }
    AtomicInteger threads = new AtomicInteger();
    ExecutorService executor =
        Executors.newFixedThreadPool(
            2,
            runnable -> {
              Thread thread = new Thread(runnable, "schema-registry-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    SchemaRegistryServer registry =
        new SchemaRegistryServer(http, executor, host, storeFile, state);
    http.createContext("/", registry::handle);
    http.setExecutor(executor);
    http.start();
    LOG.info(
        "Schema registry listening on {} ({} schemas, store {})",
        registry.url(),
        state.schemas.size(),
        storeFile == null ? "in memory" : storeFile);
    return registry;
  }

  /** Sets who is told of registrations and rejections (one listener; null for none). */
  public void listen(Listener listener) {
    this.listener = listener == null ? Listener.NONE : listener;
  }

  /** The base URL to give {@link RestSchemaRegistry} or a Confluent client. */
  public String url() {
    String address = host;
    if ("0.0.0.0".equals(host) || "::".equals(host)) {
      address = "127.0.0.1";
    } else if (host.contains(":")) {
      address = "[" + host + "]";
    }
    return "http://" + address + ":" + port();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      server.stop(0);
      executor.shutdownNow();
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Response response;
      try {
        response = route(exchange);
      } catch (ApiException e) {
        response = new Response(e.status, error(e.code, e.getMessage()));
      } catch (RuntimeException e) {
        LOG.warn(
            "Schema registry request {} {} failed",
            exchange.getRequestMethod(),
            exchange.getRequestURI(),
            e);
        response =
            new Response(500, error(50001, "Error in the backend data store: " + e.getMessage()));
      }
      byte[] body = JSON.writeValueAsBytes(response.body);
      exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
      exchange.sendResponseHeaders(response.status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private Response route(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    List<String> path = segments(exchange.getRequestURI().getRawPath());
    String query = exchange.getRequestURI().getRawQuery();
    int size = path.size();
    if (size == 0) {
      return ok(JSON.createObjectNode());
    }
    switch (path.get(0)) {
      case "subjects":
        if (size == 1 && method.equals("GET")) {
          return ok(listSubjects());
        }
        String subject = size >= 2 ? path.get(1) : null;
        if (size == 2 && method.equals("POST")) {
          return ok(lookup(subject, schemaOf(exchange)));
        }
        if (size == 2 && method.equals("DELETE")) {
          return ok(deleteSubject(subject));
        }
        if (size == 3 && path.get(2).equals("versions") && method.equals("GET")) {
          return ok(listVersions(subject));
        }
        if (size == 3 && path.get(2).equals("versions") && method.equals("POST")) {
          return ok(register(subject, schemaOf(exchange)));
        }
        if (size == 4 && path.get(2).equals("versions") && method.equals("GET")) {
          return ok(version(subject, path.get(3)));
        }
        if (size == 5
            && path.get(2).equals("versions")
            && path.get(4).equals("schema")
            && method.equals("GET")) {
          return ok(JSON.readTree(version(subject, path.get(3)).path("schema").asText()));
        }
        break;
      case "schemas":
        if (size == 3 && path.get(1).equals("ids") && method.equals("GET")) {
          return ok(schemaById(path.get(2)));
        }
        break;
      case "compatibility":
        if (size >= 4
            && path.get(1).equals("subjects")
            && path.get(3).equals("versions")
            && method.equals("POST")) {
          boolean verbose = query != null && query.contains("verbose=true");
          return ok(
              compatibility(
                  path.get(2), size == 5 ? path.get(4) : null, schemaOf(exchange), verbose));
        }
        break;
      case "config":
        String configSubject = size == 2 ? path.get(1) : null;
        if (size <= 2 && method.equals("GET")) {
          return ok(config(configSubject, query != null && query.contains("defaultToGlobal=true")));
        }
        if (size <= 2 && method.equals("PUT")) {
          return ok(setConfig(configSubject, readBody(exchange)));
        }
        if (size == 2 && method.equals("DELETE")) {
          return ok(deleteConfig(configSubject));
        }
        break;
      default:
        break;
    }
    throw new ApiException(404, 404, "HTTP 404 Not Found");
  }

  // ---- operations, each under the registry's lock ----

  private synchronized JsonNode listSubjects() {
    ArrayNode subjects = JSON.createArrayNode();
    state.subjects.keySet().forEach(subjects::add);
    return subjects;
  }

  private synchronized JsonNode listVersions(String subject) {
    List<Integer> ids = versionsOf(subject);
    ArrayNode versions = JSON.createArrayNode();
    for (int i = 1; i <= ids.size(); i++) {
      versions.add(i);
    }
    return versions;
  }

  private synchronized JsonNode version(String subject, String versionText) {
    List<Integer> ids = versionsOf(subject);
    int version;
    if (versionText.equals("latest") || versionText.equals("-1")) {
      version = ids.size();
    } else {
      try {
        version = Integer.parseInt(versionText);
      } catch (NumberFormatException e) {
        throw new ApiException(
            422, 42202, "The specified version '" + versionText + "' is not a valid version id.");
      }
    }
    if (version < 1 || version > ids.size()) {
      throw new ApiException(404, 40402, "Version " + versionText + " not found.");
    }
    return versionNode(subject, version, ids.get(version - 1));
  }

  private ObjectNode versionNode(String subject, int version, int id) {
    return JSON.createObjectNode()
        .put("subject", subject)
        .put("version", version)
        .put("id", id)
        .put("schema", state.schemas.get(id));
  }

  private synchronized JsonNode schemaById(String idText) {
    String schema = null;
    try {
      schema = state.schemas.get(Integer.parseInt(idText));
    } catch (NumberFormatException e) {
      // reported as not found below
    }
    if (schema == null) {
      throw new ApiException(404, 40403, "Schema " + idText + " not found");
    }
    return JSON.createObjectNode().put("schema", schema);
  }

  private synchronized JsonNode lookup(String subject, Schema schema) {
    List<Integer> ids = versionsOf(subject);
    String form = schema.toString();
    for (int i = 0; i < ids.size(); i++) {
      if (state.schemas.get(ids.get(i)).equals(form)) {
        return versionNode(subject, i + 1, ids.get(i));
      }
    }
    throw new ApiException(404, 40403, "Schema not found");
  }

  private synchronized JsonNode register(String subject, Schema schema) {
    String form = schema.toString();
    List<Integer> ids = state.subjects.getOrDefault(subject, List.of());
    for (int id : ids) {
      if (state.schemas.get(id).equals(form)) {
        return JSON.createObjectNode().put("id", id);
      }
    }
    List<String> problems = levelOf(subject).check(schema, parsed(ids));
    if (!problems.isEmpty()) {
      listener.rejected(subject, String.join("; ", problems));
      throw new ApiException(
          409,
          409,
          "Schema being registered is incompatible with an earlier schema for subject \""
              + subject
              + "\", details: "
              + problems);
    }
    State next = state.copy();
    Integer id = next.idsBySchema().get(form);
    if (id == null) {
      id = next.nextId++;
      next.schemas.put(id, form);
    }
    next.subjects.computeIfAbsent(subject, s -> new ArrayList<>()).add(id);
    commit(next);
    LOG.info(
        "Registered schema {} as version {} of subject {}",
        id,
        next.subjects.get(subject).size(),
        subject);
    listener.registered(subject, next.subjects.get(subject).size(), id);
    return JSON.createObjectNode().put("id", id);
  }

  private synchronized JsonNode compatibility(
      String subject, String versionText, Schema schema, boolean verbose) {
    List<Integer> ids = versionsOf(subject);
    CompatibilityLevel level = levelOf(subject);
    List<String> problems;
    if (versionText == null) {
      problems = level.check(schema, parsed(ids));
    } else {
      int version = version(subject, versionText).path("version").asInt();
      // against one version the level's direction applies, not its transitivity
      problems = level.check(schema, List.of(parse(state.schemas.get(ids.get(version - 1)))));
    }
    ObjectNode result = JSON.createObjectNode().put("is_compatible", problems.isEmpty());
    if (verbose) {
      ArrayNode messages = result.putArray("messages");
      problems.forEach(messages::add);
    }
    return result;
  }

  private synchronized JsonNode deleteSubject(String subject) {
    List<Integer> ids = versionsOf(subject);
    State next = state.copy();
    next.subjects.remove(subject);
    next.subjectCompatibility.remove(subject);
    commit(next);
    ArrayNode versions = JSON.createArrayNode();
    for (int i = 1; i <= ids.size(); i++) {
      versions.add(i);
    }
    return versions;
  }

  private synchronized JsonNode config(String subject, boolean defaultToGlobal) {
    String level;
    if (subject == null) {
      level = state.compatibility;
    } else {
      level = state.subjectCompatibility.get(subject);
      if (level == null && defaultToGlobal) {
        level = state.compatibility;
      }
      if (level == null) {
        throw new ApiException(
            404,
            40408,
            "Subject '" + subject + "' does not have subject-level compatibility configured");
      }
    }
    return JSON.createObjectNode().put("compatibilityLevel", level);
  }

  private synchronized JsonNode setConfig(String subject, JsonNode body) {
    String requested = body.path("compatibility").asText(null);
    CompatibilityLevel level =
        CompatibilityLevel.parse(requested)
            .orElseThrow(
                () -> new ApiException(422, 42203, "Invalid compatibility level: " + requested));
    State next = state.copy();
    if (subject == null) {
      next.compatibility = level.name();
    } else {
      next.subjectCompatibility.put(subject, level.name());
    }
    commit(next);
    return JSON.createObjectNode().put("compatibility", level.name());
  }

  private synchronized JsonNode deleteConfig(String subject) {
    String previous = state.subjectCompatibility.get(subject);
    if (previous == null) {
      throw new ApiException(
          404,
          40408,
          "Subject '" + subject + "' does not have subject-level compatibility configured");
    }
    State next = state.copy();
    next.subjectCompatibility.remove(subject);
    commit(next);
    return JSON.createObjectNode().put("compatibilityLevel", previous);
  }

  // ---- state ----

  private List<Integer> versionsOf(String subject) {
    List<Integer> ids = state.subjects.get(subject);
    if (ids == null) {
      throw new ApiException(404, 40401, "Subject '" + subject + "' not found.");
    }
    return ids;
  }

  private CompatibilityLevel levelOf(String subject) {
    String level = state.subjectCompatibility.getOrDefault(subject, state.compatibility);
    return CompatibilityLevel.valueOf(level);
  }

  private List<Schema> parsed(List<Integer> ids) {
    List<Schema> schemas = new ArrayList<>();
    for (int id : ids) {
      schemas.add(parse(state.schemas.get(id)));
    }
    return schemas;
  }

  private static Schema parse(String text) {
    return new Schema.Parser().parse(text);
  }

  /** Makes a changed state current, after it is safely on disk when the registry has a store. */
  private void commit(State next) {
    if (storeFile != null) {
      next.save(storeFile);
    }
    state = next;
  }

  private static Schema schemaOf(HttpExchange exchange) throws IOException {
    JsonNode body = readBody(exchange);
    String type = body.path("schemaType").asText("AVRO");
    if (!type.equals("AVRO")) {
      throw new ApiException(
          422, 42201, "Invalid schema: schema type " + type + " is not supported, only AVRO");
    }
    JsonNode text = body.get("schema");
    if (text == null || !text.isTextual()) {
      throw new ApiException(
          422, 42201, "Invalid schema: the request has no string field 'schema'");
    }
    try {
      return parse(text.asText());
    } catch (RuntimeException e) {
      // whatever the parser throws, the input is not a valid schema
      throw new ApiException(422, 42201, "Invalid schema: " + e.getMessage());
    }
  }

  private static JsonNode readBody(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      JsonNode body = JSON.readTree(in);
      if (body == null || !body.isObject()) {
        throw new ApiException(422, 42201, "The request body is not a JSON object");
      }
      return body;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ApiException(422, 42201, "The request body is not JSON: " + e.getOriginalMessage());
    }
  }

  private static List<String> segments(String rawPath) {
    List<String> segments = new ArrayList<>();
    for (String segment : rawPath.split("/")) {
      if (!segment.isEmpty()) {
        // decode each segment on its own so an encoded '/' stays inside a subject name
        segments.add(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
      }
    }
    return segments;
  }

  private static ObjectNode error(int code, String message) {
    return JSON.createObjectNode().put("error_code", code).put("message", message);
  }

  private static Response ok(JsonNode body) {
    return new Response(200, body);
  }

  private record Response(int status, JsonNode body) {}

  /** An error answered to the client with a Confluent error code. */
  private static final class ApiException extends RuntimeException {
    private final int status;
    private final int code;

    private ApiException(int status, int code, String message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  /** Everything the registry knows; replaced as a whole on every change. */
  private static final class State {
    private int nextId = 1;
    private String compatibility = CompatibilityLevel.BACKWARD.name();
    private final Map<Integer, String> schemas = new LinkedHashMap<>();
    private final Map<String, List<Integer>> subjects = new LinkedHashMap<>();
    private final Map<String, String> subjectCompatibility = new LinkedHashMap<>();

    private State copy() {
      State copy = new State();
      copy.nextId = nextId;
      copy.compatibility = compatibility;
      copy.schemas.putAll(schemas);
      subjects.forEach((subject, ids) -> copy.subjects.put(subject, new ArrayList<>(ids)));
      copy.subjectCompatibility.putAll(subjectCompatibility);
      return copy;
    }

    private Map<String, Integer> idsBySchema() {
      Map<String, Integer> ids = new HashMap<>();
      schemas.forEach((id, schema) -> ids.put(schema, id));
      return ids;
    }

    private void save(Path file) {
      ObjectNode root = JSON.createObjectNode();
      root.put("next_id", nextId);
      root.put("compatibility", compatibility);
      ObjectNode schemaNodes = root.putObject("schemas");
      schemas.forEach((id, schema) -> schemaNodes.put(Integer.toString(id), schema));
      ObjectNode subjectNodes = root.putObject("subjects");
      subjects.forEach(
          (subject, ids) -> {
            ArrayNode array = subjectNodes.putArray(subject);
            ids.forEach(array::add);
          });
      ObjectNode configNodes = root.putObject("subject_compatibility");
      subjectCompatibility.forEach(configNodes::put);
      try {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
          try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            ByteBuffer bytes =
                ByteBuffer.wrap(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
            while (bytes.hasRemaining()) {
              channel.write(bytes);
            }
            channel.force(true);
          }
          try {
            Files.move(
                temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
          }
        } finally {
          Files.deleteIfExists(temp);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(
            "Cannot save schema registry store " + file + ": " + e.getMessage(), e);
      }
    }

    private static State load(Path file) {
      State state = new State();
      try {
        JsonNode root = JSON.readTree(file.toFile());
        state.nextId = root.path("next_id").asInt(1);
        state.compatibility = root.path("compatibility").asText(CompatibilityLevel.BACKWARD.name());
        root.path("schemas")
            .fields()
            .forEachRemaining(
                entry ->
                    state.schemas.put(Integer.parseInt(entry.getKey()), entry.getValue().asText()));
        root.path("subjects")
            .fields()
            .forEachRemaining(
                entry -> {
                  List<Integer> ids = new ArrayList<>();
                  entry.getValue().forEach(id -> ids.add(id.asInt()));
                  state.subjects.put(entry.getKey(), ids);
                });
        root.path("subject_compatibility")
            .fields()
            .forEachRemaining(
                entry -> state.subjectCompatibility.put(entry.getKey(), entry.getValue().asText()));
        for (String level : state.subjectCompatibility.values()) {
          CompatibilityLevel.valueOf(level);
        }
        CompatibilityLevel.valueOf(state.compatibility);
        for (List<Integer> ids : state.subjects.values()) {
          for (int id : ids) {
            if (!state.schemas.containsKey(id)) {
              throw new IllegalStateException("a subject refers to missing schema " + id);
            }
          }
        }
        for (int id : state.schemas.keySet()) {
          state.nextId = Math.max(state.nextId, id + 1);
        }
      } catch (IOException | RuntimeException e) {
        throw new SchemaRegistryException(
            "Cannot start schema registry: store file "
                + file
                + " is not readable: "
                + e.getMessage(),
            e);
      }
      return state;
    }
  }
}
