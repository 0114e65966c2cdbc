package io.tarn.governance.policy;

import java.util.List;

/**
 * A table the policy can grant: its zone (the Trino schema), name, owning team (bronze access) and
 * columns with their tags. Tables outside the contracts have no known columns.
 */
public record LakeTable(String zone, String name, String owner, List<Column> columns) {
  /**
   * A column and its tags: {@code pii:<type>} when annotated, {@code classification:<level>}.
   *
   * @param trinoType the column's type as Trino shows it, for type-correct mask expressions
   */
  public record Column(String name, String trinoType, List<String> tags) {}

  public String qualifiedName() {
    return zone + "." + name;
  }
}
