package io.tarn.governance.policy;

import java.util.List;
import java.util.Set;

/**
 * What one user may do with one table, as the policy decides it: the answer of {@code ./tarn access
 * explain} and the input of the Trino rules.
 *
 * @param user the user
 * @param roles the user's roles
 * @param table the table
 * @param readable whether the user may select from it at all
 * @param owner whether the user owns it (admin roles: every privilege)
 * @param reason why, in a few words: the granting roles, or what was missing
 * @param columns every known column (empty for tables outside the contracts, all readable)
 * @param rowFilter the SQL predicate rows must satisfy, or null for every row
 */
public record TableAccess(
    String user,
    Set<String> roles,
    LakeTable table,
    boolean readable,
    boolean owner,
    String reason,
    List<ColumnAccess> columns,
    String rowFilter) {

  /** How one column shows to the user. */
  public record ColumnAccess(
      LakeTable.Column column, Visibility visibility, MaskMethod mask, String why) {
    /** The Trino mask expression, for {@link Visibility#MASKED} only. */
    public String maskSql() {
      return visibility == Visibility.MASKED ? mask.sql(column.name(), column.trinoType()) : null;
    }
  }

  public enum Visibility {
    VISIBLE,
    MASKED,
    DENIED
  }
}
