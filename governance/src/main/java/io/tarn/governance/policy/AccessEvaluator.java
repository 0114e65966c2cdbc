package io.tarn.governance.policy;

import io.tarn.governance.policy.TableAccess.ColumnAccess;
import io.tarn.governance.policy.TableAccess.Visibility;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides a user's access to a table from the {@link Policy}. Deny by default: a user the policy
 * does not name, or whose roles no grant covers, sees nothing.
 *
 * <ul>
 *   <li>admin roles: every privilege, raw values, every row;
 *   <li>bronze: readable only by the roles listed under {@code owners} for the contract's team;
 *   <li>silver/gold: the union of the grants of the user's roles (a grant with a column list opens
 *       only those columns);
 *   <li>each readable column: every mask rule whose tag it carries and whose {@code unless} roles
 *       the user lacks applies; {@code deny} wins, else the first such rule in the file;
 *   <li>row filters of all the user's roles on the table are combined with AND: a filter is a
 *       restriction attached to a role, not a grant.
 * </ul>
 */
public final class AccessEvaluator {
  private final Policy policy;

  public AccessEvaluator(Policy policy) {
    this.policy = policy;
  }

  /**
   * The access of {@code user} to {@code qualifiedTable} ({@code zone.table}).
   *
   * @throws IllegalArgumentException if the table is not in the policy's lake
   */
  public TableAccess explain(String user, String qualifiedTable) {
    LakeTable table =
        policy
            .tables()
            .find(qualifiedTable)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "Cannot explain access to "
                            + qualifiedTable
                            + ": no such table, expected <zone>.<table> of "
                            + policy.tables().all().stream()
                                .map(LakeTable::qualifiedName)
                                .toList()));
    return explain(user, table);
  }

  public TableAccess explain(String user, LakeTable table) {
    Set<String> roles = policy.rolesOf(user);
    Set<String> admins = new TreeSet<>();
    for (String role : roles) {
      if (policy.roles().get(role).admin()) {
        admins.add(role);
      }
    }
    if (!admins.isEmpty()) {
      return new TableAccess(
          user, roles, table, true, true, "admin role " + admins, all(table, "admin"), null);
    }

    Set<String> granting = new TreeSet<>();
    Set<String> openColumns = new LinkedHashSet<>();
    boolean allColumns = false;
    if (table.zone().equals("bronze")) {
      for (String role : policy.ownerRoles(table.owner())) {
        if (roles.contains(role)) {
          granting.add(role);
        }
      }
      allColumns = true;
    } else {
      for (Policy.Grant grant : policy.grants()) {
        if (grant.covers(table) && !java.util.Collections.disjoint(grant.roles(), roles)) {
          for (String role : grant.roles()) {
            if (roles.contains(role)) {
              granting.add(role);
            }
          }
          if (grant.columns().isEmpty()) {
            allColumns = true;
          } else {
            openColumns.addAll(grant.columns());
          }
        }
      }
    }
    if (granting.isEmpty()) {
      String reason =
          roles.isEmpty()
              ? "user not in the policy"
              : table.zone().equals("bronze")
                  ? "bronze: no owner role of " + table.owner()
                  : "no grant for roles " + roles;
      List<ColumnAccess> denied = new ArrayList<>();
      for (LakeTable.Column column : table.columns()) {
        denied.add(new ColumnAccess(column, Visibility.DENIED, null, "table not readable"));
      }
      return new TableAccess(user, roles, table, false, false, reason, denied, null);
    }

    List<ColumnAccess> columns = new ArrayList<>();
    for (LakeTable.Column column : table.columns()) {
      if (!allColumns && !openColumns.contains(column.name())) {
        columns.add(
            new ColumnAccess(column, Visibility.DENIED, null, "not in the granted columns"));
      } else {
        columns.add(masked(column, roles));
      }
    }
    String reason = (table.zone().equals("bronze") ? "bronze owner " : "granted to ") + granting;
    return new TableAccess(user, roles, table, true, false, reason, columns, filter(table, roles));
  }

  private ColumnAccess masked(LakeTable.Column column, Set<String> roles) {
    Policy.MaskRule first = null;
    for (Policy.MaskRule rule : policy.masks()) {
      if (column.tags().contains(rule.tag())
          && java.util.Collections.disjoint(rule.unless(), roles)) {
        if (rule.method().kind() == MaskMethod.Kind.DENY) {
          return new ColumnAccess(
              column,
              Visibility.DENIED,
              rule.method(),
              "tag " + rule.tag() + " denied unless " + rule.unless());
        }
        if (first == null) {
          first = rule;
        }
      }
    }
    if (first == null) {
      return new ColumnAccess(column, Visibility.VISIBLE, null, exemptions(column, roles));
    }
    return new ColumnAccess(
        column,
        Visibility.MASKED,
        first.method().fitTo(column.trinoType()),
        "tag " + first.tag() + " masked unless " + first.unless());
  }

  private String exemptions(LakeTable.Column column, Set<String> roles) {
    for (Policy.MaskRule rule : policy.masks()) {
      if (column.tags().contains(rule.tag())) {
        Set<String> held = new TreeSet<>(rule.unless());
        held.retainAll(roles);
        return "tag " + rule.tag() + ", exempt as " + held;
      }
    }
    return "";
  }

  private String filter(LakeTable table, Set<String> roles) {
    List<String> predicates = new ArrayList<>();
    for (Policy.RowFilter filter : policy.rowFilters()) {
      if (filter.table().equals(table.qualifiedName())
          && !java.util.Collections.disjoint(filter.roles(), roles)) {
        predicates.add(filter.filter());
      }
    }
    if (predicates.isEmpty()) {
      return null;
    }
    return predicates.size() == 1
        ? predicates.get(0)
        : "(" + String.join(") AND (", predicates) + ")";
  }

  private static List<ColumnAccess> all(LakeTable table, String why) {
    List<ColumnAccess> columns = new ArrayList<>();
    for (LakeTable.Column column : table.columns()) {
      columns.add(new ColumnAccess(column, Visibility.VISIBLE, null, why));
    }
    return columns;
  }
}
