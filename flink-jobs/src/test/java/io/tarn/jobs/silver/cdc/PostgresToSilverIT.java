package io.tarn.jobs.silver.cdc;

import io.tarn.testing.db.PostgresServer;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The CDC contract end to end on PostgreSQL 15 (pgoutput): timestamptz, numeric, text[]. */
class PostgresToSilverIT extends AbstractSourceToSilverIT {
  static PostgresServer postgres;

  @BeforeAll
  static void startPostgres() {
    postgres = PostgresServer.start();
  }

  @AfterAll
  static void stopPostgres() {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Override
  Connection connect() throws SQLException {
    return postgres.connect();
  }

  @Override
  String namespace() {
    return "public";
  }

  @Override
  List<String> createTables(String accounts, String auditLog) {
    return List.of(
        "CREATE TABLE "
            + accounts
            + " (id bigint PRIMARY KEY, name text, balance numeric(12,2), opened date,"
            + " updated_at timestamptz, active boolean, tags text[])",
        "ALTER TABLE " + accounts + " REPLICA IDENTITY FULL",
        "CREATE TABLE " + auditLog + " (seq bigint, actor text, action text)",
        // without a key, updates and deletes need full row images to be published at all
        "ALTER TABLE " + auditLog + " REPLICA IDENTITY FULL");
  }

  @Override
  String addEmailColumn(String accounts) {
    return "ALTER TABLE " + accounts + " ADD COLUMN email text";
  }

  @Override
  String widenBalance(String accounts) {
    return "ALTER TABLE " + accounts + " ALTER COLUMN balance TYPE numeric(16,2)";
  }

  @Override
  Map<String, String> sourceSettings() {
    return Map.of(
        "source.kind",
        "postgres",
        "source.host",
        postgres.host(),
        "source.port",
        String.valueOf(postgres.port()),
        "source.database",
        postgres.database(),
        "source.user",
        PostgresServer.USER,
        "source.password",
        PostgresServer.PASSWORD);
  }

  @Override
  Instant randomInstant(Random random) {
    return Instant.ofEpochSecond(random.nextLong(0, 4_000_000_000L))
        .plus(random.nextLong(1_000_000), ChronoUnit.MICROS);
  }

  @Override
  void bindTimestamp(PreparedStatement ps, int index, Instant value, Random random)
      throws SQLException {
    // any offset: the column stores the instant
    ps.setObject(
        index,
        OffsetDateTime.ofInstant(value, ZoneOffset.UTC)
            .withOffsetSameInstant(ZoneOffset.ofHours(random.nextInt(-11, 12))));
  }

  @Override
  Instant readTimestamp(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  @Override
  void bindTags(Connection c, PreparedStatement ps, int index, List<String> tags)
      throws SQLException {
    if (tags == null) {
      ps.setNull(index, Types.ARRAY);
    } else {
      ps.setArray(index, c.createArrayOf("text", tags.toArray()));
    }
  }

  @Override
  List<String> readTags(ResultSet rs) throws SQLException {
    Array tags = rs.getArray("tags");
    return tags == null
        ? null
        : Arrays.stream((Object[]) tags.getArray()).map(t -> (String) t).toList();
  }

  @Override
  List<String> silverTags(Object value) {
    return value instanceof List<?> list ? list.stream().map(t -> (String) text(t)).toList() : null;
  }
}
