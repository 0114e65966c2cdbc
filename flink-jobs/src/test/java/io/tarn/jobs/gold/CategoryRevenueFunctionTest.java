package io.tarn.jobs.gold;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.table.data.RowData;
import org.junit.jupiter.api.Test;

class CategoryRevenueFunctionTest {
  private static final Duration MINUTE = Duration.ofMinutes(1);

  private static KeyedOneInputStreamOperatorTestHarness<String, ItemSale, RowData> harness()
      throws Exception {
    return new KeyedOneInputStreamOperatorTestHarness<>(
        new KeyedProcessOperator<>(
            new CategoryRevenueFunction(MINUTE, Duration.ofMillis(100), Duration.ofDays(1))),
        (ItemSale s) -> CategoryRevenueFunction.keyOf(s, MINUTE),
        Types.STRING);
  }

  private static StreamRecord<ItemSale> sale(String category, long time, long cents, long units) {
    return new StreamRecord<>(new ItemSale(category, time, cents, units));
  }

  @Test
  void lateSaleCorrectsItsWindowAfterRestore() throws Exception {
    OperatorSubtaskState snapshot;
    try (var h = harness()) {
      h.open();
      h.processElement(sale("books", 61_000, 500, 1));
      h.processElement(sale("books", 119_000, 700, 2));
      h.processElement(sale("games", 61_000, 100, 1));
      h.setProcessingTime(1000);
      List<RowData> rows = h.extractOutputValues();
      assertThat(rows).hasSize(2);
      snapshot = h.snapshot(1, 1);
    }
    try (var restored = harness()) {
      restored.initializeState(snapshot);
      restored.open();
      restored.processElement(sale("books", 60_000, 300, 1));
      restored.setProcessingTime(2000);
      RowData row = restored.extractOutputValues().get(0);
      assertThat(row.getString(0).toString()).isEqualTo("books");
      assertThat(row.getTimestamp(1, 3).getMillisecond()).isEqualTo(60_000);
      assertThat(row.getDecimal(2, 18, 2).toUnscaledLong()).isEqualTo(1500);
      assertThat(row.getLong(3)).isEqualTo(4);
      assertThat(row.getLong(4)).isEqualTo(3);
    }
  }
}
