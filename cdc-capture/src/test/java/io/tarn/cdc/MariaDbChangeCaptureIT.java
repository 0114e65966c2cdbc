package io.tarn.cdc;

import io.tarn.testing.db.MariaDbServer;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract on a private MariaDB (row-based binlog, full row images). */
class MariaDbChangeCaptureIT extends AbstractChangeCaptureIT {
  static MariaDbServer server;

  @BeforeAll
  static void startMariaDb() {
    server = MariaDbServer.start();
  }

  @AfterAll
  static void stopMariaDb() {
    if (server != null) {
      server.close();
    }
  }

  @Override
  Connection connect() throws SQLException {
    // a UTC session: TIMESTAMP values are written and read as UTC wall clock
    return DriverManager.getConnection(
        server.jdbcUrl() + "?sessionVariables=time_zone='+00:00'",
        MariaDbServer.USER,
        MariaDbServer.PASSWORD);
  }

  @Override
  String namespace() {
    return server.database();
  }

  @Override
  List<String> createTable(String table, List<Column> columns, boolean primaryKey) {
    StringBuilder sql = new StringBuilder("CREATE TABLE " + table + " (id BIGINT");
    sql.append(primaryKey ? " PRIMARY KEY" : "");
    for (Column column : columns) {
      sql.append(", ").append(column.name()).append(' ').append(column.sqlType());
    }
    sql.append(") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
    return List.of(sql.toString());
  }

  @Override
  List<Column> allTypes() {
    List<Column> c = new ArrayList<>();
    c.add(new Column("c_tinyint", "TINYINT NULL", "?", Kind.INT, r -> r.nextInt(-128, 128)));
    c.add(new Column("c_smallint", "SMALLINT NULL", "?", Kind.INT, r -> r.nextInt(-32768, 32768)));
    c.add(new Column("c_int", "INT NULL", "?", Kind.INT, r -> r.nextInt()));
    c.add(new Column("c_bigint", "BIGINT NULL", "?", Kind.INT, r -> r.nextLong()));
    c.add(
        new Column(
            "c_dec2",
            "DECIMAL(12,2) NULL",
            "?",
            Kind.DECIMAL,
            r -> BigDecimal.valueOf(r.nextLong(-999_999_999_999L, 999_999_999_999L), 2)));
    c.add(
        new Column(
            "c_dec10",
            "DECIMAL(20,10) NULL",
            "?",
            Kind.DECIMAL,
            r ->
                BigDecimal.valueOf(
                    r.nextLong(-999_999_999_999_999_999L, 999_999_999_999_999_999L), 10)));
    // the text protocol prints FLOAT with 6 significant digits: JDBC reads back exactly only values
    // that fit (the binlog, and so the topic, always has the exact float)
    c.add(new Column("c_float", "FLOAT NULL", "?", Kind.FLOAT, r -> r.nextInt(-9999, 9999) / 4f));
    c.add(new Column("c_double", "DOUBLE NULL", "?", Kind.DOUBLE, r -> r.nextDouble() * 1e6));
    c.add(new Column("c_bool", "BOOLEAN NULL", "?", Kind.BOOL, r -> r.nextBoolean()));
    c.add(new Column("c_text", "TEXT NULL", "?", Kind.TEXT, r -> randomText(r, 30)));
    c.add(new Column("c_varchar", "VARCHAR(40) NULL", "?", Kind.TEXT, r -> randomText(r, 40)));
    c.add(new Column("c_char", "CHAR(5) NULL", "?", Kind.TEXT, r -> randomText(r, 5)));
    c.add(
        new Column(
            "c_date",
            "DATE NULL",
            "?",
            Kind.DATE,
            r -> LocalDate.ofEpochDay(r.nextInt(-20000, 30000))));
    c.add(
        new Column(
            "c_datetime",
            "DATETIME(6) NULL",
            "?",
            Kind.TS,
            r -> randomDateTime(r, -1_000_000_000L, 4_000_000_000L)));
    c.add(
        new Column(
            "c_timestamp",
            "TIMESTAMP(6) NULL",
            "?",
            Kind.TS_UTC_SESSION,
            r -> randomDateTime(r, 100_000_000L, 2_100_000_000L)));
    c.add(
        new Column(
            "c_time",
            "TIME(6) NULL",
            "?",
            Kind.TIME,
            r -> LocalTime.ofNanoOfDay(r.nextLong(86_400_000_000L) * 1000)));
    c.add(
        new Column(
            "c_json", "JSON NULL", "?", Kind.JSON_TEXT, AbstractChangeCaptureIT::randomJson));
    c.add(
        new Column(
            "c_uuid",
            "CHAR(36) NULL",
            "?",
            Kind.UUID_TEXT,
            r -> new UUID(r.nextLong(), r.nextLong()).toString()));
    c.add(
        new Column(
            "c_blob",
            "BLOB NULL",
            "?",
            Kind.BYTES,
            r -> {
              byte[] b = new byte[r.nextInt(20)];
              r.nextBytes(b);
              return b;
            }));
    c.add(
        new Column(
            "c_enum",
            "ENUM('happy','sad','ok') NULL",
            "?",
            Kind.TEXT,
            r -> List.of("happy", "sad", "ok").get(r.nextInt(3))));
    return c;
  }

  @Override
  String addColumnSql(String table, String column) {
    return "ALTER TABLE " + table + " ADD COLUMN " + column + " VARCHAR(40) NULL";
  }

  @Override
  String textToIntSql(String table, String column) {
    return "ALTER TABLE " + table + " MODIFY " + column + " INT NULL";
  }

  @Override
  Map<String, String> sourceSettings() {
    return Map.of(
        CaptureConfig.SOURCE_KIND,
        "mariadb",
        CaptureConfig.SOURCE_HOST,
        server.host(),
        CaptureConfig.SOURCE_PORT,
        String.valueOf(server.port()),
        CaptureConfig.SOURCE_DATABASE,
        server.database(),
        CaptureConfig.SOURCE_USER,
        MariaDbServer.USER,
        CaptureConfig.SOURCE_PASSWORD,
        MariaDbServer.PASSWORD);
  }

  @Override
  void afterCapture(String prefix) {
    // nothing server-side: MariaDB binlog clients leave no slot behind
  }
}
