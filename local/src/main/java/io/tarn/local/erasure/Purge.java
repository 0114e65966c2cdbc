package io.tarn.local.erasure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.PartitionStatisticsFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.StatisticsFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsPrefixOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a table's removed bytes physically gone: manifests are rewritten so no entry of a removed
 * file (with its column bounds) survives, every snapshot older than now is expired with its
 * unreachable files, and files no snapshot or metadata file references (leftovers of failed writes)
 * are deleted once older than {@code orphanMinAge}, so a running job's not yet committed files are
 * left alone.
 */
final class Purge {
  /** What was removed from one table. */
  record Result(int snapshotsExpired, int filesDeleted, int orphansDeleted, int youngOrphansKept) {}

  private static final Logger LOG = LoggerFactory.getLogger(Purge.class);
  private static final int MAX_ATTEMPTS = 5;

  private final Duration orphanMinAge;

  Purge(Duration orphanMinAge) {
    this.orphanMinAge = orphanMinAge;
  }

  Result run(Table table) {
    table.refresh();
    AtomicInteger deleted = new AtomicInteger();
    int expired = 0;
    if (table.currentSnapshot() != null) {
      retried(table, "rewrite the manifests of", () -> ManifestScrub.run(table));
      table.refresh();
      Snapshot current = table.currentSnapshot();
      int before = count(table.snapshots());
      List<CommitMarkers.Marker> markers = CommitMarkers.newest(table);
      table
          .expireSnapshots()
          .expireOlderThan(current.timestampMillis() + 1)
          .retainLast(1)
          .cleanExpiredFiles(true)
          .deleteWith(
              location -> {
                table.io().deleteFile(location);
                deleted.incrementAndGet();
              })
          .commit();
      table.refresh();
      expired = before - count(table.snapshots());
      CommitMarkers.restore(table, markers);
    }
    int[] orphans = retried(table, "delete orphan files of", () -> deleteOrphans(table));
    return new Result(expired, deleted.get(), orphans[0], orphans[1]);
  }

  /**
   * Runs a step again while jobs' commits get in its way: a manifest it rewrites may be merged
   * meanwhile (a {@code ValidationException}), a file it lists may be gone before its status is
   * read (Hadoop's local file system says so with a bare {@code RuntimeException}). Each attempt
   * starts from the table's state at that moment, so repeating is safe; a lasting error is thrown
   * after the last attempt.
   */
  private static <T> T retried(Table table, String what, Supplier<T> step) {
    for (int attempt = 1; ; attempt++) {
      try {
        table.refresh();
        return step.get();
      } catch (RuntimeException e) {
        if (attempt >= MAX_ATTEMPTS) {
          throw new IllegalStateException(
              "Cannot "
                  + what
                  + " "
                  + table.name()
                  + " after "
                  + attempt
                  + " attempts (jobs committing meanwhile?): "
                  + e.getMessage(),
              e);
        }
        LOG.info("Cannot {} {} yet, trying again: {}", what, table.name(), e.toString());
      }
    }
  }

  /** Deletes unreferenced files; returns {deleted, kept because younger than the minimum age}. */
  private int[] deleteOrphans(Table table) {
    if (!(table.io() instanceof SupportsPrefixOperations listing)) {
      throw new IllegalStateException(
          "Cannot look for orphan files of "
              + table.name()
              + ": its FileIO cannot list a prefix ("
              + table.io().getClass().getName()
              + ")");
    }
    Set<String> referenced = referenced(table);
    long cutoff = Instant.now().minus(orphanMinAge).toEpochMilli();
    int deleted = 0;
    int young = 0;
    String prefix = table.location().endsWith("/") ? table.location() : table.location() + "/";
    for (FileInfo file : listing.listPrefix(prefix)) {
      if (referenced.contains(normalize(file.location()))) {
        continue;
      }
      if (file.createdAtMillis() <= cutoff) {
        table.io().deleteFile(file.location());
        deleted++;
      } else {
        young++;
      }
    }
    return new int[] {deleted, young};
  }

  /** Every file the table's metadata reaches: metadata, snapshots, manifests, data and deletes. */
  static Set<String> referenced(Table table) {
    FileIO io = table.io();
    Set<String> files = new HashSet<>();
    TableMetadata metadata = ((HasTableOperations) table).operations().current();
    files.add(normalize(metadata.metadataFileLocation()));
    metadata.previousFiles().forEach(entry -> files.add(normalize(entry.file())));
    for (StatisticsFile stats : metadata.statisticsFiles()) {
      files.add(normalize(stats.path()));
    }
    for (PartitionStatisticsFile stats : metadata.partitionStatisticsFiles()) {
      files.add(normalize(stats.path()));
    }
    for (Snapshot snapshot : table.snapshots()) {
      files.add(normalize(snapshot.manifestListLocation()));
      for (ManifestFile manifest : snapshot.allManifests(io)) {
        files.add(normalize(manifest.path()));
        try (ManifestReader<? extends ContentFile<?>> reader =
            manifest.content() == org.apache.iceberg.ManifestContent.DATA
                ? ManifestFiles.read(manifest, io, table.specs())
                : ManifestFiles.readDeleteManifest(manifest, io, table.specs())) {
          for (ContentFile<?> file : reader) {
            files.add(normalize(file.location()));
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return files;
  }

  /** {@code file:/x}, {@code file:///x} and {@code /x} name the same local file. */
  static String normalize(String location) {
    if (location.startsWith("file:")) {
      String path = location.substring("file:".length());
      while (path.startsWith("//")) {
        path = path.substring(1);
      }
      return path;
    }
    return location;
  }

  private static int count(Iterable<?> items) {
    int n = 0;
    for (Object ignored : items) {
      n++;
    }
    return n;
  }
}
