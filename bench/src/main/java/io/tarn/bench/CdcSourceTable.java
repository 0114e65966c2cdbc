package io.tarn.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/**
 * A PostgreSQL table B2 captures: {@code public.<name>} with a bigint primary key and four value
 * columns (~60 B a row), seeded with ids 1..rows, then changed by single-row paced inserts (the
 * latency probes) and multi-row bulk updates (the throughput phase).
 */
final class CdcSourceTable {
  private final Callable<Connection> connections;
  private final String name;

  CdcSourceTable(Callable<Connection> connections, String name) {
    if (!name.matches("[a-z][a-z0-9_]*")) {
      throw new IllegalArgumentException("Cannot use table name " + name + ": not an identifier");
    }
    this.connections = connections;
    this.name = name;
  }

  /**
   * A connection whose commits flush the WAL at once. The test server runs with {@code
   * synchronous_commit=off}, under which a commit reaches the WAL sender only at the WAL writer's
   * next round (up to 200 ms later): latency the server's setting would add to every capture alike,
   * and that a production default (on) does not have.
   */
  private Connection connect() throws Exception {
    Connection c = connections.call();
    try (Statement s = c.createStatement()) {
      s.execute("SET synchronous_commit = on");
    }
    return c;
  }

  String name() {
    return name;
  }

  /** {@code schema.table} as cdc-capture's {@code source.tables} names it. */
  String qualified() {
    return "public." + name;
  }

  /** Creates the table and inserts ids 1..rows in one statement. */
  void create(long rows) throws Exception {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + qualified());
      s.execute(
          "CREATE TABLE "
              + qualified()
              + " (id bigint PRIMARY KEY, v bigint NOT NULL, name text, amount numeric(12,2),"
              + " updated_at timestamptz)");
      s.execute(
          "INSERT INTO "
              + qualified()
              + " SELECT g, 0, md5(g::text), (g % 100000) / 100.0, now()"
              + " FROM generate_series(1, "
              + rows
              + ") g");
      s.execute("ANALYZE " + qualified());
    }
  }

  void drop() throws Exception {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + qualified());
    }
  }

  /**
   * Inserts ids {@code firstId}, {@code firstId + 1}, ... one per autocommitted transaction, {@code
   * count} in all, at {@code perSecond} on a fixed schedule (a late insert does not shift the
   * following ones). Returns, per insert, the wall-clock time just before its commit was sent, so a
   * latency measured from it includes the commit itself.
   */
  long[] pacedInserts(long firstId, int count, double perSecond) throws Exception {
    long[] sentAt = new long[count];
    long period = Math.round(1e9 / perSecond);
    try (Connection c = connect();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO "
                    + qualified()
                    + " (id, v, name, amount, updated_at) VALUES (?, 0, ?, 1.00, now())")) {
      c.setAutoCommit(true);
      long start = System.nanoTime();
      for (int i = 0; i < count; i += 1) {
        long due = start + i * period;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        ps.setLong(1, firstId + i);
        ps.setString(2, "probe" + i);
        sentAt[i] = System.currentTimeMillis();
        ps.executeUpdate();
      }
    }
    return sentAt;
  }

  /** Updates ids 1..rows in transactions of {@code perTransaction} rows, as fast as it can. */
  Duration bulkUpdates(long rows, int perTransaction) throws SQLException, Exception {
    long start = System.nanoTime();
    try (Connection c = connect();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE "
                    + qualified()
                    + " SET v = v + 1, updated_at = now() WHERE id > ? AND id <= ?")) {
      c.setAutoCommit(true);
      for (long from = 0; from < rows; from += perTransaction) {
        ps.setLong(1, from);
        ps.setLong(2, Math.min(rows, from + perTransaction));
        ps.executeUpdate();
      }
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
