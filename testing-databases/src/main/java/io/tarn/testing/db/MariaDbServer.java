package io.tarn.testing.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private throwaway MariaDB for tests: a temp data dir, a free port on 127.0.0.1, row-based
 * binlog with full row images, admin user {@code tarn} / {@code tarn} (all privileges) and a
 * database {@code tarn}. Needs the Debian package: {@code apt-get install -y mariadb-server}.
 */
public final class MariaDbServer implements AutoCloseable {
  public static final String USER = "tarn";
  public static final String PASSWORD = "tarn";
  public static final String DATABASE = "tarn";

  private final Path dir;
  private final int port;
  private final Process process;
  private final Thread hook;

  private MariaDbServer(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
    this.hook = new Thread(this::stop, "mariadb-test-stop");
  }

  public static MariaDbServer start() {
    for (String binary : List.of("/usr/sbin/mariadbd", "/usr/bin/mariadb-install-db")) {
      if (!Files.isExecutable(Path.of(binary))) {
        throw new IllegalStateException(
            "MariaDB is not installed ("
                + binary
                + " missing): run `apt-get install -y"
                + " mariadb-server`");
      }
    }
    Path dir;
    try {
      dir = Files.createTempDirectory("tarn-mariadb-");
      Files.writeString(
          dir.resolve("init.sql"),
          "CREATE USER IF NOT EXISTS '"
              + USER
              + "'@'%' IDENTIFIED BY '"
              + PASSWORD
              + "';\n"
              + "GRANT ALL PRIVILEGES ON *.* TO '"
              + USER
              + "'@'%' WITH GRANT OPTION;\n"
              + "CREATE DATABASE IF NOT EXISTS "
              + DATABASE
              + ";\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path data = dir.resolve("data");
    Processes.chown(dir, "mysql"); // the temp dir is private to root; mysql must reach into it
    Processes.run(
        120,
        "/usr/bin/mariadb-install-db",
        "--no-defaults",
        "--user=mysql",
        "--datadir=" + data,
        "--auth-root-authentication-method=socket",
        "--skip-test-db");
    Processes.chown(dir, "mysql");
    int port = Processes.freePort();
    Process process;
    try {
      process =
          new ProcessBuilder(
                  "/usr/sbin/mariadbd",
                  "--no-defaults",
                  "--datadir=" + data,
                  "--socket=" + dir.resolve("mysqld.sock"),
                  "--port=" + port,
                  "--bind-address=127.0.0.1",
                  "--server-id=1",
                  "--log-bin=" + dir.resolve("binlog"),
                  "--binlog-format=ROW",
                  "--binlog-row-image=FULL",
                  "--user=mysql",
                  "--skip-name-resolve",
                  "--init-file=" + dir.resolve("init.sql"),
                  "--pid-file=" + dir.resolve("mysqld.pid"),
                  "--innodb-buffer-pool-size=64M",
                  "--innodb-flush-log-at-trx-commit=2")
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("mariadb.log").toFile())
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start mariadbd", e);
    }
    MariaDbServer server = new MariaDbServer(dir, port, process);
    Runtime.getRuntime().addShutdownHook(server.hook);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try (Connection c = server.connect()) {
        return server;
      } catch (SQLException e) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          String log = Processes.tail(dir.resolve("mariadb.log"), 30);
          server.close();
          throw new IllegalStateException("Cannot start MariaDB: " + e + "\n" + log, e);
        }
        try {
          Thread.sleep(200);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(ie);
        }
      }
    }
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
    return "jdbc:mariadb://127.0.0.1:" + port + "/" + DATABASE;
  }

  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), USER, PASSWORD);
  }

  private void stop() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
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
