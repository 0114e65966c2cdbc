package io.tarn.local.erasure;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The record of one erasure: which subject (as its keyed hash, never the id), and per table the
 * rows deleted, files rewritten and snapshots expired. Printed, and kept as JSON in the lake
 * folder.
 *
 * @param identifiers how many identifiers of the subject were looked for (its id and the keys of
 *     records referencing it, such as order ids)
 * @param notes what the erasure deliberately left, in words
 */
public record Certificate(
    String erasureId,
    String subjectHash,
    Instant started,
    Instant finished,
    int identifiers,
    List<TableEntry> tables,
    List<String> notes) {

  /** One table's part of the erasure. */
  public record TableEntry(
      String table,
      long rowsDeleted,
      int dataFilesRewritten,
      int deleteFilesRemoved,
      int dataFilesWritten,
      int snapshotsExpired,
      int filesDeleted,
      int orphansDeleted,
      int youngOrphansKept) {
    static TableEntry of(TableEraser.Result erased, Purge.Result purged) {
      return new TableEntry(
          erased.table(),
          erased.rowsDeleted(),
          erased.dataFilesRewritten(),
          erased.deleteFilesRemoved(),
          erased.dataFilesWritten(),
          purged.snapshotsExpired(),
          purged.filesDeleted(),
          purged.orphansDeleted(),
          purged.youngOrphansKept());
    }
  }

  public Certificate {
    tables = List.copyOf(tables);
    notes = List.copyOf(notes);
  }

  public long rowsDeleted() {
    return tables.stream().mapToLong(TableEntry::rowsDeleted).sum();
  }

  public int snapshotsExpired() {
    return tables.stream().mapToInt(TableEntry::snapshotsExpired).sum();
  }

  public int youngOrphansKept() {
    return tables.stream().mapToInt(TableEntry::youngOrphansKept).sum();
  }

  public String toJson() {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = json.createObjectNode();
    root.put("erasure_id", erasureId);
    root.put("subject_hash", subjectHash);
    root.put("started", started.toString());
    root.put("finished", finished.toString());
    root.put("identifiers", identifiers);
    root.put("rows_deleted", rowsDeleted());
    root.put("snapshots_expired", snapshotsExpired());
    ArrayNode tableNodes = root.putArray("tables");
    for (TableEntry t : tables) {
      ObjectNode node = tableNodes.addObject();
      node.put("table", t.table());
      node.put("rows_deleted", t.rowsDeleted());
      node.put("data_files_rewritten", t.dataFilesRewritten());
      node.put("delete_files_removed", t.deleteFilesRemoved());
      node.put("data_files_written", t.dataFilesWritten());
      node.put("snapshots_expired", t.snapshotsExpired());
      node.put("files_deleted", t.filesDeleted());
      node.put("orphans_deleted", t.orphansDeleted());
      node.put("young_orphans_kept", t.youngOrphansKept());
    }
    ArrayNode noteNodes = root.putArray("notes");
    notes.forEach(noteNodes::add);
    try {
      return json.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write the erasure certificate " + erasureId, e);
    }
  }

  /** The certificate as the command prints it. */
  public String toText() {
    StringBuilder out = new StringBuilder();
    out.append("Erasure certificate ").append(erasureId).append('\n');
    out.append("  subject (keyed hash): ").append(subjectHash).append('\n');
    out.append("  started:  ").append(started).append('\n');
    out.append("  finished: ").append(finished);
    out.append(
        String.format(
            Locale.ROOT, " (%.1f s)%n", Duration.between(started, finished).toMillis() / 1000.0));
    out.append("  identifiers looked for: ").append(identifiers).append("\n\n");
    out.append(
        String.format(
            Locale.ROOT,
            "  %-42s %8s %10s %10s %10s %10s%n",
            "table",
            "rows",
            "files rw",
            "deletes rm",
            "snapshots",
            "files gone"));
    for (TableEntry t : tables) {
      out.append(
          String.format(
              Locale.ROOT,
              "  %-42s %8d %10d %10d %10d %10d%n",
              t.table(),
              t.rowsDeleted(),
              t.dataFilesRewritten(),
              t.deleteFilesRemoved(),
              t.snapshotsExpired(),
              t.filesDeleted() + t.orphansDeleted()));
    }
    out.append(
        String.format(
            Locale.ROOT,
            "  %-42s %8d %10s %10s %10d%n",
            "total",
            rowsDeleted(),
            "",
            "",
            snapshotsExpired()));
    if (!notes.isEmpty()) {
      out.append('\n');
      notes.forEach(note -> out.append("  note: ").append(note).append('\n'));
    }
    return out.toString();
  }
}
