package io.tarn.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The repository the deployment files live in, and how they are read. */
final class RepoTree {
  static final Path ROOT = findRoot();
  static final ObjectMapper JSON = new JsonMapper();

  private RepoTree() {}

  private static Path findRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isRegularFile(dir.resolve("docker-compose.yml"))
          && Files.isDirectory(dir.resolve("deploy"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException(
        "Cannot find the repository root: no docker-compose.yml above "
            + Path.of("").toAbsolutePath());
  }

  static Path path(String relative) {
    return ROOT.resolve(relative).normalize();
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file, e);
    }
  }

  static JsonNode yaml(Path file) {
    List<JsonNode> docs = yamlDocuments(file);
    if (docs.size() != 1) {
      throw new IllegalStateException("Cannot read " + file + ": expected one YAML document");
    }
    return docs.get(0);
  }

  /** Every document of a (multi-document) YAML file; parse errors fail naming the file. */
  static List<JsonNode> yamlDocuments(Path file) {
    // SnakeYAML rather than Jackson's YAML parser: compose files use merge keys (<<: *anchor)
    List<JsonNode> docs = new ArrayList<>();
    try {
      for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(read(file))) {
        if (doc != null) {
          docs.add(JSON.valueToTree(doc));
        }
      }
    } catch (RuntimeException e) {
      throw new IllegalStateException("Cannot parse YAML " + file + ": " + e.getMessage(), e);
    }
    return docs;
  }

  static JsonNode json(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot parse JSON " + file, e);
    }
  }

  static Map<String, String> properties(String text) {
    Properties props = new Properties();
    try {
      props.load(new StringReader(text));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> map = new LinkedHashMap<>();
    props.stringPropertyNames().stream().sorted().forEach(k -> map.put(k, props.getProperty(k)));
    return map;
  }

  static Map<String, String> properties(Path file) {
    return properties(read(file));
  }

  /** Files under a folder of the repository whose name ends with one of the suffixes. */
  static List<Path> files(String folder, String... suffixes) {
    try (Stream<Path> walk = Files.walk(path(folder))) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> Stream.of(suffixes).anyMatch(s -> p.getFileName().toString().endsWith(s)))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
