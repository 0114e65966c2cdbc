package io.tarn.governance.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tarn.governance.policy.TableAccess.ColumnAccess;
import io.tarn.governance.policy.TableAccess.Visibility;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrinoRulesTest {
  private final Policy policy;
  private final JsonNode rules;

  TrinoRulesTest() throws Exception {
    policy = Policy.parse("example", Files.readString(PolicyTest.EXAMPLE));
    rules = new ObjectMapper().readTree(new TrinoRules(policy).json());
  }

  @Test
  void rulesDenyByDefault() {
    JsonNode catalogs = rules.get("catalogs");
    assertThat(catalogs.get(catalogs.size() - 1).toString()).isEqualTo("{\"allow\":\"none\"}");
    JsonNode tables = rules.get("tables");
    assertThat(tables.get(tables.size() - 1).toString()).isEqualTo("{\"privileges\":[]}");
    assertThat(catalogAccess("mallory", "tarn")).isEqualTo("none");
    assertThat(catalogAccess("carol", "tarn")).isEqualTo("read-only");
    assertThat(catalogAccess("carol", "other")).isEqualTo("none");
    assertThat(catalogAccess("ada", "other")).isEqualTo("all");
    assertThat(rules.toString()).doesNotContain("mallory");
  }

  @Test
  void rendersMasksFiltersAndDeniedColumns() {
    JsonNode dave = tableRule("dave", "silver", "customers");
    assertThat(dave.get("privileges").toString()).isEqualTo("[\"SELECT\"]");
    assertThat(dave.get("filter").asText()).startsWith("country IN");
    assertThat(column(dave, "email").get("mask").asText()).startsWith("regexp_replace(\"email\"");
    assertThat(column(dave, "country")).isNull();
    JsonNode bob = tableRule("bob", "silver", "payments");
    assertThat(column(bob, "card_number").get("allow").asBoolean()).isFalse();
    assertThat(tableRule("bob", "bronze", "payments").get("privileges")).isEmpty();
    assertThat(TrinoRules.accessControlProperties("/etc/trino/rules.json"))
        .contains("access-control.name=file")
        .contains("security.config-file=/etc/trino/rules.json");
  }

  /**
   * Golden-free: for every user, table and column, what Trino would decide from the rendered rules
   * (first matching rule, as Trino's file-based access control does) equals explain().
   */
  @Test
  void renderedRulesAgreeWithExplainForEveryUserTableAndColumn() {
    AccessEvaluator evaluator = new AccessEvaluator(policy);
    List<String> users = new ArrayList<>(policy.userRoles().keySet());
    users.add("mallory");
    int checked = 0;
    for (String user : users) {
      for (LakeTable table : policy.tables().all()) {
        TableAccess access = evaluator.explain(user, table);
        JsonNode rule = tableRule(user, table.zone(), table.name());
        boolean catalogOpen = !catalogAccess(user, policy.catalog()).equals("none");
        boolean select = catalogOpen && contains(rule.get("privileges"), "SELECT");
        assertThat(select).as("%s on %s", user, table.qualifiedName()).isEqualTo(access.readable());
        assertThat(contains(rule.get("privileges"), "OWNERSHIP")).isEqualTo(access.owner());
        String filter = rule.has("filter") ? rule.get("filter").asText() : null;
        assertThat(filter).isEqualTo(access.readable() ? access.rowFilter() : null);
        if (!access.readable()) {
          continue;
        }
        for (ColumnAccess column : access.columns()) {
          JsonNode constraint = column(rule, column.column().name());
          Visibility trino =
              constraint == null
                  ? Visibility.VISIBLE
                  : constraint.has("allow") && !constraint.get("allow").asBoolean()
                      ? Visibility.DENIED
                      : constraint.has("mask") ? Visibility.MASKED : Visibility.VISIBLE;
          assertThat(trino)
              .as("%s %s.%s", user, table.qualifiedName(), column.column().name())
              .isEqualTo(column.visibility());
          if (trino == Visibility.MASKED) {
            assertThat(constraint.get("mask").asText()).isEqualTo(column.maskSql());
          }
          checked += 1;
        }
      }
    }
    assertThat(checked).isGreaterThan(100);
  }

  private String catalogAccess(String user, String catalog) {
    for (JsonNode rule : rules.get("catalogs")) {
      if (matches(rule, "user", user) && matches(rule, "catalog", catalog)) {
        return rule.get("allow").asText();
      }
    }
    return "none";
  }

  private JsonNode tableRule(String user, String schema, String table) {
    for (JsonNode rule : rules.get("tables")) {
      if (matches(rule, "user", user)
          && matches(rule, "catalog", policy.catalog())
          && matches(rule, "schema", schema)
          && matches(rule, "table", table)) {
        return rule;
      }
    }
    throw new AssertionError("no table rule matched, not even the last one");
  }

  private static boolean matches(JsonNode rule, String field, String value) {
    return !rule.has(field) || value.matches(rule.get(field).asText());
  }

  private static JsonNode column(JsonNode rule, String name) {
    if (rule.has("columns")) {
      for (JsonNode column : rule.get("columns")) {
        if (column.get("name").asText().equals(name)) {
          return column;
        }
      }
    }
    return null;
  }

  private static boolean contains(JsonNode array, String value) {
    for (JsonNode element : array) {
      if (element.asText().equals(value)) {
        return true;
      }
    }
    return false;
  }
}
