package io.tarn.schemas;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * The contract of one domain table: its Avro schema and the governance and quality annotations on
 * it (see DEVELOPERS.md, "The domain contract").
 *
 * <p>Contracts are immutable and serializable so that Flink can ship them to tasks; the schema is
 * kept as its JSON text and parsed again on first use after deserialization.
 */
public final class TableContract implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final Set<String> PII_TYPES =
      Set.of("name", "email", "phone", "address", "birth_date", "card_number", "iban", "ip");
  private static final Pattern TABLE_NAME = Pattern.compile("[a-z][a-z0-9_]*");
  private static final Set<String> RULE_PROPERTIES =
      Set.of("rule", "action", "min", "max", "pattern", "values");

  /** Separates the values of a composite key in a Kafka key. */
  public static final String KEY_SEPARATOR = ":";

  private final String table;
  private final String topic;
  private final List<String> key;
  private final String owner;
  private final String doc;
  private final String schemaJson;
  private final List<FieldContract> fields;
  private final Map<String, FieldContract> fieldsByName;
  private final List<QualityRule> rules;
  private transient volatile Schema schema;

  private TableContract(
      String table,
      String topic,
      List<String> key,
      String owner,
      String doc,
      Schema schema,
      List<FieldContract> fields) {
    this.table = table;
    this.topic = topic;
    this.key = List.copyOf(key);
    this.owner = owner;
    this.doc = doc;
    this.schema = schema;
    this.schemaJson = schema.toString();
    this.fields = List.copyOf(fields);
    Map<String, FieldContract> byName = new LinkedHashMap<>();
    List<QualityRule> allRules = new ArrayList<>();
    for (FieldContract field : fields) {
      byName.put(field.name(), field);
      allRules.addAll(field.rules());
    }
    this.fieldsByName = byName;
    this.rules = List.copyOf(allRules);
  }

  /**
   * Reads the contract annotations of a record schema.
   *
   * @throws SchemaContractException if an annotation is missing, unknown or does not fit the field
   */
  public static TableContract of(Schema schema) {
    String name = schema.getFullName();
    if (schema.getType() != Schema.Type.RECORD) {
      throw new SchemaContractException(
          "Cannot read contract of " + name + ": it is a " + typeName(schema) + ", not a record");
    }
    String table = requiredString(schema, "table");
    if (!TABLE_NAME.matcher(table).matches()) {
      throw invalid(name, "table name '" + table + "' is not a lowercase identifier");
    }
    String topic = requiredString(schema, "topic");
    String owner = requiredString(schema, "owner");
    if (schema.getDoc() == null || schema.getDoc().isBlank()) {
      throw invalid(name, "missing property 'doc'");
    }
    List<String> key = key(schema);
    List<FieldContract> fields = new ArrayList<>();
    for (Schema.Field field : schema.getFields()) {
      fields.add(field(name, table, field));
    }
    return new TableContract(table, topic, key, owner, schema.getDoc(), schema, fields);
  }

  private static String requiredString(Schema schema, String property) {
    Object value = schema.getObjectProp(property);
    if (value == null) {
      throw invalid(schema.getFullName(), "missing property '" + property + "'");
    }
    if (!(value instanceof String) || ((String) value).isBlank()) {
      throw invalid(
          schema.getFullName(), "property '" + property + "' is not a non-empty string: " + value);
    }
    return (String) value;
  }

  private static List<String> key(Schema schema) {
    String name = schema.getFullName();
    Object value = schema.getObjectProp("key");
    if (value == null) {
      throw invalid(name, "missing property 'key'");
    }
    if (!(value instanceof List) || ((List<?>) value).isEmpty()) {
      throw invalid(name, "property 'key' is not a non-empty array of field names: " + value);
    }
    List<String> key = new ArrayList<>();
    for (Object element : (List<?>) value) {
      if (!(element instanceof String)) {
        throw invalid(name, "property 'key' is not a non-empty array of field names: " + value);
      }
      String field = (String) element;
      if (schema.getField(field) == null) {
        throw invalid(name, "key field " + field + " is not a field of the record");
      }
      if (key.contains(field)) {
        throw invalid(name, "key field " + field + " is listed twice");
      }
      key.add(field);
    }
    return key;
  }

  private static FieldContract field(String name, String table, Schema.Field field) {
    String fieldName = field.name();
    Object piiValue = field.getObjectProp("pii");
    String pii = null;
    if (piiValue != null) {
      if (!(piiValue instanceof String) || !PII_TYPES.contains(piiValue)) {
        throw invalid(
            name,
            "field "
                + fieldName
                + " has unknown pii type '"
                + piiValue
                + "', known: "
                + sorted(PII_TYPES));
      }
      pii = (String) piiValue;
    }
    Classification classification = Classification.INTERNAL;
    Object classValue = field.getObjectProp("classification");
    if (classValue != null) {
      classification = parse(Classification.class, classValue, name, fieldName, "classification");
    }
    List<QualityRule> rules = new ArrayList<>();
    Object quality = field.getObjectProp("quality");
    if (quality != null) {
      if (!(quality instanceof List)) {
        throw invalid(
            name, "field " + fieldName + " has a 'quality' that is not an array of rules");
      }
      for (Object element : (List<?>) quality) {
        QualityRule rule = rule(name, table, field, pii != null, element);
        for (QualityRule existing : rules) {
          if (existing.kind() == rule.kind()) {
            throw invalid(
                name, "field " + fieldName + " has two rules of kind " + lower(rule.kind()));
          }
        }
        rules.add(rule);
      }
    }
    String doc = field.doc() == null ? "" : field.doc();
    return new FieldContract(fieldName, pii, classification, doc, rules);
  }

  private static QualityRule rule(
      String name, String table, Schema.Field field, boolean pii, Object element) {
    String fieldName = field.name();
    if (!(element instanceof Map)) {
      throw invalid(
          name, "field " + fieldName + " has a quality rule that is not an object: " + element);
    }
    Map<?, ?> spec = (Map<?, ?>) element;
    Object ruleValue = spec.get("rule");
    if (ruleValue == null) {
      throw invalid(name, "field " + fieldName + " has a quality rule without 'rule'");
    }
    RuleKind kind = parse(RuleKind.class, ruleValue, name, fieldName, "rule");
    String ruleName = lower(kind);
    for (Object property : spec.keySet()) {
      if (!RULE_PROPERTIES.contains(property)) {
        throw invalid(
            name,
            "field "
                + fieldName
                + " rule "
                + ruleName
                + " has unknown property '"
                + property
                + "'");
      }
    }
    Object actionValue = spec.get("action");
    if (actionValue == null) {
      throw invalid(name, "field " + fieldName + " rule " + ruleName + " has no 'action'");
    }
    RuleAction action = parse(RuleAction.class, actionValue, name, fieldName, "action");
    Schema type = nonNull(field.schema());
    switch (kind) {
      case NOT_NULL:
        if (!isNullable(field.schema())) {
          // a non-null Avro type already guarantees it, and a rule that can never fire is a mistake
          throw invalid(
              name,
              "field "
                  + fieldName
                  + " rule not_null needs a nullable type, but the type is "
                  + typeName(field.schema()));
        }
        onlyProperties(name, fieldName, ruleName, spec);
        return QualityRule.notNull(table, fieldName, action, pii);
      case RANGE:
        if (type == null || !isNumeric(type)) {
          throw invalid(
              name,
              "field "
                  + fieldName
                  + " rule range needs a numeric type, but the type is "
                  + typeName(field.schema()));
        }
        onlyProperties(name, fieldName, ruleName, spec, "min", "max");
        BigDecimal min = bound(name, fieldName, spec, "min");
        BigDecimal max = bound(name, fieldName, spec, "max");
        if (min == null && max == null) {
          throw invalid(name, "field " + fieldName + " rule range has neither 'min' nor 'max'");
        }
        if (min != null && max != null && min.compareTo(max) > 0) {
          throw invalid(
              name,
              "field "
                  + fieldName
                  + " rule range has min "
                  + min.toPlainString()
                  + " above max "
                  + max.toPlainString());
        }
        return QualityRule.range(table, fieldName, action, pii, min, max);
      case REGEX:
        if (type == null
            || (type.getType() != Schema.Type.STRING && type.getType() != Schema.Type.ENUM)) {
          throw invalid(
              name,
              "field "
                  + fieldName
                  + " rule regex needs a string type, but the type is "
                  + typeName(field.schema()));
        }
        onlyProperties(name, fieldName, ruleName, spec, "pattern");
        Object pattern = spec.get("pattern");
        if (!(pattern instanceof String)) {
          throw invalid(name, "field " + fieldName + " rule regex has no string 'pattern'");
        }
        try {
          return QualityRule.regex(
              table, fieldName, action, pii, Pattern.compile((String) pattern));
        } catch (PatternSyntaxException e) {
          throw invalid(
              name,
              "field " + fieldName + " rule regex has an invalid pattern: " + e.getDescription());
        }
      case ALLOWED:
        if (type == null || !isAllowedType(type)) {
          throw invalid(
              name,
              "field "
                  + fieldName
                  + " rule allowed needs a string, enum, int or long type, but the type is "
                  + typeName(field.schema()));
        }
        onlyProperties(name, fieldName, ruleName, spec, "values");
        Object values = spec.get("values");
        if (!(values instanceof List) || ((List<?>) values).isEmpty()) {
          throw invalid(
              name, "field " + fieldName + " rule allowed has no non-empty 'values' array");
        }
        List<String> allowed = new ArrayList<>();
        for (Object value : (List<?>) values) {
          if (!(value instanceof String || value instanceof Integer || value instanceof Long)) {
            throw invalid(
                name,
                "field "
                    + fieldName
                    + " rule allowed has a value that is not a string or integer: "
                    + value);
          }
          allowed.add(value.toString());
        }
        return QualityRule.allowed(table, fieldName, action, pii, allowed);
      default:
        throw new IllegalStateException("Unknown rule kind " + kind);
    }
  }

  private static void onlyProperties(
      String name, String fieldName, String ruleName, Map<?, ?> spec, String... allowed) {
    for (Object property : spec.keySet()) {
      if ("rule".equals(property) || "action".equals(property)) {
        continue;
      }
      if (!List.of(allowed).contains(property)) {
        throw invalid(
            name,
            "field "
                + fieldName
                + " rule "
                + ruleName
                + " does not take property '"
                + property
                + "'");
      }
    }
  }

  private static BigDecimal bound(String name, String fieldName, Map<?, ?> spec, String property) {
    Object value = spec.get(property);
    if (value == null) {
      return null;
    }
    if (value instanceof Number || value instanceof String) {
      try {
        return new BigDecimal(value.toString());
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw invalid(
        name,
        "field "
            + fieldName
            + " rule range has a '"
            + property
            + "' that is not a number: "
            + value);
  }

  private static <E extends Enum<E>> E parse(
      Class<E> type, Object value, String name, String fieldName, String property) {
    if (value instanceof String) {
      for (E constant : type.getEnumConstants()) {
        if (lower(constant).equals(value)) {
          return constant;
        }
      }
    }
    List<String> known = new ArrayList<>();
    for (E constant : type.getEnumConstants()) {
      known.add(lower(constant));
    }
    throw invalid(
        name,
        "field " + fieldName + " has unknown " + property + " '" + value + "', known: " + known);
  }

  private static boolean isNullable(Schema schema) {
    if (schema.getType() == Schema.Type.NULL) {
      return true;
    }
    if (schema.getType() == Schema.Type.UNION) {
      for (Schema branch : schema.getTypes()) {
        if (branch.getType() == Schema.Type.NULL) {
          return true;
        }
      }
    }
    return false;
  }

  /** The value type of a field: itself, or the single non-null branch of a union; else null. */
  private static Schema nonNull(Schema schema) {
    if (schema.getType() != Schema.Type.UNION) {
      return schema;
    }
    Schema single = null;
    for (Schema branch : schema.getTypes()) {
      if (branch.getType() != Schema.Type.NULL) {
        if (single != null) {
          return null;
        }
        single = branch;
      }
    }
    return single;
  }

  private static boolean isNumeric(Schema type) {
    switch (type.getType()) {
      case INT:
      case LONG:
      case FLOAT:
      case DOUBLE:
        return type.getLogicalType() == null;
      case BYTES:
      case FIXED:
        return type.getLogicalType() instanceof LogicalTypes.Decimal;
      default:
        return false;
    }
  }

  private static boolean isAllowedType(Schema type) {
    switch (type.getType()) {
      case STRING:
      case ENUM:
        return true;
      case INT:
      case LONG:
        return type.getLogicalType() == null;
      default:
        return false;
    }
  }

  private static String typeName(Schema schema) {
    if (schema.getType() == Schema.Type.UNION) {
      List<String> branches = new ArrayList<>();
      for (Schema branch : schema.getTypes()) {
        branches.add(typeName(branch));
      }
      return branches.toString();
    }
    return schema.getLogicalType() != null
        ? schema.getLogicalType().getName()
        : schema.getType().getName();
  }

  private static String lower(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT);
  }

  private static List<String> sorted(Set<String> values) {
    List<String> list = new ArrayList<>(values);
    list.sort(null);
    return list;
  }

  private static SchemaContractException invalid(String name, String reason) {
    return new SchemaContractException("Cannot read contract of " + name + ": " + reason);
  }

  /** The table name, e.g. {@code orders}. */
  public String table() {
    return table;
  }

  /** The Kafka topic carrying the table's events, e.g. {@code shop.orders}. */
  public String topic() {
    return topic;
  }

  /**
   * The registry subject of the topic's values (TopicNameStrategy), e.g. {@code shop.orders-value}.
   */
  public String subject() {
    return topic + "-value";
  }

  /** The primary key field names, in key order. */
  public List<String> key() {
    return key;
  }

  /**
   * The Kafka key of a record: its key field values as text, joined by {@value #KEY_SEPARATOR} when
   * the key has several fields (e.g. {@code O000000042:2} for an order item).
   *
   * @throws IllegalArgumentException if a key field is null
   */
  public String keyOf(GenericRecord record) {
    if (key.size() == 1) {
      return keyValue(record, key.get(0));
    }
    StringBuilder out = new StringBuilder();
    for (String field : key) {
      if (out.length() > 0) {
        out.append(KEY_SEPARATOR);
      }
      out.append(keyValue(record, field));
    }
    return out.toString();
  }

  private String keyValue(GenericRecord record, String field) {
    Object value = record.get(field);
    if (value == null) {
      throw new IllegalArgumentException(
          "Cannot build key of " + table + " record: key field " + field + " is null");
    }
    return value.toString();
  }

  public String owner() {
    return owner;
  }

  public String doc() {
    return doc;
  }

  public Schema schema() {
    Schema parsed = schema;
    if (parsed == null) {
      parsed = new Schema.Parser().parse(schemaJson);
      schema = parsed;
    }
    return parsed;
  }

  /** Every field in schema order, annotated or not. */
  public List<FieldContract> fields() {
    return fields;
  }

  public Optional<FieldContract> field(String name) {
    return Optional.ofNullable(fieldsByName.get(name));
  }

  /** Every quality rule of every field, in field order. */
  public List<QualityRule> rules() {
    return rules;
  }

  @Override
  public boolean equals(Object other) {
    return this == other
        || (other instanceof TableContract
            && schemaJson.equals(((TableContract) other).schemaJson));
  }

  @Override
  public int hashCode() {
    return schemaJson.hashCode();
  }

  @Override
  public String toString() {
    return table;
  }
}
