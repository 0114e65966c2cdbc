package io.tarn.jobs;

import io.tarn.schemas.QualityRule;
import io.tarn.schemas.RuleAction;
import io.tarn.workload.GeneratedEvent;
import io.tarn.workload.ProducedRecord;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Everything a test produced, acknowledged by Kafka, and what each zone must therefore hold: the
 * oracle the pipeline's tables are compared with.
 */
public final class ProducedLedger implements Consumer<ProducedRecord> {
  private final List<ProducedRecord> records = Collections.synchronizedList(new ArrayList<>());

  @Override
  public void accept(ProducedRecord record) {
    records.add(record);
  }

  public List<ProducedRecord> records() {
    synchronized (records) {
      return new ArrayList<>(records);
    }
  }

  public int size() {
    return records.size();
  }

  /** "topic/partition/offset" of every acknowledged record. */
  public static String position(String topic, int partition, long offset) {
    return topic + "/" + partition + "/" + offset;
  }

  public Map<String, ProducedRecord> byPosition() {
    Map<String, ProducedRecord> map = new HashMap<>();
    for (ProducedRecord r : records()) {
      map.put(position(r.topic(), r.partition(), r.offset()), r);
    }
    return map;
  }

  /** The action of the rule an invalid event breaks. */
  public static RuleAction actionOf(GeneratedEvent event) {
    return event.table().rules().stream()
        .filter(r -> r.id().equals(event.expectedRuleId()))
        .map(QualityRule::action)
        .findFirst()
        .orElseThrow();
  }

  /** Whether the first copy of this event belongs in silver. */
  public static boolean belongsInSilver(GeneratedEvent event) {
    return switch (event.kind()) {
      case VALID -> true;
      case INVALID -> actionOf(event) == RuleAction.WARN;
      default -> false;
    };
  }

  /** The distinct event ids silver must hold, per table. */
  public Map<String, Set<String>> expectedSilverIds() {
    Map<String, Set<String>> ids = new HashMap<>();
    for (ProducedRecord r : records()) {
      GeneratedEvent e = r.event();
      if (e.kind() != GeneratedEvent.Kind.DUPLICATE && belongsInSilver(e)) {
        ids.computeIfAbsent(e.table().table(), t -> new HashSet<>()).add(e.eventId());
      }
    }
    return ids;
  }

  /** The silver-bound first copies of one table's events. */
  public List<GeneratedEvent> silverEvents(String table) {
    List<GeneratedEvent> events = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (ProducedRecord r : records()) {
      GeneratedEvent e = r.event();
      if (e.table().table().equals(table)
          && e.kind() != GeneratedEvent.Kind.DUPLICATE
          && belongsInSilver(e)
          && seen.add(e.eventId())) {
        events.add(e);
      }
    }
    return events;
  }

  /** Revenue (EUR) per "category|windowStartMillis" computed straight from produced items. */
  public Map<String, BigDecimal> expectedRevenue(long windowMillis) {
    Map<String, BigDecimal> revenue = new HashMap<>();
    for (GeneratedEvent e : silverEvents("order_items")) {
      Object category = e.record().get("category");
      Object quantity = e.record().get("quantity");
      Object price = e.record().get("unit_price");
      if (category == null || quantity == null || price == null) {
        continue;
      }
      long time = ((Instant) e.record().get("event_time")).toEpochMilli();
      long start = time - Math.floorMod(time, windowMillis);
      BigDecimal amount = ((BigDecimal) price).multiply(BigDecimal.valueOf((Integer) quantity));
      revenue.merge(category + "|" + start, amount, BigDecimal::add);
    }
    return revenue;
  }
}
