package io.tarn.jobs.silver.cdc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tarn.testing.db.MariaDbServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The CDC contract end to end on MariaDB 10.11 (row binlog, full images): TIMESTAMP(6) in a UTC
 * session, DECIMAL, BOOLEAN (tinyint), and a JSON array where PostgreSQL has text[].
 */
class MariaDbToSilverIT extends AbstractSourceToSilverIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  static MariaDbServer mariadb;

  @BeforeAll
  static void startMariaDb() {
    mariadb = MariaDbServer.start();
  }

  @AfterAll
  static void stopMariaDb() {
    if (mariadb != null) {
      mariadb.close();
    }
  }

  @Override
  Connection connect() throws SQLException {
    // a UTC session: TIMESTAMP values are written and read as UTC wall clock
    return DriverManager.getConnection(
        mariadb.jdbcUrl() + "?sessionVariables=time_zone='+00:00'",
        MariaDbServer.USER,
        MariaDbServer.PASSWORD);
  }

  @Override
  String namespace() {
    return mariadb.database();
  }

  @Override
  List<String> createTables(String accounts, String auditLog) {
    return List.of(
        "CREATE TABLE "
            + accounts
            + " (id BIGINT PRIMARY KEY, name TEXT NULL, balance DECIMAL(12,2) NULL,"
            + " opened DATE NULL, updated_at TIMESTAMP(6) NULL DEFAULT NULL, active BOOLEAN NULL,"
            + " tags JSON NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
        "CREATE TABLE "
            + auditLog
            + " (seq BIGINT, actor TEXT, action TEXT) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
  }

  @Override
  String addEmailColumn(String accounts) {
    return "ALTER TABLE " + accounts + " ADD COLUMN email VARCHAR(80) NULL";
  }

  @Override
  String widenBalance(String accounts) {
    return "ALTER TABLE " + accounts + " MODIFY balance DECIMAL(16,2) NULL";
  }

  @Override
  Map<String, String> sourceSettings() {
    return Map.of(
        "source.kind",
        "mariadb",
        "source.host",
        mariadb.host(),
        "source.port",
        String.valueOf(mariadb.port()),
        "source.database",
        mariadb.database(),
        "source.user",
        MariaDbServer.USER,
        "source.password",
        MariaDbServer.PASSWORD);
  }

  @Override
  Instant randomInstant(Random random) {
    // TIMESTAMP's range: 1970-01-01 00:00:01 UTC to 2038-01-19
    return Instant.ofEpochSecond(random.nextLong(86_400, 2_140_000_000L))
        .plus(random.nextLong(1_000_000), ChronoUnit.MICROS);
  }

  @Override
  void bindTimestamp(PreparedStatement ps, int index, Instant value, Random random)
      throws SQLException {
    ps.setObject(index, LocalDateTime.ofInstant(value, ZoneOffset.UTC));
  }

  @Override
  Instant readTimestamp(ResultSet rs, String column) throws SQLException {
    LocalDateTime value = rs.getObject(column, LocalDateTime.class);
    return value == null ? null : value.toInstant(ZoneOffset.UTC);
  }

  @Override
  void bindTags(Connection c, PreparedStatement ps, int index, List<String> tags)
      throws SQLException {
    try {
      ps.setString(index, tags == null ? null : JSON.writeValueAsString(tags));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  List<String> readTags(ResultSet rs) throws SQLException {
    return parse(rs.getString("tags"));
  }

  @Override
  List<String> silverTags(Object value) {
    return parse((String) text(value));
  }

  private static List<String> parse(String json) {
    try {
      return json == null ? null : JSON.readValue(json, new TypeReference<List<String>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot parse tags " + json, e);
    }
  }
}
