package io.tarn.governance.policy;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A node of a YAML (or JSON) policy file that knows its path ({@code grants[2].zone}) and line, so
 * every error can say "Cannot read policy f: key grants[2].zone (line 14): …".
 */
final class PolicyNode {
  private final String source;
  private final JsonNode node;
  private final String path;
  private final Map<String, Integer> lines;

  private PolicyNode(String source, JsonNode node, String path, Map<String, Integer> lines) {
    this.source = source;
    this.node = node;
    this.path = path;
    this.lines = lines;
  }

  /** Parses {@code text} (YAML; JSON is YAML too), remembering the line of every key. */
  static PolicyNode parse(String source, String text) {
    Map<String, Integer> lines = new HashMap<>();
    try (JsonParser parser = new YAMLFactory().createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new PolicyException("Cannot read policy " + source + ": it is empty");
      }
      JsonNode root = read(parser, "", lines);
      return new PolicyNode(source, root, "", lines);
    } catch (IOException e) {
      throw new PolicyException(
          "Cannot read policy " + source + ": not valid YAML: " + e.getMessage());
    }
  }

  private static JsonNode read(JsonParser parser, String path, Map<String, Integer> lines)
      throws IOException {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    lines.putIfAbsent(path, line(parser.currentTokenLocation()));
    switch (parser.currentToken()) {
      case START_OBJECT:
        ObjectNode object = nodes.objectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          String child = path.isEmpty() ? name : path + "." + name;
          lines.put(child, line(parser.currentTokenLocation()));
          parser.nextToken();
          object.set(name, read(parser, child, lines));
        }
        return object;
      case START_ARRAY:
        ArrayNode array = nodes.arrayNode();
        int index = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          array.add(read(parser, path + "[" + index + "]", lines));
          index += 1;
        }
        return array;
      case VALUE_NULL:
        return nodes.nullNode();
      case VALUE_TRUE:
      case VALUE_FALSE:
        return nodes.booleanNode(parser.getBooleanValue());
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return nodes.numberNode(parser.getDecimalValue());
      default:
        return nodes.textNode(parser.getText());
    }
  }

  private static int line(JsonLocation location) {
    return location == null ? -1 : location.getLineNr();
  }

  String path() {
    return path;
  }

  int line() {
    return lines.getOrDefault(path, -1);
  }

  PolicyException error(String reason) {
    String where = path.isEmpty() ? "" : " key " + path + " (line " + line() + ")";
    return new PolicyException("Cannot read policy " + source + ":" + where + ": " + reason);
  }

  boolean has(String key) {
    return node.has(key) && !node.get(key).isNull();
  }

  PolicyNode get(String key) {
    String child = path.isEmpty() ? key : path + "." + key;
    if (!has(key)) {
      throw new PolicyNode(source, JsonNodeFactory.instance.nullNode(), child, lines)
          .errorAt(this, "is missing");
    }
    return new PolicyNode(source, node.get(key), child, lines);
  }

  private PolicyException errorAt(PolicyNode parent, String reason) {
    return new PolicyException(
        "Cannot read policy "
            + source
            + ": key "
            + path
            + " "
            + reason
            + (parent.line() > 0 ? " (in the block at line " + parent.line() + ")" : ""));
  }

  /** Rejects keys other than {@code allowed}: a typo must not silently drop a rule. */
  PolicyNode only(String... allowed) {
    if (!node.isObject()) {
      throw error("is not a mapping");
    }
    Set<String> known = Set.of(allowed);
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!known.contains(name)) {
        throw new PolicyNode(source, node.get(name), childPath(name), lines)
            .error("unknown key, expected one of " + List.of(allowed));
      }
    }
    return this;
  }

  private String childPath(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  String text() {
    if (!node.isTextual() && !node.isNumber() && !node.isBoolean()) {
      throw error("is not a text value");
    }
    String text = node.asText();
    if (text.isBlank()) {
      throw error("is empty");
    }
    return text;
  }

  String text(String key) {
    return get(key).text();
  }

  String text(String key, String fallback) {
    return has(key) ? text(key) : fallback;
  }

  boolean bool(String key, boolean fallback) {
    if (!has(key)) {
      return fallback;
    }
    PolicyNode child = get(key);
    if (!child.node.isBoolean()) {
      throw child.error("is not true or false");
    }
    return child.node.booleanValue();
  }

  /** The elements of a list; a single text value counts as a list of one. */
  List<PolicyNode> list() {
    List<PolicyNode> items = new ArrayList<>();
    if (node.isTextual()) {
      items.add(this);
      return items;
    }
    if (!node.isArray()) {
      throw error("is not a list");
    }
    for (int i = 0; i < node.size(); i += 1) {
      items.add(new PolicyNode(source, node.get(i), path + "[" + i + "]", lines));
    }
    return items;
  }

  List<PolicyNode> list(String key) {
    return has(key) ? get(key).list() : List.of();
  }

  List<String> texts(String key) {
    List<String> texts = new ArrayList<>();
    for (PolicyNode item : list(key)) {
      texts.add(item.text());
    }
    return texts;
  }

  /** The entries of a mapping, in file order. */
  Map<String, PolicyNode> entries() {
    if (!node.isObject()) {
      throw error("is not a mapping");
    }
    Map<String, PolicyNode> entries = new java.util.LinkedHashMap<>();
    node.fieldNames()
        .forEachRemaining(
            name ->
                entries.put(name, new PolicyNode(source, node.get(name), childPath(name), lines)));
    return entries;
  }

  Map<String, PolicyNode> entries(String key) {
    return has(key) ? get(key).entries() : Map.of();
  }

  boolean isMapping() {
    return node.isObject();
  }
}
