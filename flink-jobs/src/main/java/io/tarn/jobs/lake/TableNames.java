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

  /**
   * A change-event topic {@code cdc.shop.customers} lands in {@code <zone>.shop_customers}: the
   * topic without its prefix, so tables of different databases or schemas do not collide.
   */
  public static String forChangeTopic(String topic) {
    int firstDot = topic.indexOf('.');
    String name = firstDot < 0 ? topic : topic.substring(firstDot + 1);
    return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
  }

  public static TableIdentifier of(String zone, String table) {
    return TableIdentifier.of(Namespace.of(zone), table);
  }
}
