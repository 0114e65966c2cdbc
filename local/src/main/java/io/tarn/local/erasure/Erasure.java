package io.tarn.local.erasure;

import io.tarn.jobs.lake.Lake;
import io.tarn.schemas.DomainSchemas;
import io.tarn.schemas.TableContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Right to erasure: removes every record of one customer from every table of the lake, so that no
 * file of the warehouse holds them any more, and returns the {@link Certificate}.
 *
 * <p>The subject's identifiers are its customer id plus the keys of the records that carry it in
 * their {@code customer_id} field and that other records refer to (its orders), found in silver and
 * in the raw bronze and quarantine payloads; rows holding any of them are erased, so payments and
 * order items go with their orders. Gold aggregates without identity (revenue per category) are
 * kept; per-customer gold rows are erased. Every table is then purged ({@link Purge}): older
 * snapshots expired, manifests rewritten, orphan files removed, because a snapshot from before the
 * erasure would still reach the old files.
 *
 * <p>Streaming jobs may keep running: each table's rewrite is an optimistic commit retried on
 * conflict, and files younger than {@code orphanMinAge} are left to their writers.
 */
public final class Erasure {
  private static final Logger LOG = LoggerFactory.getLogger(Erasure.class);

  private final Lake lake;
  private final SubjectHash hash;
  private final Duration orphanMinAge;

  public Erasure(Lake lake, SubjectHash hash, Duration orphanMinAge) {
    this.lake = lake;
    this.hash = hash;
    this.orphanMinAge = orphanMinAge;
  }

  public Certificate erase(String subjectId) {
    if (subjectId == null || subjectId.isBlank()) {
      throw new IllegalArgumentException("Cannot erase: the subject id is empty");
    }
    String subject = subjectId.strip();
    String erasureId = UUID.randomUUID().toString();
    String subjectHash = hash.of(subject);
    Instant started = Instant.now();
    LOG.info("Erasure {} of subject {} started", erasureId, subjectHash);
    Catalog catalog = lake.catalogLoader().loadCatalog();
    try {
      List<Table> tables = tablesOf(catalog);
      SubjectMatch match = new SubjectMatch(identifiers(tables, subject));
      List<Certificate.TableEntry> entries = new ArrayList<>();
      for (Table table : tables) {
        String name = nameOf(table);
        TableEraser.Result erased = new TableEraser(name, table, match, erasureId).erase();
        Purge.Result purged = new Purge(orphanMinAge).run(table);
        entries.add(Certificate.TableEntry.of(erased, purged));
        LOG.info(
            "Erasure {}: {} rows deleted, {} snapshots expired in {}",
            erasureId,
            erased.rowsDeleted(),
            purged.snapshotsExpired(),
            name);
      }
      Certificate certificate =
          new Certificate(
              erasureId,
              subjectHash,
              started,
              Instant.now(),
              match.tokens().size(),
              entries,
              notes(entries));
      LOG.info(
          "Erasure {} of subject {} finished: {} rows deleted",
          erasureId,
          subjectHash,
          certificate.rowsDeleted());
      return certificate;
    } finally {
      Lake.closeQuietly(catalog);
    }
  }

  private List<String> notes(List<Certificate.TableEntry> entries) {
    List<String> notes = new ArrayList<>();
    notes.add(
        "Aggregates without identity (gold revenue per category) are kept: they include the"
            + " subject's past orders in their sums but name no one.");
    notes.add(
        "Every table's snapshots older than the erasure are expired: time travel to before it is"
            + " no longer possible.");
    notes.add(
        "Kafka topics keep the subject's events until their retention ends, and the jobs'"
            + " checkpoints and savepoints keep keyed state (gold's per-customer running totals);"
            + " records the jobs commit after the erasure started are not covered.");
    int young = entries.stream().mapToInt(Certificate.TableEntry::youngOrphansKept).sum();
    if (young > 0) {
      notes.add(
          young
              + " unreferenced files younger than "
              + orphanMinAge
              + " were kept, as running jobs may still commit them; run the erasure again"
              + " later to remove them.");
    }
    return notes;
  }

  /** {@code silver.orders}, without the catalog's name in front. */
  static String nameOf(Table table) {
    String[] parts = table.name().split("\\.");
    return parts.length >= 2
        ? parts[parts.length - 2] + "." + parts[parts.length - 1]
        : table.name();
  }

  /** Every table of every namespace, ordered by name. */
  private static List<Table> tablesOf(Catalog catalog) {
    Set<String> namespaces = new TreeSet<>(Lake.ZONES);
    if (catalog instanceof SupportsNamespaces listing) {
      listing.listNamespaces().forEach(ns -> namespaces.add(ns.toString()));
    }
    List<Table> tables = new ArrayList<>();
    for (String namespace : namespaces) {
      List<TableIdentifier> ids;
      try {
        ids = catalog.listTables(Namespace.of(namespace.split("\\.")));
      } catch (org.apache.iceberg.exceptions.NoSuchNamespaceException absent) {
        continue;
      }
      ids.stream()
          .sorted(Comparator.comparing(TableIdentifier::toString))
          .forEach(id -> tables.add(catalog.loadTable(id)));
    }
    return tables;
  }

  /**
   * The subject's id and the keys of every record whose customer field holds it: typed rows of the
   * domain tables, and raw rows (bronze, quarantine) of domain topics whose payload holds it.
   */
  static Set<String> identifiers(List<Table> tables, String subject) {
    String customerField = DomainSchemas.forTable("customers").key().get(0);
    SubjectMatch direct = new SubjectMatch(Set.of(subject));
    Set<String> ids = new TreeSet<>();
    ids.add(subject);
    // keys only a raw payload ties to the subject; a key a typed row gives to someone else is not
    // followed: a refused record's key can be reused by another customer's real one
    Set<String> rawKeys = new TreeSet<>();
    Set<String> othersKeys = new TreeSet<>();
    for (Table table : tables) {
      Schema schema = table.schema();
      boolean raw =
          schema.findField("kafka_topic") != null
              && schema.findField("kafka_key") != null
              && schema.findField("value") != null;
      Optional<TableContract> contract = typedContract(table);
      boolean typed =
          contract.isPresent()
              && contract.get().field(customerField).isPresent()
              && referencedElsewhere(contract.get())
              && schema.findField(customerField) != null;
      if (!raw && !typed) {
        continue;
      }
      forEachRawRow(
          table,
          row -> {
            if (typed) {
              StringBuilder key = new StringBuilder();
              for (String field : contract.get().key()) {
                key.append(key.length() == 0 ? "" : SubjectMatch.KEY_SEPARATOR)
                    .append(row.getField(field));
              }
              boolean subjects = subject.equals(String.valueOf(row.getField(customerField)));
              (subjects ? ids : othersKeys).add(key.toString());
            } else if (raw && refersToCustomers(row, customerField)) {
              Object value = row.getField("value");
              Object key = row.getField("kafka_key");
              if (value != null
                  && key != null
                  && direct.matchesBytes(SubjectMatch.bytesOf(value))) {
                rawKeys.add(new String(SubjectMatch.bytesOf(key), StandardCharsets.UTF_8));
              }
            }
          });
    }
    rawKeys.removeAll(othersKeys);
    ids.addAll(rawKeys);
    return ids;
  }

  private static boolean refersToCustomers(Record row, String customerField) {
    Object topic = row.getField("kafka_topic");
    return topic != null
        && DomainSchemas.forTopic(topic.toString())
            .map(c -> c.field(customerField).isPresent() && referencedElsewhere(c))
            .orElse(false);
  }

  /**
   * Whether other contracts refer to this one's records by its key (payments and order items name
   * an {@code order_id}); only such keys need following. Keys nobody refers to are left out: a
   * click id is not unique in the workload, and following it would erase others' clicks.
   */
  static boolean referencedElsewhere(TableContract contract) {
    if (contract.key().size() != 1) {
      return false;
    }
    String key = contract.key().get(0);
    return DomainSchemas.all().stream()
        .anyMatch(other -> !other.table().equals(contract.table()) && other.field(key).isPresent());
  }

  /** The domain contract of a silver table named like one ({@code silver.orders}). */
  private static Optional<TableContract> typedContract(Table table) {
    String name = table.name();
    String[] parts = name.split("\\.");
    if (parts.length < 2 || !parts[parts.length - 2].equals("silver")) {
      return Optional.empty();
    }
    String last = parts[parts.length - 1];
    return DomainSchemas.all().stream().filter(c -> c.table().equals(last)).findFirst();
  }

  /** Every row physically in the table's current files, deletes not applied. */
  private static void forEachRawRow(Table table, java.util.function.Consumer<Record> action) {
    if (table.currentSnapshot() == null) {
      return;
    }
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask task : tasks) {
        try (CloseableIterable<Record> records =
            RawFiles.read(table.io(), task.file(), table.schema())) {
          records.forEach(action);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
