package io.tarn.governance.pii;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.schemas.DomainSchemas;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ColumnScannerTest {
  @Test
  void countsFindingsInUnannotatedColumnsOnly() {
    ColumnScanner scanner =
        new ColumnScanner(DomainSchemas.forTable("clickstream"), Detector.standard());
    scanner.scanRecord(
        Map.of(
            "url",
            "/checkout?email=anna@example.com",
            "ip",
            "10.0.0.1",
            "user_agent",
            "Mozilla/5.0"));
    scanner.scanRecord(Map.of("url", "/cart", "ip", "10.0.0.2"));
    scanner.scanRecord(Map.of("url", "/help?mail=ben@example.org"));

    List<ColumnFinding> findings = scanner.findings();
    assertThat(findings).hasSize(1);
    ColumnFinding url = findings.get(0);
    assertThat(url.table()).isEqualTo("clickstream");
    assertThat(url.column()).isEqualTo("url");
    assertThat(url.type()).isEqualTo(EntityType.EMAIL);
    assertThat(url.sampleCount()).isEqualTo(2);
    assertThat(url.scannedCount()).isEqualTo(3);
    // ip is annotated as pii:ip: protected anyway, never scanned
    assertThat(scanner.scans("ip")).isFalse();
    assertThat(scanner.scan("ip", "10.0.0.1")).isEmpty();
    // a finding holds no value: its components are type, offsets and a score
    assertThat(ColumnFinding.class.getRecordComponents())
        .extracting(c -> c.getType().getSimpleName())
        .containsExactly("String", "String", "EntityType", "double", "long", "long");
  }

  @Test
  void aRepeatedValueCountsEveryTimeItIsSeen() {
    ColumnScanner scanner =
        new ColumnScanner(DomainSchemas.forTable("clickstream"), Detector.standard());
    for (int i = 0; i < ColumnScanner.RECENT_VALUES + 10; i++) {
      // the same leaking value between a stream of distinct ones
      assertThat(scanner.scan("url", "/checkout?email=anna@example.com"))
          .extracting(Finding::type)
          .containsExactly(EntityType.EMAIL);
      assertThat(scanner.scan("url", "/p/P" + i)).isEmpty();
    }
    ColumnFinding url = scanner.findings().get(0);
    assertThat(url.sampleCount()).isEqualTo(ColumnScanner.RECENT_VALUES + 10);
    assertThat(url.scannedCount()).isEqualTo(2L * (ColumnScanner.RECENT_VALUES + 10));
  }
}
