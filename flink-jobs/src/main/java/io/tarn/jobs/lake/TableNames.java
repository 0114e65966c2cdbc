package io.tarn.jobs.lake;

import java.util.Locale;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;

/** How topics map to table names: {@code shop.order_items} lands in {@code <zone>.order_items}. */
public final class TableNames {
  private TableNames() {}

  public static String forTopic(String topic) {
    String last = topic.substring(topic.lastIndexOf('.') + 1);
    return last.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
  }

  public static TableIdentifier of(String zone, String table) {
    return TableIdentifier.of(Namespace.of(zone), table);
  }
}
