package io.tarn.testing.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A private throwaway PostgreSQL 15 for tests: a temp data dir owned by {@code postgres}, a free
 * port on 127.0.0.1, logical decoding enabled, trust authentication (admin {@code postgres} /
 * {@code postgres}). Needs the Debian package: {@code apt-get install -y postgresql}.
 */
public final class PostgresServer implements AutoCloseable {
  public static final String BIN = "/usr/lib/postgresql/15/bin";
  public static final String USER = "postgres";
  public static final String PASSWORD = "postgres";
  public static final String DATABASE = "tarn";

  private final Path dir;
  private final int port;
  private final Thread hook;

  private PostgresServer(Path dir, int port) {
    this.dir = dir;
    this.port = port;
    this.hook = new Thread(this::stop, "postgres-test-stop");
  }

  public static PostgresServer start() {
    if (!Files.isExecutable(Path.of(BIN, "pg_ctl"))) {
      throw new IllegalStateException(
          "PostgreSQL 15 is not installed ("
              + BIN
              + "/pg_ctl missing): run `apt-get install -y postgresql`");
    }
    Path dir;
    try {
      dir = Files.createTempDirectory("tarn-pg-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Processes.chown(dir, "postgres");
    int port = Processes.freePort();
    Path data = dir.resolve("data");
    asPostgres(
        BIN + "/initdb",
        "-D",
        data.toString(),
        "-U",
        USER,
        "-A",
        "trust",
        "-E",
        "UTF8",
        "--locale=C.UTF-8");
    String options =
        "-c port="
            + port
            + " -c listen_addresses=127.0.0.1"
            + " -c unix_socket_directories="
            + dir
            + " -c wal_level=logical -c max_replication_slots=10 -c max_wal_senders=10"
            + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            + " -c shared_buffers=64MB";
    PostgresServer server = new PostgresServer(dir, port);
    Runtime.getRuntime().addShutdownHook(server.hook);
    try {
      asPostgres(
          BIN + "/pg_ctl",
          "-D",
          data.toString(),
          "-l",
          dir.resolve("postgres.log").toString(),
          "-o",
          options,
          "-w",
          "-t",
          "60",
          "start");
      try (Connection c = DriverManager.getConnection(server.jdbcUrl("postgres"), USER, PASSWORD);
          Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE " + DATABASE);
      }
    } catch (RuntimeException | SQLException e) {
      String log = Processes.tail(dir.resolve("postgres.log"), 30);
      server.close();
      throw new IllegalStateException("Cannot start PostgreSQL: " + e + "\n" + log, e);
    }
    return server;
  }

  private static void asPostgres(String... command) {
    String[] full = new String[command.length + 3];
    full[0] = "runuser";
    full[1] = "-u";
    full[2] = "postgres";
    // runuser -u user -- cmd...
    String[] withSep = new String[full.length + 1];
    System.arraycopy(full, 0, withSep, 0, 3);
    withSep[3] = "--";
    System.arraycopy(command, 0, withSep, 4, command.length);
    Processes.run(120, withSep);
  }

  public String host() {
    return "127.0.0.1";
  }

  public int port() {
    return port;
  }

  public String database() {
    return DATABASE;
  }

  public String jdbcUrl() {
    return jdbcUrl(DATABASE);
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), USER, PASSWORD);
  }

  /** Drops a replication slot if it exists (after its capture closed). */
  public void dropSlot(String slot) {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      for (int attempt = 0; attempt < 50; attempt++) {
        try {
          s.execute(
              "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name"
                  + " = '"
                  + slot
                  + "'");
          return;
        } catch (SQLException e) {
          Thread.sleep(200); // still active: the walsender is going away
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot drop replication slot " + slot + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void stop() {
    if (Files.exists(dir.resolve("data/postmaster.pid"))) {
      try {
        asPostgres(
            BIN + "/pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
      } catch (RuntimeException e) {
        // best effort
      }
    }
    Processes.deleteTree(dir);
  }

  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // shutting down
    }
  }
}
