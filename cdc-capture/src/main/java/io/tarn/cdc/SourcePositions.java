package io.tarn.cdc;

import org.apache.kafka.connect.data.Struct;

/**
 * The {@code source_position} of a change: a long that orders the changes of one row (one primary
 * key) in the order the source database applied them.
 *
 * <p><b>PostgreSQL</b>: the LSN of the change's WAL record ({@code source.lsn}). With pgoutput
 * every changed row has its own WAL record, so changes never share an LSN (except the delete and
 * insert Debezium emits for one update that changes the primary key, which concern different keys).
 * Two changes of the same row are serialised by the row lock, so the later one is written after the
 * earlier one committed and has the larger LSN.
 *
 * <p><b>MariaDB</b>: {@code (binlog file number << 32) + position of the rows event + row index in
 * the event}. Binlog positions are 32-bit, so the file number moves to the high half; the binlog is
 * written in commit order. The row index (Debezium's {@code source.row}) cannot reach the next
 * event: every row image takes at least one byte of the event, so {@code pos + row < pos + event
 * length <= next event's pos}.
 *
 * <p><b>Snapshot rows</b> ({@code op = r}) are older than every streamed change of the same row: on
 * MariaDB they carry the snapshot's binlog coordinate minus one (streaming starts at that
 * coordinate); on PostgreSQL they carry 0, because a transaction that was running when the snapshot
 * was taken commits later and is streamed, yet its changes may have LSNs below the snapshot's. A
 * later re-snapshot therefore has to be loaded as a fresh copy downstream.
 */
public final class SourcePositions {
  private SourcePositions() {}

  /** The position of a PostgreSQL change event from its Debezium source struct. */
  public static long postgres(Struct source, boolean snapshot) {
    if (snapshot) {
      return 0L;
    }
    Long lsn = source.getInt64("lsn");
    if (lsn == null) {
      throw new IllegalArgumentException("Cannot order PostgreSQL change: source has no lsn");
    }
    return lsn;
  }

  /** The position of a MariaDB change event from its Debezium source struct. */
  public static long mariadb(Struct source, boolean snapshot) {
    String file = source.getString("file");
    Long pos = source.getInt64("pos");
    Integer row = source.getInt32("row");
    return mariadb(file, pos == null ? 0 : pos, row == null ? 0 : row, snapshot);
  }

  /**
   * {@code (file number << 32) + pos + row}; snapshot rows get the coordinate minus one.
   *
   * @param file a binlog file name such as {@code mariadb-bin.000042}
   */
  public static long mariadb(String file, long pos, int row, boolean snapshot) {
    long fileNumber = binlogFileNumber(file);
    if (pos < 0 || pos > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException(
          "Cannot order MariaDB change: binlog position " + pos + " is not a 32-bit offset");
    }
    if (row < 0) {
      throw new IllegalArgumentException("Cannot order MariaDB change: row index " + row);
    }
    long coordinate = (fileNumber << 32) + pos;
    return snapshot ? coordinate - 1 : coordinate + row;
  }

  /** The numeric suffix of a binlog file name ({@code mariadb-bin.000042} → 42). */
  public static long binlogFileNumber(String file) {
    if (file == null) {
      throw new IllegalArgumentException("Cannot order MariaDB change: source has no binlog file");
    }
    int dot = file.lastIndexOf('.');
    try {
      long number = Long.parseLong(file.substring(dot + 1));
      if (number < 0 || number >= (1L << 31)) {
        throw new NumberFormatException("out of range");
      }
      return number;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Cannot order MariaDB change: binlog file name " + file + " has no numeric suffix", e);
    }
  }
}
