package io.tarn.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/scaling.md cites measured figures by file, row and field; each one must be what that
 * benchmark result file says (median, rounded as printed), so the model cannot drift from the
 * measurements it is derived from.
 */
class ScalingModelTest {
  private static final Pattern ROW =
      Pattern.compile(
          "^\\| (M\\d+) \\| [^|]+ \\| ([^|]+) \\| `(bench/results/[^`]+)` · `([^`]+)` · `([^`]+)` \\|$");
  private static final Pattern NUMBER = Pattern.compile("[\\d,]+(\\.\\d+)?");

  record Citation(String id, String printed, String file, String row, String field) {}

  @Test
  void everyMeasuredInputIsWhatItsResultFileSays() {
    List<Citation> citations = citations();
    assertThat(citations).extracting(Citation::id).contains("M1", "M5", "M7", "M9", "M11");
    for (Citation c : citations) {
      Matcher m = NUMBER.matcher(c.printed());
      assertThat(m.find()).as("%s prints a number", c.id()).isTrue();
      BigDecimal printed = new BigDecimal(m.group().replace(",", ""));
      BigDecimal measured =
          BigDecimal.valueOf(median(c)).setScale(printed.scale(), RoundingMode.HALF_UP);
      assertThat(printed)
          .as("%s: %s of %s in %s", c.id(), c.field(), c.row(), c.file())
          .isEqualByComparingTo(measured);
    }
  }

  @Test
  void derivedPerCoreFiguresFollowFromTheCitedOnes() {
    String doc = RepoTree.read(RepoTree.path("docs/scaling.md"));
    double bronzeCpu = median(find("M1"));
    // one core's records/s = 1e6 / CPU-seconds per million
    long perCore = Math.round(1e6 / bronzeCpu / 100) * 100;
    assertThat(doc).contains(String.format("%,d", perCore) + "\nrecords/s per core");
    double compression = 600_000 * 172 / 1e6 / median(find("M7"));
    assertThat(doc).contains(String.format("**%.2f : 1**", compression));
  }

  private static double median(Citation c) {
    JsonNode result = RepoTree.json(RepoTree.path(c.file()));
    JsonNode node = null;
    for (JsonNode row : result.get("rows")) {
      if (row.get("peer").asText().equals(c.row())) {
        node = row;
      }
    }
    assertThat(node).as("%s has a row %s", c.file(), c.row()).isNotNull();
    for (String part : c.field().split("\\.")) {
      node = node.path(part);
    }
    assertThat(node.path("median").isNumber()).as("%s %s", c.file(), c.field()).isTrue();
    return node.path("median").asDouble();
  }

  private static Citation find(String id) {
    return citations().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
  }

  private static List<Citation> citations() {
    List<Citation> citations = new ArrayList<>();
    for (String line : RepoTree.read(RepoTree.path("docs/scaling.md")).split("\n")) {
      Matcher m = ROW.matcher(line);
      if (m.matches()) {
        citations.add(
            new Citation(m.group(1), m.group(2).trim(), m.group(3), m.group(4), m.group(5)));
      }
    }
    return citations;
  }
}
