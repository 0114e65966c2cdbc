package io.tarn.governance.policy;

import io.tarn.governance.pii.EntityType;
import io.tarn.governance.pii.FindingAction;
import io.tarn.governance.protect.Protection;
import io.tarn.governance.protect.RecordProtection;
import io.tarn.schemas.DomainSchemas;
import io.tarn.schemas.FieldContract;
import io.tarn.schemas.TableContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The access and PII policy of a Tarn lake, read from one YAML file (see {@code
 * deploy/policy/tarn-policy.yaml}): the single source of truth for who reads what in Trino and how
 * silver protects PII. Everything is validated on load; an unknown role, user, table, column, tag
 * or method fails naming the key and its line.
 */
public final class Policy {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.@-]*");
  private static final Set<String> PII_TYPES =
      Set.of("name", "email", "phone", "address", "birth_date", "card_number", "iban", "ip");

  /** A role; {@code admin} roles own the whole catalog and see raw values. */
  public record Role(String name, boolean admin, String doc) {}

  /** Read access of some roles to some tables of a zone, optionally to some columns only. */
  public record Grant(Set<String> roles, String zone, List<String> tables, List<String> columns) {
    boolean covers(LakeTable table) {
      return zone.equals(table.zone()) && (tables.contains("*") || tables.contains(table.name()));
    }
  }

  /**
   * Columns carrying {@code tag} are shown through {@code method} unless the user has a role of
   * {@code unless}.
   */
  public record MaskRule(String tag, MaskMethod method, Set<String> unless) {}

  /** Rows of {@code table} that members of {@code roles} see: those where {@code filter} holds. */
  public record RowFilter(Set<String> roles, String table, String filter) {}

  private final String source;
  private final String catalog;
  private final Map<String, Role> roles;
  private final Map<String, Set<String>> userRoles;
  private final Map<String, Set<String>> ownerRoles;
  private final LakeTables tables;
  private final List<Grant> grants;
  private final List<MaskRule> masks;
  private final List<RowFilter> rowFilters;
  private final Map<String, Protection> protectByType;
  private final Map<String, Protection> protectByColumn;
  private final Map<EntityType, FindingAction> findingActions;
  private final FindingAction defaultFindingAction;

  private Policy(String source, PolicyNode root) {
    this.source = source;
    root.only(
        "catalog",
        "roles",
        "users",
        "groups",
        "owners",
        "tables",
        "grants",
        "masks",
        "row_filters",
        "pii");
    this.catalog = name(root.get("catalog"));

    this.roles = new LinkedHashMap<>();
    for (Map.Entry<String, PolicyNode> entry : root.get("roles").entries().entrySet()) {
      PolicyNode node = entry.getValue();
      String role = checkedName(node, entry.getKey());
      if (node.isMapping()) {
        node.only("admin", "doc");
        roles.put(role, new Role(role, node.bool("admin", false), node.text("doc", "")));
      } else {
        roles.put(role, new Role(role, false, node.text()));
      }
    }

    this.userRoles = new LinkedHashMap<>();
    for (Map.Entry<String, PolicyNode> entry : root.entries("users").entrySet()) {
      String user = checkedName(entry.getValue(), entry.getKey());
      userRoles
          .computeIfAbsent(user, u -> new LinkedHashSet<>())
          .addAll(roleList(entry.getValue().list()));
    }
    for (Map.Entry<String, PolicyNode> entry : root.entries("groups").entrySet()) {
      PolicyNode group = entry.getValue().only("members", "roles", "doc");
      checkedName(group, entry.getKey());
      Set<String> groupRoles = roleList(group.get("roles").list());
      for (PolicyNode member : group.get("members").list()) {
        userRoles.computeIfAbsent(name(member), u -> new LinkedHashSet<>()).addAll(groupRoles);
      }
    }

    Map<String, List<String>> extra = new LinkedHashMap<>();
    for (Map.Entry<String, PolicyNode> entry : root.entries("tables").entrySet()) {
      String zone = zone(entry.getValue(), entry.getKey());
      List<String> names = new ArrayList<>();
      for (PolicyNode table : entry.getValue().list()) {
        names.add(name(table));
      }
      extra.put(zone, names);
    }
    this.tables = new LakeTables(extra);

    Set<String> teams = new LinkedHashSet<>();
    for (TableContract contract : DomainSchemas.all()) {
      teams.add(contract.owner());
    }
    this.ownerRoles = new LinkedHashMap<>();
    for (Map.Entry<String, PolicyNode> entry : root.entries("owners").entrySet()) {
      if (!teams.contains(entry.getKey())) {
        throw entry
            .getValue()
            .error(
                "no contract is owned by team '"
                    + entry.getKey()
                    + "', owners in the contracts: "
                    + teams);
      }
      ownerRoles.put(entry.getKey(), roleList(entry.getValue().list()));
    }

    this.grants = new ArrayList<>();
    for (PolicyNode node : root.list("grants")) {
      node.only("roles", "zone", "tables", "columns");
      Set<String> grantRoles = roleList(node.get("roles").list());
      String zone = zone(node.get("zone"), node.text("zone"));
      if (zone.equals("bronze")) {
        throw node.get("zone")
            .error("bronze is readable only by its owners: list the roles under owners.<team>");
      }
      List<String> grantTables = node.has("tables") ? node.texts("tables") : List.of("*");
      for (int i = 0; i < grantTables.size(); i += 1) {
        String table = grantTables.get(i);
        if (!table.equals("*") && tables.find(zone + "." + table).isEmpty()) {
          throw node.get("tables")
              .list()
              .get(i)
              .error(
                  "unknown table " + zone + "." + table + ", known: " + names(tables.inZone(zone)));
        }
      }
      List<String> columns = node.texts("columns");
      if (!columns.isEmpty()) {
        if (grantTables.size() != 1 || grantTables.contains("*")) {
          throw node.get("columns").error("a column list needs exactly one table");
        }
        LakeTable table = tables.find(zone + "." + grantTables.get(0)).orElseThrow();
        for (int i = 0; i < columns.size(); i += 1) {
          String column = columns.get(i);
          if (table.columns().stream().noneMatch(c -> c.name().equals(column))) {
            throw node.get("columns")
                .list()
                .get(i)
                .error("unknown column " + column + " of " + table.qualifiedName());
          }
        }
      }
      grants.add(new Grant(grantRoles, zone, List.copyOf(grantTables), List.copyOf(columns)));
    }

    Set<String> knownTags = new LinkedHashSet<>();
    for (String type : PII_TYPES) {
      knownTags.add("pii:" + type);
    }
    for (io.tarn.schemas.Classification level : io.tarn.schemas.Classification.values()) {
      knownTags.add("classification:" + level.name().toLowerCase(Locale.ROOT));
    }
    this.masks = new ArrayList<>();
    for (PolicyNode node : root.list("masks")) {
      node.only("tag", "mask", "unless");
      String tag = node.text("tag");
      if (!knownTags.contains(tag)) {
        throw node.get("tag").error("unknown tag '" + tag + "', known: " + knownTags);
      }
      MaskMethod method;
      try {
        method = MaskMethod.parse(node.text("mask"));
      } catch (IllegalArgumentException e) {
        throw node.get("mask").error(e.getMessage());
      }
      masks.add(new MaskRule(tag, method, roleList(node.list("unless"))));
    }

    this.rowFilters = new ArrayList<>();
    for (PolicyNode node : root.list("row_filters")) {
      node.only("roles", "table", "filter");
      String table = node.text("table");
      LakeTable lakeTable =
          tables
              .find(table)
              .orElseThrow(
                  () ->
                      node.get("table")
                          .error("unknown table " + table + ", known: " + names(tables.all())));
      String filter = node.text("filter");
      if (filter.contains(";")) {
        throw node.get("filter").error("a row filter is one SQL predicate, without ';'");
      }
      rowFilters.add(
          new RowFilter(roleList(node.get("roles").list()), lakeTable.qualifiedName(), filter));
    }

    this.protectByType = new LinkedHashMap<>();
    this.protectByColumn = new LinkedHashMap<>();
    this.findingActions = new LinkedHashMap<>();
    FindingAction fallback = FindingAction.ALERT;
    if (root.has("pii")) {
      PolicyNode pii = root.get("pii").only("protect", "columns", "findings");
      for (Map.Entry<String, PolicyNode> entry : pii.entries("protect").entrySet()) {
        if (!PII_TYPES.contains(entry.getKey())) {
          throw entry.getValue().error("unknown pii type, known: " + PII_TYPES);
        }
        protectByType.put(entry.getKey(), protection(entry.getValue()));
      }
      for (Map.Entry<String, PolicyNode> entry : pii.entries("columns").entrySet()) {
        String[] parts = entry.getKey().split("\\.", 2);
        boolean known =
            parts.length == 2
                && DomainSchemas.all().stream()
                    .anyMatch(c -> c.table().equals(parts[0]) && c.field(parts[1]).isPresent());
        if (!known) {
          throw entry.getValue().error("unknown column, expected <table>.<field> of a contract");
        }
        protectByColumn.put(entry.getKey(), protection(entry.getValue()));
      }
      for (Map.Entry<String, PolicyNode> entry : pii.entries("findings").entrySet()) {
        FindingAction action = findingAction(entry.getValue());
        if (entry.getKey().equals("default")) {
          fallback = action;
        } else {
          try {
            findingActions.put(EntityType.of(entry.getKey()), action);
          } catch (IllegalArgumentException e) {
            throw entry.getValue().error(e.getMessage());
          }
        }
      }
    }
    this.defaultFindingAction = fallback;
    for (TableContract contract : DomainSchemas.all()) {
      for (FieldContract field : contract.fields()) {
        if (field.pii().isPresent() && protection(contract.table(), field) == null) {
          throw root.error(
              "pii.protect has no method for type '"
                  + field.pii().get()
                  + "' of "
                  + contract.table()
                  + "."
                  + field.name()
                  + ": every annotated field is protected in silver");
        }
      }
    }
  }

  /** Reads and validates the policy file. */
  public static Policy load(Path file) {
    try {
      return parse(file.toString(), Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read policy " + file, e);
    }
  }

  /** Parses and validates policy text; {@code source} names it in errors. */
  public static Policy parse(String source, String text) {
    return new Policy(source, PolicyNode.parse(source, text));
  }

  private Set<String> roleList(List<PolicyNode> nodes) {
    Set<String> names = new LinkedHashSet<>();
    for (PolicyNode node : nodes) {
      String role = node.text();
      if (!roles.containsKey(role)) {
        throw node.error("unknown role '" + role + "', known: " + roles.keySet());
      }
      names.add(role);
    }
    return names;
  }

  private static String zone(PolicyNode node, String zone) {
    if (!LakeTables.ZONES.contains(zone)) {
      throw node.error("unknown zone '" + zone + "', known: " + LakeTables.ZONES);
    }
    return zone;
  }

  private static String name(PolicyNode node) {
    return checkedName(node, node.text());
  }

  private static String checkedName(PolicyNode node, String name) {
    if (!NAME.matcher(name).matches()) {
      throw node.error("'" + name + "' is not a plain name (letters, digits, _ . @ -)");
    }
    return name;
  }

  private static Protection protection(PolicyNode node) {
    try {
      return Protection.parse(node.text());
    } catch (IllegalArgumentException e) {
      throw node.error(e.getMessage());
    }
  }

  private static FindingAction findingAction(PolicyNode node) {
    for (FindingAction action : FindingAction.values()) {
      if (action.name().equalsIgnoreCase(node.text())) {
        return action;
      }
    }
    throw node.error("unknown action '" + node.text() + "', expected mask, quarantine or alert");
  }

  private static List<String> names(List<LakeTable> tables) {
    List<String> names = new ArrayList<>();
    for (LakeTable table : tables) {
      names.add(table.qualifiedName());
    }
    return names;
  }

  public String source() {
    return source;
  }

  /** The Trino catalog holding the zones as schemas. */
  public String catalog() {
    return catalog;
  }

  public Map<String, Role> roles() {
    return roles;
  }

  /** Every user the policy names (directly or as a group member) and their roles. */
  public Map<String, Set<String>> userRoles() {
    return userRoles;
  }

  /** The roles of {@code user}; none for a user the policy does not name. */
  public Set<String> rolesOf(String user) {
    return userRoles.getOrDefault(user, Set.of());
  }

  /** Roles that own the bronze tables of a contract owner team. */
  public Set<String> ownerRoles(String team) {
    return ownerRoles.getOrDefault(team, Set.of());
  }

  public LakeTables tables() {
    return tables;
  }

  public List<Grant> grants() {
    return grants;
  }

  public List<MaskRule> masks() {
    return masks;
  }

  public List<RowFilter> rowFilters() {
    return rowFilters;
  }

  /**
   * How silver writes an annotated field: the column override, else the type's method; null if the
   * field is not annotated.
   */
  public Protection protection(String table, FieldContract field) {
    if (field.pii().isEmpty()) {
      return null;
    }
    Protection byColumn = protectByColumn.get(table + "." + field.name());
    return byColumn != null ? byColumn : protectByType.get(field.pii().get());
  }

  /** The protections of every annotated field of {@code contract}, as silver applies them. */
  public RecordProtection recordProtection(TableContract contract) {
    Map<String, Protection> byField = new LinkedHashMap<>();
    for (FieldContract field : contract.fields()) {
      Protection protection = protection(contract.table(), field);
      if (protection != null) {
        byField.put(field.name(), protection);
      }
    }
    return new RecordProtection(contract.table(), byField);
  }

  /**
   * How a column is protected once the detector found {@code type} in it and the action is {@link
   * FindingAction#MASK}: the protection of the annotation type of the same name where it keeps the
   * column a string (token, mask, redact), else redaction.
   */
  public Protection findingProtection(EntityType type) {
    Protection byType = protectByType.get(type.id());
    boolean keepsString =
        byType != null
            && byType.method() != Protection.Method.DROP
            && byType.method() != Protection.Method.GENERALISE;
    return keepsString ? byType : Protection.of(Protection.Method.REDACT);
  }

  /** What a detector finding of {@code type} in an unannotated column leads to. */
  public FindingAction findingAction(EntityType type) {
    return findingActions.getOrDefault(type, defaultFindingAction);
  }
}
