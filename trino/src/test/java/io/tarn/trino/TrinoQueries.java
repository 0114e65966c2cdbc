package io.tarn.trino;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Queries to a running {@link TrinoServer} through trino-jdbc as a named user (Trino's access
 * control decides by it), each answer as rows of its values joined by {@code |}.
 */
final class TrinoQueries {
  private final String url;

  private TrinoQueries(String url) {
    this.url = url;
  }

  /** Queries with no default catalog: every table name is qualified. */
  static TrinoQueries to(TrinoServer trino) {
    return new TrinoQueries(trino.jdbcUrl());
  }

  /** Queries whose session's default catalog is {@code catalog}. */
  static TrinoQueries to(TrinoServer trino, String catalog) {
    return new TrinoQueries(trino.jdbcUrl() + "/" + catalog);
  }

  /** A connection as {@code user}; the caller closes it. */
  Connection connect(String user) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", user);
    return DriverManager.getConnection(url, props);
  }

  /** The rows {@code user} reads, on a connection of its own. */
  List<String> rows(String user, String sql) throws SQLException {
    try (Connection trino = connect(user)) {
      return rows(trino, sql);
    }
  }

  /** The rows, each as its columns joined by {@code |}, in the order Trino returns them. */
  static List<String> rows(Connection trino, String sql) throws SQLException {
    try (Statement s = trino.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      List<String> rows = new ArrayList<>();
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> values = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
          values.add(String.valueOf(rs.getString(i)));
        }
        rows.add(String.join("|", values));
      }
      return rows;
    }
  }

  /** The number a {@code SELECT count(*)} answers. */
  static long count(Connection trino, String sql) throws SQLException {
    try (Statement s = trino.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      if (!rs.next()) {
        throw new IllegalStateException("Cannot count: no row from " + sql);
      }
      return rs.getLong(1);
    }
  }
}
