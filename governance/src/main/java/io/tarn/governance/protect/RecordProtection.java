package io.tarn.governance.protect;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The protections of one table's PII fields, applied to a record on its way to silver: each
 * annotated field is replaced by its protected form, {@code drop} fields are left out, other fields
 * pass unchanged. Serializable (no key inside) so a Flink job can ship it to its tasks and read the
 * key there from its configuration.
 */
public final class RecordProtection implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String table;
  private final Map<String, Protection> byField;

  /**
   * @param table the table, for messages
   * @param byField the protection of every annotated field, by field name
   */
  public RecordProtection(String table, Map<String, Protection> byField) {
    this.table = table;
    this.byField = Map.copyOf(byField);
  }

  public String table() {
    return table;
  }

  public Map<String, Protection> byField() {
    return byField;
  }

  /** Whether any field needs the token key: then a missing key must stop the job at start. */
  public boolean needsKey() {
    return byField.values().stream().anyMatch(p -> p.method() == Protection.Method.TOKEN);
  }

  /** The record as silver stores it; {@code key} may be null when {@link #needsKey()} is false. */
  public Map<String, Object> apply(Map<String, ?> record, TokenKey key) {
    if (key == null && needsKey()) {
      throw new IllegalStateException(
          "Cannot protect " + table + " records: tokens need " + TokenKey.CONFIG_KEY);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, ?> field : record.entrySet()) {
      Protection protection = byField.get(field.getKey());
      if (protection == null) {
        out.put(field.getKey(), field.getValue());
      } else if (protection.method() != Protection.Method.DROP) {
        out.put(field.getKey(), protection.apply(field.getValue(), key));
      }
    }
    return out;
  }
}
