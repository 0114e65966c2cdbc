package io.tarn.jobs.gold;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.table.data.RowData;
import org.junit.jupiter.api.Test;

class CustomerValueFunctionTest {
  private static KeyedOneInputStreamOperatorTestHarness<String, OrderValue, RowData> harness()
      throws Exception {
    var h =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(
                new CustomerValueFunction(Duration.ofMillis(100), Duration.ofDays(1))),
            (OrderValue o) -> o.customerId,
            Types.STRING);
    h.open();
    return h;
  }

  private static StreamRecord<OrderValue> order(String id, long cents, boolean cancelled, long t) {
    return new StreamRecord<>(new OrderValue("C1", id, cancelled, cents, t));
  }

  /** The last row written for the customer after the flush timer fires. */
  private static RowData flushed(
      KeyedOneInputStreamOperatorTestHarness<String, OrderValue, RowData> h) throws Exception {
    h.setProcessingTime(h.getProcessingTime() + 1000);
    List<RowData> rows = h.extractOutputValues();
    return rows.get(rows.size() - 1);
  }

  @Test
  void sumsOrdersAndReplacesStatusChanges() throws Exception {
    try (var h = harness()) {
      h.processElement(order("o1", 1000, false, 1));
      h.processElement(order("o2", 250, false, 2));
      h.processElement(order("o1", 1000, false, 3));
      RowData row = flushed(h);
      assertThat(row.getLong(1)).isEqualTo(2);
      assertThat(row.getDecimal(2, 18, 2).toUnscaledLong()).isEqualTo(1250);
    }
  }

  @Test
  void cancellationRemovesTheOrderWhateverTheArrivalOrder() throws Exception {
    try (var inOrder = harness();
        var reversed = harness()) {
      inOrder.processElement(order("o1", 1000, false, 1));
      inOrder.processElement(order("o1", 1000, true, 5));
      reversed.processElement(order("o1", 1000, true, 5));
      reversed.processElement(order("o1", 1000, false, 1));
      for (var h : List.of(inOrder, reversed)) {
        RowData row = flushed(h);
        assertThat(row.getLong(1)).isZero();
        assertThat(row.getDecimal(2, 18, 2).toUnscaledLong()).isZero();
        assertThat(row.getTimestamp(3, 3).getMillisecond()).isEqualTo(1);
        assertThat(row.getTimestamp(4, 3).getMillisecond()).isEqualTo(5);
      }
    }
  }

  @Test
  void writesAtMostOnceAFlushInterval() throws Exception {
    try (var h = harness()) {
      for (int i = 0; i < 50; i++) {
        h.processElement(order("o" + i, 100, false, i));
      }
      assertThat(h.extractOutputValues()).isEmpty();
      RowData row = flushed(h);
      assertThat(h.extractOutputValues()).hasSize(1);
      assertThat(row.getLong(1)).isEqualTo(50);
    }
  }
}
