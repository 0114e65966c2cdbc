package io.tarn.governance.policy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders a {@link Policy} as the rules file of Trino's file-based system access control ({@code
 * access-control.name=file}, {@code security.config-file=…/rules.json}).
 *
 * <p>Trino applies the first table rule matching the user, catalog, schema and table, and one rule
 * holds one filter and one mask per column. A user with several roles needs their union, so the
 * rules are rendered per user and table from the {@link AccessEvaluator}'s decision: what {@code
 * ./tarn access explain} prints is what Trino enforces. Deny by default: the last catalog rule
 * allows nothing, the last table rule grants no privilege, and users the policy does not name match
 * neither.
 */
public final class TrinoRules {
  static final List<String> ALL_PRIVILEGES =
      List.of("SELECT", "INSERT", "DELETE", "UPDATE", "OWNERSHIP", "GRANT_SELECT");
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Policy policy;
  private final AccessEvaluator evaluator;

  public TrinoRules(Policy policy) {
    this.policy = policy;
    this.evaluator = new AccessEvaluator(policy);
  }

  /** The rules file, pretty-printed. */
  public String json() {
    try {
      return JSON.writeValueAsString(render()) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("Cannot render Trino rules: " + e.getMessage(), e);
    }
  }

  /** The lines of {@code access-control.properties} pointing Trino at {@code rulesFile}. */
  public static String accessControlProperties(String rulesFile) {
    return "access-control.name=file\n"
        + "security.config-file="
        + rulesFile
        + "\n"
        + "security.refresh-period=1m\n";
  }

  public ObjectNode render() {
    List<String> admins = new ArrayList<>();
    List<String> readers = new ArrayList<>();
    List<TableAccess> readable = new ArrayList<>();
    for (Map.Entry<String, Set<String>> user : policy.userRoles().entrySet()) {
      boolean admin = false;
      boolean reads = false;
      for (LakeTable table : policy.tables().all()) {
        TableAccess access = evaluator.explain(user.getKey(), table);
        admin |= access.owner();
        if (access.readable() && !access.owner()) {
          readable.add(access);
          reads = true;
        }
      }
      if (admin) {
        admins.add(user.getKey());
      } else if (reads) {
        readers.add(user.getKey());
      }
    }

    ObjectNode root = JSON.createObjectNode();
    ArrayNode catalogs = root.putArray("catalogs");
    if (!admins.isEmpty()) {
      catalogs.addObject().put("user", users(admins)).put("allow", "all");
    }
    if (!readers.isEmpty()) {
      catalogs
          .addObject()
          .put("user", users(readers))
          .put("catalog", literal(policy.catalog()))
          .put("allow", "read-only");
      // clients read table metadata through the system catalog
      catalogs
          .addObject()
          .put("user", users(readers))
          .put("catalog", "system")
          .put("allow", "read-only");
    }
    catalogs.addObject().put("allow", "none");

    ArrayNode schemas = root.putArray("schemas");
    if (!admins.isEmpty()) {
      schemas.addObject().put("user", users(admins)).put("owner", true);
    }
    schemas.addObject().put("owner", false);

    ArrayNode tables = root.putArray("tables");
    if (!admins.isEmpty()) {
      ObjectNode rule = tables.addObject().put("user", users(admins));
      ALL_PRIVILEGES.forEach(rule.putArray("privileges")::add);
    }
    if (!readers.isEmpty()) {
      // JDBC drivers and the CLI read metadata there; Trino filters it by the rules below
      ObjectNode system =
          tables
              .addObject()
              .put("user", users(readers))
              .put("catalog", "system")
              .put("schema", "(jdbc|metadata|information_schema)");
      system.putArray("privileges").add("SELECT");
    }
    for (TableAccess access : readable) {
      ObjectNode rule =
          tables
              .addObject()
              .put("user", literal(access.user()))
              .put("catalog", literal(policy.catalog()))
              .put("schema", literal(access.table().zone()))
              .put("table", literal(access.table().name()));
      rule.putArray("privileges").add("SELECT");
      ArrayNode columns = JSON.createArrayNode();
      for (TableAccess.ColumnAccess column : access.columns()) {
        if (column.visibility() == TableAccess.Visibility.DENIED) {
          columns.addObject().put("name", column.column().name()).put("allow", false);
        } else if (column.visibility() == TableAccess.Visibility.MASKED) {
          columns.addObject().put("name", column.column().name()).put("mask", column.maskSql());
        }
      }
      if (!columns.isEmpty()) {
        rule.set("columns", columns);
      }
      if (access.rowFilter() != null) {
        rule.put("filter", access.rowFilter());
      }
    }
    tables.addObject().putArray("privileges");
    return root;
  }

  private static String users(List<String> users) {
    List<String> quoted = new ArrayList<>();
    for (String user : users) {
      quoted.add(literal(user));
    }
    return quoted.size() == 1 ? quoted.get(0) : "(" + String.join("|", quoted) + ")";
  }

  /** A regex matching exactly {@code name} (Trino matches rule patterns against the whole name). */
  static String literal(String name) {
    StringBuilder out = new StringBuilder();
    for (char c : name.toCharArray()) {
      if (!Character.isLetterOrDigit(c) && c != '_') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }
}
