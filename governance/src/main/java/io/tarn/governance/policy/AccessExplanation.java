package io.tarn.governance.policy;

import io.tarn.governance.policy.TableAccess.ColumnAccess;
import java.util.Locale;

/** The text {@code ./tarn access explain} prints: who sees which column of a table, and how. */
public final class AccessExplanation {
  private AccessExplanation() {}

  public static String text(Policy policy, String user, String table) {
    return text(new AccessEvaluator(policy).explain(user, table));
  }

  public static String text(TableAccess access) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "user %s, roles %s, table %s: %s (%s)%n",
            access.user(),
            access.roles(),
            access.table().qualifiedName(),
            access.owner() ? "owner" : access.readable() ? "readable" : "denied",
            access.reason()));
    if (access.readable()) {
      out.append("rows: ")
          .append(access.rowFilter() == null ? "all" : "where " + access.rowFilter())
          .append('\n');
    }
    if (access.columns().isEmpty() && access.readable()) {
      out.append("columns: all (no contract columns known for this table)\n");
    }
    for (ColumnAccess column : access.columns()) {
      String how;
      switch (column.visibility()) {
        case VISIBLE:
          how = "visible";
          break;
        case MASKED:
          how = "masked " + column.mask() + ": " + column.maskSql();
          break;
        default:
          how = "denied";
      }
      out.append(
          String.format(
              Locale.ROOT,
              "  %-16s %-26s %s%s%n",
              column.column().name(),
              column.column().tags().isEmpty() ? "" : String.join(",", column.column().tags()),
              how,
              column.why().isEmpty() ? "" : "  (" + column.why() + ")"));
    }
    return out.toString();
  }
}
