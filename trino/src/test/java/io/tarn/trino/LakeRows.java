package io.tarn.trino;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * A table's rows at one snapshot, each rendered as one line of its column values, sorted: read
 * through the Iceberg API (deletes applied) or through Trino, and rendered alike for comparison.
 */
final class LakeRows {
  private LakeRows() {}

  static List<String> iceberg(Table table, long snapshotId) {
    List<Types.NestedField> columns = table.schema().columns();
    List<String> rows = new ArrayList<>();
    try (CloseableIterable<Record> records =
        IcebergGenerics.read(table).useSnapshot(snapshotId).build()) {
      for (Record record : records) {
        List<String> values = new ArrayList<>();
        for (Types.NestedField column : columns) {
          values.add(icebergValue(column.type(), record.getField(column.name())));
        }
        rows.add(String.join(" | ", values));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Collections.sort(rows);
    return rows;
  }

  /**
   * The same through Trino's catalog {@code catalog}; {@code snapshotId} null reads the current
   * snapshot.
   */
  static List<String> trino(
      Connection trino, String catalog, Table table, TableIdentifier id, Long snapshotId)
      throws SQLException {
    List<Types.NestedField> columns = table.schema().columns();
    String sql =
        "SELECT "
            + columns.stream().map(c -> quote(c.name())).collect(Collectors.joining(", "))
            + " FROM "
            + quote(catalog)
            + "."
            + quote(id.namespace().level(0))
            + "."
            + quote(id.name())
            + (snapshotId == null ? "" : " FOR VERSION AS OF " + snapshotId);
    List<String> rows = new ArrayList<>();
    try (Statement statement = trino.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      while (rs.next()) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
          values.add(trinoValue(columns.get(i).type(), rs, i + 1));
        }
        rows.add(String.join(" | ", values));
      }
    }
    Collections.sort(rows);
    return rows;
  }

  private static String icebergValue(Type type, Object value) {
    if (value == null) {
      return "null";
    }
    return switch (type.typeId()) {
      case TIMESTAMP ->
          ((Types.TimestampType) type).shouldAdjustToUTC()
              ? ((OffsetDateTime) value).toInstant().toString()
              : value.toString();
      case BINARY, FIXED -> {
        ByteBuffer buffer =
            value instanceof ByteBuffer b ? b.duplicate() : ByteBuffer.wrap((byte[]) value);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        yield HexFormat.of().formatHex(bytes);
      }
      case DECIMAL -> ((BigDecimal) value).toPlainString();
      case STRUCT, LIST, MAP ->
          throw new IllegalArgumentException("Cannot compare nested column of type " + type);
      default -> value.toString();
    };
  }

  private static String trinoValue(Type type, ResultSet rs, int column) throws SQLException {
    if (rs.getObject(column) == null) {
      return "null";
    }
    return switch (type.typeId()) {
      case TIMESTAMP ->
          ((Types.TimestampType) type).shouldAdjustToUTC()
              ? rs.getTimestamp(column).toInstant().toString()
              : rs.getTimestamp(column).toLocalDateTime().toString();
      case DATE -> rs.getDate(column).toLocalDate().toString();
      case BINARY, FIXED -> HexFormat.of().formatHex(rs.getBytes(column));
      case DECIMAL -> rs.getBigDecimal(column).toPlainString();
      default -> rs.getObject(column).toString();
    };
  }

  private static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }
}
