package io.tarn.local;

import java.util.List;

/** Renders rows as an aligned plain-text table; the first row is the header. */
final class TextTable {
  private TextTable() {}

  static String render(List<String[]> rows) {
    int columns = rows.get(0).length;
    int[] width = new int[columns];
    for (String[] row : rows) {
      for (int c = 0; c < columns; c++) {
        width[c] = Math.max(width[c], row[c].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (int r = 0; r < rows.size(); r++) {
      String[] row = rows.get(r);
      for (int c = 0; c < columns; c++) {
        boolean numeric = r > 0 && c > 0 && row[c].matches("[-\\d,.]+( \\w+)?");
        String cell = numeric ? pad(row[c], width[c], true) : pad(row[c], width[c], false);
        out.append(c == 0 ? "" : "  ").append(cell);
      }
      out.append('\n');
      if (r == 0) {
        for (int c = 0; c < columns; c++) {
          out.append(c == 0 ? "" : "  ").append("-".repeat(width[c]));
        }
        out.append('\n');
      }
    }
    return out.toString();
  }

  private static String pad(String s, int width, boolean right) {
    String spaces = " ".repeat(width - s.length());
    return right ? spaces + s : s + spaces;
  }
}
