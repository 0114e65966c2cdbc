package io.tarn.governance;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tarn.governance.pii.CorpusGenerator;
import io.tarn.governance.pii.Detector;
import io.tarn.governance.pii.Evaluation;
import io.tarn.governance.pii.Finding;
import io.tarn.governance.pii.LabelledLine;
import io.tarn.governance.policy.AccessExplanation;
import io.tarn.governance.policy.Policy;
import io.tarn.governance.policy.PolicyException;
import io.tarn.governance.policy.TrinoRules;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./tarn pii …} and {@code ./tarn access …}: PII detection over stdin, the labelled corpus
 * and its scores, and the access policy rendered for Trino or explained for one user and table.
 */
public final class GovernanceMain {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String USAGE =
      String.join(
          "\n",
          "Usage:",
          "  ./tarn pii detect [--field NAME] [--threshold 0.5]   text lines on stdin -> one JSON"
              + " finding per line",
          "  ./tarn pii corpus [--lines 1000] [--seed 42]         labelled corpus, JSON lines",
          "  ./tarn pii score  [--lines 5000] [--seed 42]         precision/recall per entity type",
          "  ./tarn access check   --policy FILE                 validate the policy",
          "  ./tarn access render  --policy FILE                 Trino rules.json on stdout",
          "  ./tarn access properties --rules PATH               Trino access-control.properties",
          "  ./tarn access explain --policy FILE --user U --table ZONE.TABLE");

  private GovernanceMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.in, System.out, System.err));
  }

  /** Runs a command; returns 0 done, 1 failed, 2 usage error. */
  public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    if (args.length < 2) {
      err.println(USAGE);
      return 2;
    }
    Map<String, String> options;
    try {
      options = options(Arrays.asList(args).subList(2, args.length));
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.println(USAGE);
      return 2;
    }
    String command = args[0] + " " + args[1];
    try {
      switch (command) {
        case "pii detect":
          detect(in, out, options.get("field"), number(options, "threshold", 0.5));
          return 0;
        case "pii corpus":
          corpus(out, (int) number(options, "lines", 1000), (long) number(options, "seed", 42));
          return 0;
        case "pii score":
          score(out, (int) number(options, "lines", 5000), (long) number(options, "seed", 42));
          return 0;
        case "access check":
          Policy checked = Policy.load(Path.of(required(options, "policy")));
          out.printf(
              Locale.ROOT,
              "%s: valid (%d roles, %d users, %d tables)%n",
              checked.source(),
              checked.roles().size(),
              checked.userRoles().size(),
              checked.tables().all().size());
          return 0;
        case "access render":
          out.print(new TrinoRules(Policy.load(Path.of(required(options, "policy")))).json());
          return 0;
        case "access properties":
          out.print(TrinoRules.accessControlProperties(required(options, "rules")));
          return 0;
        case "access explain":
          Policy policy = Policy.load(Path.of(required(options, "policy")));
          out.print(
              AccessExplanation.text(
                  policy, required(options, "user"), required(options, "table")));
          return 0;
        default:
          err.println("Cannot run '" + command + "': no such command");
          err.println(USAGE);
          return 2;
      }
    } catch (PolicyException | IllegalArgumentException | UncheckedIOException e) {
      err.println(e.getMessage());
      return 1;
    }
  }

  private static void detect(InputStream in, PrintStream out, String field, double threshold) {
    Detector detector = new Detector(Detector.standardRecognizers(), threshold);
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      long number = 0;
      while ((line = reader.readLine()) != null) {
        number += 1;
        for (Finding finding : detector.detect(line, field)) {
          ObjectNode json = JSON.createObjectNode();
          json.put("line", number)
              .put("start", finding.start())
              .put("end", finding.end())
              .put("entity_type", finding.type().id())
              .put("confidence", Math.round(finding.confidence() * 100) / 100.0);
          out.println(json);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read stdin", e);
    }
  }

  private static void corpus(PrintStream out, int lines, long seed) {
    for (LabelledLine line : new CorpusGenerator(seed).lines(lines)) {
      ObjectNode json = JSON.createObjectNode();
      json.put("text", line.text());
      for (LabelledLine.Label label : line.labels()) {
        json.withArray("labels")
            .addObject()
            .put("start", label.start())
            .put("end", label.end())
            .put("entity_type", label.type().id());
      }
      out.println(json);
    }
  }

  private static void score(PrintStream out, int lines, long seed) {
    List<Evaluation.Score> scores =
        Evaluation.score(Detector.standard(), new CorpusGenerator(seed).lines(lines));
    out.printf(
        Locale.ROOT,
        "%-12s %9s %6s %6s %6s %10s %8s%n",
        "type",
        "labelled",
        "tp",
        "fp",
        "fn",
        "precision",
        "recall");
    for (Evaluation.Score s : scores) {
      out.printf(
          Locale.ROOT,
          "%-12s %9d %6d %6d %6d %10.4f %8.4f%n",
          s.type().id(),
          s.labelled(),
          s.truePositives(),
          s.falsePositives(),
          s.falseNegatives(),
          s.precision(),
          s.recall());
    }
  }

  private static Map<String, String> options(List<String> args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.size(); i += 2) {
      String key = args.get(i);
      if (!key.startsWith("--") || i + 1 >= args.size()) {
        throw new IllegalArgumentException(
            "Cannot read option '" + key + "': expected --name value");
      }
      options.put(key.substring(2), args.get(i + 1));
    }
    return options;
  }

  private static String required(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null) {
      throw new IllegalArgumentException("Cannot run command: --" + name + " is required");
    }
    return value;
  }

  private static double number(Map<String, String> options, String name, double fallback) {
    String value = options.get(name);
    if (value == null) {
      return fallback;
    }
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Cannot read --" + name + ": '" + value + "' is not a number");
    }
  }
}
