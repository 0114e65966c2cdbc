package io.tarn.governance.pii;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Accuracy, not timing: the per-type goals of the issue on a generated labelled corpus. */
class CorpusAccuracyTest {
  @Test
  void meetsPrecisionAndRecallGoalsPerEntityType() {
    List<LabelledLine> corpus = new CorpusGenerator(7).lines(3000);
    List<Evaluation.Score> scores = Evaluation.score(Detector.standard(), corpus);
    assertThat(scores).hasSize(EntityType.values().length);
    for (Evaluation.Score score : scores) {
      assertThat(score.labelled()).as("%s labelled", score.type()).isGreaterThan(300);
      double minPrecision = score.type().checksumBacked() ? 0.95 : 0.9;
      double minRecall = score.type().checksumBacked() ? 0.9 : 0.85;
      assertThat(score.precision())
          .as("%s precision", score.type())
          .isGreaterThanOrEqualTo(minPrecision);
      assertThat(score.recall()).as("%s recall", score.type()).isGreaterThanOrEqualTo(minRecall);
    }
  }

  @Test
  void corpusIsDeterministicAndHoldsNearMisses() {
    List<LabelledLine> first = new CorpusGenerator(11).lines(200);
    assertThat(new CorpusGenerator(11).lines(200)).isEqualTo(first);
    assertThat(new CorpusGenerator(12).lines(200)).isNotEqualTo(first);
    long nearMisses =
        first.stream()
            .filter(l -> l.text().contains("was declined") || l.text().contains("Typo in IBAN"))
            .count();
    assertThat(nearMisses).isPositive();
    for (LabelledLine line : first) {
      for (LabelledLine.Label label : line.labels()) {
        assertThat(label.end()).isLessThanOrEqualTo(line.text().length());
      }
    }
  }

  @Test
  void aDetectorReportingEveryDigitRunLosesPrecision() {
    // the evaluation must be able to fail: a recognizer without checksums reports the near-misses
    EntityRecognizer careless =
        new EntityRecognizer() {
          @Override
          public EntityType type() {
            return EntityType.CARD_NUMBER;
          }

          @Override
          public List<Finding> recognize(CharSequence text) {
            java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("\\d(?:[ -]?\\d){12,18}").matcher(text);
            List<Finding> out = new java.util.ArrayList<>();
            while (m.find()) {
              out.add(new Finding(EntityType.CARD_NUMBER, m.start(), m.end(), 0.9));
            }
            return out;
          }
        };
    Evaluation.Score card =
        Evaluation.score(new Detector(List.of(careless), 0.5), new CorpusGenerator(7).lines(2000))
            .get(EntityType.CARD_NUMBER.ordinal());
    assertThat(card.precision()).isLessThan(0.95);
  }
}
