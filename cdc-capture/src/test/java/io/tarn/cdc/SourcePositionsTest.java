package io.tarn.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SourcePositionsTest {

  @Test
  void mariadbPositionsOrderByFileThenPositionThenRow() {
    List<Long> ordered =
        List.of(
            SourcePositions.mariadb("mariadb-bin.000001", 4, 0, true), // snapshot at (1, 5)
            SourcePositions.mariadb("mariadb-bin.000001", 5, 0, false),
            SourcePositions.mariadb("mariadb-bin.000001", 5, 1, false),
            SourcePositions.mariadb("mariadb-bin.000001", 5, 2, false),
            SourcePositions.mariadb("mariadb-bin.000001", 400, 0, false),
            SourcePositions.mariadb("mariadb-bin.000001", 0xFFFF_FFF0L, 3, false),
            SourcePositions.mariadb("mariadb-bin.000002", 4, 0, false),
            SourcePositions.mariadb("mariadb-bin.999999", 4, 0, false),
            SourcePositions.mariadb("mariadb-bin.1000000", 4, 0, false));
    List<Long> sorted = new ArrayList<>(ordered);
    sorted.sort(Long::compare);
    assertThat(sorted).containsExactlyElementsOf(ordered).doesNotHaveDuplicates();
    assertThat(ordered).allMatch(p -> p >= 0);
  }

  @Test
  void mariadbSnapshotRowsPrecedeTheFirstStreamedChangeAtTheSnapshotCoordinate() {
    long snapshot = SourcePositions.mariadb("bin.000003", 1234, 0, true);
    long first = SourcePositions.mariadb("bin.000003", 1234, 0, false);
    assertThat(snapshot).isLessThan(first);
    assertThat(first).isEqualTo((3L << 32) + 1234);
  }

  @Test
  void binlogFileNumbers() {
    assertThat(SourcePositions.binlogFileNumber("binlog.000042")).isEqualTo(42);
    assertThatThrownBy(() -> SourcePositions.binlogFileNumber("binlog"))
        .hasMessageContaining("numeric suffix");
    assertThatThrownBy(() -> SourcePositions.mariadb("b.000001", 1L << 32, 0, false))
        .hasMessageContaining("32-bit");
  }

  @Test
  void postgresUsesTheLsnAndSnapshotRowsComeFirst() {
    org.apache.kafka.connect.data.Schema schema =
        org.apache.kafka.connect.data.SchemaBuilder.struct()
            .field("lsn", org.apache.kafka.connect.data.Schema.OPTIONAL_INT64_SCHEMA)
            .build();
    org.apache.kafka.connect.data.Struct source =
        new org.apache.kafka.connect.data.Struct(schema).put("lsn", 0x1_6B37_4D48L);
    assertThat(SourcePositions.postgres(source, false)).isEqualTo(0x1_6B37_4D48L);
    assertThat(SourcePositions.postgres(source, true)).isZero();
  }
}
