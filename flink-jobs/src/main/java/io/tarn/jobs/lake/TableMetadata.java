package io.tarn.jobs.lake;

import io.tarn.schemas.Classification;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;

/**
 * The catalog metadata of a table, taken from the schemas: documentation, owner, zone, tags and
 * each column's classification and PII type. Written as Iceberg table properties ({@code comment},
 * {@code tarn.owner}, {@code tarn.zone}, {@code tarn.tags}, {@code tarn.classification}, {@code
 * tarn.column.<c>.classification|pii}) and into the column docs, which engines such as Trino show
 * as column comments, so the classification travels with the column.
 */
public final class TableMetadata {
  private final String zone;
  private final String owner;
  private final String doc;
  private final Map<String, Classification> classifications = new LinkedHashMap<>();
  private final Map<String, String> pii = new LinkedHashMap<>();
  private final Map<String, String> extra = new HashMap<>();

  public TableMetadata(String zone, String owner, String doc) {
    this.zone = zone;
    this.owner = owner;
    this.doc = doc;
  }

  /**
   * Classifies a column; {@code piiType} is the entity type of a PII column (comma-separated if it
   * holds several, like a raw payload), else null.
   */
  public TableMetadata column(String name, Classification classification, String piiType) {
    classifications.put(name, classification);
    if (piiType != null) {
      pii.put(name, piiType);
    }
    return this;
  }

  /** Another table property (e.g. {@code tarn.source-topic}). */
  public TableMetadata property(String key, String value) {
    extra.put(key, value);
    return this;
  }

  /** The highest classification of any column, {@code internal} for a table without any. */
  public Classification classification() {
    return classifications.values().stream()
        .max(Comparator.naturalOrder())
        .orElse(Classification.INTERNAL);
  }

  /** Zone, classification and one {@code pii:<type>} tag per PII entity type the table holds. */
  public List<String> tags() {
    TreeSet<String> piiTags = new TreeSet<>();
    pii.values().forEach(types -> List.of(types.split(",")).forEach(t -> piiTags.add("pii:" + t)));
    List<String> tags = new ArrayList<>();
    tags.add("zone:" + zone);
    tags.add("classification:" + lower(classification()));
    if (!piiTags.isEmpty()) {
      tags.add("pii");
      tags.addAll(piiTags);
    }
    return tags;
  }

  public Map<String, String> properties() {
    Map<String, String> props = new HashMap<>(extra);
    props.put("tarn.zone", zone);
    if (owner != null) {
      props.put("tarn.owner", owner);
    }
    if (doc != null) {
      props.put("comment", doc);
    }
    props.put("tarn.classification", lower(classification()));
    props.put("tarn.tags", String.join(",", tags()));
    classifications.forEach(
        (column, c) -> props.put("tarn.column." + column + ".classification", lower(c)));
    pii.forEach((column, type) -> props.put("tarn.column." + column + ".pii", type));
    return props;
  }

  /** {@code schema} with each classified column's doc ending in its classification and PII type. */
  public Schema document(Schema schema) {
    List<Types.NestedField> columns = new ArrayList<>();
    for (Types.NestedField field : schema.columns()) {
      Classification c = classifications.get(field.name());
      columns.add(c == null ? field : Types.NestedField.from(field).withDoc(doc(field, c)).build());
    }
    return new Schema(columns, schema.identifierFieldIds());
  }

  private String doc(Types.NestedField field, Classification c) {
    String label =
        lower(c) + (pii.containsKey(field.name()) ? ", pii:" + pii.get(field.name()) : "");
    String base = field.doc() == null ? "" : field.doc() + " ";
    return base + "[" + label + "]";
  }

  private static String lower(Classification c) {
    return c.name().toLowerCase(Locale.ROOT);
  }
}
