package io.tarn.governance.pii;

import io.tarn.schemas.FieldContract;
import io.tarn.schemas.TableContract;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scans the string values of the fields of one table that are not annotated as PII and aggregates
 * what the {@link Detector} finds into {@link ColumnFinding}s. Annotated fields are skipped: they
 * are protected whatever they hold.
 *
 * <p>Most columns repeat their values (statuses, currencies, user agents, product ids), so the
 * detector's answer for the latest {@value #RECENT_VALUES} distinct short values of each column is
 * kept: the detector costs microseconds per value, a lookup nanoseconds.
 */
public final class ColumnScanner {
  private final TableContract contract;
  private final Detector detector;
  private final Map<String, long[]> scanned = new LinkedHashMap<>();
  private final Map<String, Map<EntityType, double[]>> found = new LinkedHashMap<>();
  private final Map<String, Map<String, List<Finding>>> recent = new HashMap<>();

  static final int RECENT_VALUES = 512;
  static final int LONGEST_KEPT = 256;

  public ColumnScanner(TableContract contract, Detector detector) {
    this.contract = contract;
    this.detector = detector;
  }

  /** Whether {@code column} is scanned: a field of the table without a {@code pii} annotation. */
  public boolean scans(String column) {
    return contract.field(column).map(f -> f.pii().isEmpty()).orElse(false);
  }

  /**
   * Scans one value of {@code column} and returns its findings (the caller may quarantine the
   * record); an annotated or unknown column, or a null value, yields none.
   */
  public List<Finding> scan(String column, CharSequence value) {
    if (value == null || !scans(column)) {
      return List.of();
    }
    scanned.computeIfAbsent(column, c -> new long[1])[0] += 1;
    List<Finding> findings = detect(column, value);
    Map<EntityType, double[]> byType =
        found.computeIfAbsent(column, c -> new EnumMap<>(EntityType.class));
    EnumMap<EntityType, Double> best = new EnumMap<>(EntityType.class);
    for (Finding finding : findings) {
      best.merge(finding.type(), finding.confidence(), Math::max);
    }
    best.forEach(
        (type, confidence) -> {
          double[] stats = byType.computeIfAbsent(type, t -> new double[2]);
          stats[0] += 1;
          stats[1] = Math.max(stats[1], confidence);
        });
    return findings;
  }

  private List<Finding> detect(String column, CharSequence value) {
    if (value.length() > LONGEST_KEPT) {
      return detector.detect(value, column);
    }
    Map<String, List<Finding>> seen = recent.computeIfAbsent(column, c -> newRecentValues());
    String key = value.toString();
    List<Finding> findings = seen.get(key);
    if (findings == null) {
      findings = List.copyOf(detector.detect(value, column));
      seen.put(key, findings);
    }
    return findings;
  }

  private static Map<String, List<Finding>> newRecentValues() {
    return new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, List<Finding>> eldest) {
        return size() > RECENT_VALUES;
      }
    };
  }

  /** Scans every string-valued, unannotated field of a record given as field name to value. */
  public void scanRecord(Map<String, ?> record) {
    for (FieldContract field : contract.fields()) {
      Object value = record.get(field.name());
      if (value instanceof CharSequence) {
        scan(field.name(), (CharSequence) value);
      }
    }
  }

  /** Forgets the counts, so that {@link #findings()} covers what is scanned from now on. */
  public void reset() {
    scanned.clear();
    found.clear();
  }

  /** The findings so far, one per column and type. */
  public List<ColumnFinding> findings() {
    List<ColumnFinding> rows = new ArrayList<>();
    found.forEach(
        (column, byType) ->
            byType.forEach(
                (type, stats) ->
                    rows.add(
                        new ColumnFinding(
                            contract.table(),
                            column,
                            type,
                            stats[1],
                            (long) stats[0],
                            scanned.get(column)[0]))));
    return rows;
  }
}
