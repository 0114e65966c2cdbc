package io.tarn.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/** The contracts of the shop domain, loaded once from {@code io/tarn/schemas/shop/*.avsc}. */
public final class DomainSchemas {
  private static final String RESOURCE_DIR = "/io/tarn/schemas/shop/";

  /** The domain tables, in the order their data depends on each other. */
  private static final List<String> TABLES =
      List.of("customers", "orders", "order_items", "payments", "clickstream");

  private static final List<TableContract> ALL = load();

  private DomainSchemas() {}

  private static List<TableContract> load() {
    List<TableContract> contracts = new ArrayList<>();
    for (String table : TABLES) {
      String resource = RESOURCE_DIR + table + ".avsc";
      try (InputStream in = DomainSchemas.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new SchemaContractException(
              "Cannot load domain schema " + resource + ": not on the classpath");
        }
        TableContract contract = TableContract.of(new Schema.Parser().parse(in));
        if (!contract.table().equals(table)) {
          throw new SchemaContractException(
              "Cannot load domain schema " + resource + ": it declares table " + contract.table());
        }
        contracts.add(contract);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot load domain schema " + resource, e);
      }
    }
    return List.copyOf(contracts);
  }

  /** The five shop contracts: customers, orders, order_items, payments, clickstream. */
  public static List<TableContract> all() {
    return ALL;
  }

  /**
   * The contract of a domain table.
   *
   * @throws SchemaContractException if there is no such table
   */
  public static TableContract forTable(String table) {
    for (TableContract contract : ALL) {
      if (contract.table().equals(table)) {
        return contract;
      }
    }
    throw new SchemaContractException(
        "Cannot find domain table " + table + ": known tables are " + TABLES);
  }

  /** The contract of the table whose events a topic carries, if it is a domain topic. */
  public static Optional<TableContract> forTopic(String topic) {
    for (TableContract contract : ALL) {
      if (contract.topic().equals(topic)) {
        return Optional.of(contract);
      }
    }
    return Optional.empty();
  }
}
