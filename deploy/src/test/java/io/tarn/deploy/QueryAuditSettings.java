package io.tarn.deploy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The event-listener settings {@code ./tarn trino --audit-kafka} writes, read from the trino
 * module's {@code QueryAudit} source: that module unpacks an 821 MB Trino build, so it is not a
 * dependency here, yet the deployment files must say exactly what it says.
 */
final class QueryAuditSettings {
  static final String SOURCE = "trino/src/main/java/io/tarn/trino/QueryAudit.java";
  private static final Pattern PUT =
      Pattern.compile("props\\.put\\(\\s*\"([^\"]+)\",\\s*(?:\"([^\"]*)\"|(\\w+))\\s*\\);");
  private static final Pattern DEFAULT_TOPIC =
      Pattern.compile("DEFAULT_TOPIC\\s*=\\s*\"([^\"]+)\"");

  private QueryAuditSettings() {}

  /** The topic QueryAudit publishes to unless told otherwise. */
  static String defaultTopic() {
    Matcher m = DEFAULT_TOPIC.matcher(source());
    if (!m.find()) {
      throw new IllegalStateException("Cannot read " + SOURCE + ": no DEFAULT_TOPIC");
    }
    return m.group(1);
  }

  /** {@code etc/event-listener.properties} as QueryAudit writes it for these brokers. */
  static Map<String, String> forBrokers(String bootstrapServers) {
    Map<String, String> settings = new LinkedHashMap<>();
    Matcher m = PUT.matcher(source());
    while (m.find()) {
      String value =
          switch (m.group(2) != null ? "\"" : m.group(3)) {
            case "\"" -> m.group(2);
            case "bootstrapServers" -> bootstrapServers;
            case "topic" -> defaultTopic();
            default ->
                throw new IllegalStateException(
                    "Cannot read "
                        + SOURCE
                        + ": unknown value "
                        + m.group(3)
                        + " of "
                        + m.group(1));
          };
      settings.put(m.group(1), value);
    }
    if (!settings.containsKey("event-listener.name")) {
      throw new IllegalStateException("Cannot read " + SOURCE + ": no event-listener.name put");
    }
    return settings;
  }

  private static String source() {
    return RepoTree.read(RepoTree.path(SOURCE));
  }
}
