package io.tarn.cdc;

import io.tarn.testing.db.PostgresServer;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract on a private PostgreSQL 15 (pgoutput). Captured tables get {@code REPLICA IDENTITY
 * FULL} so updates and deletes carry the whole before-image.
 */
class PostgresChangeCaptureIT extends AbstractChangeCaptureIT {
  static PostgresServer server;

  @BeforeAll
  static void startPostgres() throws SQLException {
    server = PostgresServer.start();
    try (Connection c = server.connect()) {
      execute(c, List.of("CREATE TYPE mood AS ENUM ('happy', 'sad', 'ok')"));
    }
  }

  @AfterAll
  static void stopPostgres() {
    if (server != null) {
      server.close();
    }
  }

  @Override
  Connection connect() throws SQLException {
    return server.connect();
  }

  @Override
  String namespace() {
    return "public";
  }

  @Override
  List<String> createTable(String table, List<Column> columns, boolean primaryKey) {
    StringBuilder sql = new StringBuilder("CREATE TABLE " + table + " (id bigint");
    sql.append(primaryKey ? " PRIMARY KEY" : "");
    for (Column column : columns) {
      sql.append(", ").append(column.name()).append(' ').append(column.sqlType());
    }
    sql.append(')');
    return List.of(sql.toString(), "ALTER TABLE " + table + " REPLICA IDENTITY FULL");
  }

  @Override
  List<Column> allTypes() {
    List<Column> c = new ArrayList<>();
    c.add(new Column("c_smallint", "smallint", "?", Kind.INT, r -> r.nextInt(-32768, 32768)));
    c.add(new Column("c_int", "integer", "?", Kind.INT, r -> r.nextInt()));
    c.add(new Column("c_bigint", "bigint", "?", Kind.INT, r -> r.nextLong()));
    c.add(
        new Column(
            "c_dec2",
            "numeric(12,2)",
            "?",
            Kind.DECIMAL,
            r -> BigDecimal.valueOf(r.nextLong(-999_999_999_999L, 999_999_999_999L), 2)));
    c.add(
        new Column(
            "c_dec10",
            "numeric(20,10)",
            "?",
            Kind.DECIMAL,
            r ->
                BigDecimal.valueOf(
                    r.nextLong(-999_999_999_999_999_999L, 999_999_999_999_999_999L), 10)));
    c.add(new Column("c_real", "real", "?", Kind.FLOAT, r -> r.nextFloat() * 1000 - 500));
    c.add(new Column("c_double", "double precision", "?", Kind.DOUBLE, r -> r.nextDouble() * 1e6));
    c.add(new Column("c_bool", "boolean", "?", Kind.BOOL, r -> r.nextBoolean()));
    c.add(new Column("c_text", "text", "?", Kind.TEXT, r -> randomText(r, 30)));
    c.add(new Column("c_varchar", "varchar(40)", "?", Kind.TEXT, r -> randomText(r, 40)));
    c.add(new Column("c_char", "char(5)", "?", Kind.TEXT, r -> randomText(r, 5)));
    c.add(
        new Column(
            "c_date", "date", "?", Kind.DATE, r -> LocalDate.ofEpochDay(r.nextInt(-20000, 30000))));
    c.add(
        new Column(
            "c_ts",
            "timestamp(6)",
            "?",
            Kind.TS,
            r -> randomDateTime(r, -1_000_000_000L, 4_000_000_000L)));
    c.add(
        new Column(
            "c_tstz",
            "timestamptz",
            "?",
            Kind.TSTZ,
            r ->
                OffsetDateTime.of(
                    randomDateTime(r, 0, 4_000_000_000L), ZoneOffset.ofHours(r.nextInt(-11, 12)))));
    c.add(
        new Column(
            "c_time",
            "time(6)",
            "?",
            Kind.TIME,
            r -> LocalTime.ofNanoOfDay(r.nextLong(86_400_000_000L) * 1000)));
    c.add(
        new Column(
            "c_json", "json", "?::json", Kind.JSON_TEXT, AbstractChangeCaptureIT::randomJson));
    c.add(
        new Column(
            "c_jsonb", "jsonb", "?::jsonb", Kind.JSON_TEXT, AbstractChangeCaptureIT::randomJson));
    c.add(
        new Column(
            "c_uuid", "uuid", "?", Kind.UUID_TEXT, r -> new UUID(r.nextLong(), r.nextLong())));
    c.add(
        new Column(
            "c_bytea",
            "bytea",
            "?",
            Kind.BYTES,
            r -> {
              byte[] b = new byte[r.nextInt(20)];
              r.nextBytes(b);
              return b;
            }));
    c.add(
        new Column(
            "c_int_array",
            "integer[]",
            "?",
            Kind.INT_ARRAY,
            r -> {
              Integer[] a = new Integer[r.nextInt(5)];
              for (int i = 0; i < a.length; i++) {
                a[i] = r.nextInt(10) == 0 ? null : r.nextInt();
              }
              return a;
            }));
    c.add(
        new Column(
            "c_text_array",
            "text[]",
            "?",
            Kind.TEXT_ARRAY,
            r -> {
              String[] a = new String[r.nextInt(4)];
              for (int i = 0; i < a.length; i++) {
                a[i] = randomText(r, 8);
              }
              return a;
            }));
    c.add(
        new Column(
            "c_enum",
            "mood",
            "?::mood",
            Kind.TEXT,
            r -> List.of("happy", "sad", "ok").get(r.nextInt(3))));
    return c;
  }

  @Override
  String addColumnSql(String table, String column) {
    return "ALTER TABLE " + table + " ADD COLUMN " + column + " varchar(40)";
  }

  @Override
  String textToIntSql(String table, String column) {
    return "ALTER TABLE "
        + table
        + " ALTER COLUMN "
        + column
        + " TYPE integer USING "
        + column
        + "::integer";
  }

  @Override
  Map<String, String> sourceSettings() {
    return Map.of(
        CaptureConfig.SOURCE_KIND,
        "postgres",
        CaptureConfig.SOURCE_HOST,
        server.host(),
        CaptureConfig.SOURCE_PORT,
        String.valueOf(server.port()),
        CaptureConfig.SOURCE_DATABASE,
        server.database(),
        CaptureConfig.SOURCE_USER,
        PostgresServer.USER,
        CaptureConfig.SOURCE_PASSWORD,
        PostgresServer.PASSWORD);
  }

  @Override
  void afterCapture(String prefix) {
    server.dropSlot("tarn_" + prefix);
  }
}
