package io.tarn.jobs.gold;

/** One order line as the revenue aggregates see it; amounts in cents (a Flink POJO). */
public class ItemSale {
  public String category;
  public long eventTime;
  public long revenueCents;
  public long units;

  public ItemSale() {}

  public ItemSale(String category, long eventTime, long revenueCents, long units) {
    this.category = category;
    this.eventTime = eventTime;
    this.revenueCents = revenueCents;
    this.units = units;
  }

  public static long windowStart(long eventTime, long windowMillis) {
    return eventTime - Math.floorMod(eventTime, windowMillis);
  }
}
