package io.tarn.local.erasure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.ManifestContent;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.ManifestWriter;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.RewriteManifests;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.io.OutputFile;

/**
 * Rewrites every manifest of the current snapshot that still lists removed files: a {@code DELETED}
 * entry keeps the removed file's column lower and upper bounds, which can be the erased values
 * themselves (an equality-delete file's bounds are the keys it deletes). Live entries are copied as
 * {@code EXISTING} with their snapshot ids and sequence numbers; data and delete manifests alike,
 * in one {@code RewriteManifests} commit.
 */
final class ManifestScrub {
  private ManifestScrub() {}

  /** Returns how many manifests were replaced. */
  static int run(Table table) {
    table.refresh();
    Snapshot current = table.currentSnapshot();
    if (current == null) {
      return 0;
    }
    Map<Long, Long> snapshotBySequence = new HashMap<>();
    table.snapshots().forEach(s -> snapshotBySequence.put(s.sequenceNumber(), s.snapshotId()));
    TableOperations ops = ((HasTableOperations) table).operations();
    RewriteManifests rewrite = table.rewriteManifests();
    int replaced = 0;
    for (ManifestFile manifest : current.allManifests(table.io())) {
      if (!manifest.hasDeletedFiles()) {
        continue;
      }
      rewrite.deleteManifest(manifest);
      long fallback = manifest.snapshotId() == null ? current.snapshotId() : manifest.snapshotId();
      ManifestFile clean = copyLive(table, ops, manifest, snapshotBySequence, fallback);
      if (clean != null) {
        rewrite.addManifest(clean);
      }
      replaced++;
    }
    if (replaced > 0) {
      rewrite.commit();
    }
    return replaced;
  }

  private static ManifestFile copyLive(
      Table table,
      TableOperations ops,
      ManifestFile manifest,
      Map<Long, Long> snapshotBySequence,
      long fallbackSnapshotId) {
    PartitionSpec spec = table.specs().get(manifest.partitionSpecId());
    int formatVersion = ops.current().formatVersion();
    OutputFile out =
        table
            .io()
            .newOutputFile(ops.metadataFileLocation("erasure-" + UUID.randomUUID() + "-m0.avro"));
    boolean deletes = manifest.content() == ManifestContent.DELETES;
    long live = 0;
    try (ManifestReader<? extends ContentFile<?>> reader =
        deletes
            ? ManifestFiles.readDeleteManifest(manifest, table.io(), table.specs())
            : ManifestFiles.read(manifest, table.io(), table.specs())) {
      ManifestWriter<DataFile> dataWriter =
          deletes ? null : ManifestFiles.write(formatVersion, spec, out, null);
      ManifestWriter<DeleteFile> deleteWriter =
          deletes ? ManifestFiles.writeDeleteManifest(formatVersion, spec, out, null) : null;
      try {
        for (ContentFile<?> file : reader) {
          long addedBy =
              snapshotBySequence.getOrDefault(file.fileSequenceNumber(), fallbackSnapshotId);
          if (deletes) {
            deleteWriter.existing(
                ((DeleteFile) file).copy(),
                addedBy,
                file.dataSequenceNumber(),
                file.fileSequenceNumber());
          } else {
            dataWriter.existing(
                ((DataFile) file).copy(),
                addedBy,
                file.dataSequenceNumber(),
                file.fileSequenceNumber());
          }
          live++;
        }
      } finally {
        if (deletes) {
          deleteWriter.close();
        } else {
          dataWriter.close();
        }
      }
      if (live == 0) {
        table.io().deleteFile(out.location());
        return null;
      }
      return deletes ? deleteWriter.toManifestFile() : dataWriter.toManifestFile();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot rewrite manifest " + manifest.path(), e);
    }
  }
}
