package io.tarn.jobs.gold;

/** One order event as customer lifetime value sees it; amount in cents (a Flink POJO). */
public class OrderValue {
  public String customerId;
  public String orderId;
  public boolean cancelled;
  public long amountCents;
  public long eventTime;

  public OrderValue() {}

  public OrderValue(
      String customerId, String orderId, boolean cancelled, long amountCents, long eventTime) {
    this.customerId = customerId;
    this.orderId = orderId;
    this.cancelled = cancelled;
    this.amountCents = amountCents;
    this.eventTime = eventTime;
  }
}
