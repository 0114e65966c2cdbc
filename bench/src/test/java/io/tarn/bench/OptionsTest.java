package io.tarn.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptionsTest {
  private static final List<BenchOption> KNOWN =
      List.of(
          new BenchOption("records", "1000000", "records"),
          new BenchOption("commit-interval", "10s", "interval"),
          new BenchOption("keep", "false", "flag"));

  @Test
  void appliesDefaultsAndBothValueForms() {
    Options options =
        Options.parse("kafka", List.of("--records", "300_000", "--commit-interval=500ms"), KNOWN);

    assertThat(options.getLong("records")).isEqualTo(300_000);
    assertThat(options.getDuration("commit-interval")).isEqualTo(Duration.ofMillis(500));
    assertThat(options.getBoolean("keep")).isFalse();
  }

  @Test
  void takesAFlagWithoutValue() {
    Options options = Options.parse("kafka", List.of("--keep", "--records", "5"), KNOWN);

    assertThat(options.getBoolean("keep")).isTrue();
    assertThat(options.getLong("records")).isEqualTo(5);
  }

  @Test
  void rejectsAnUnknownOptionNamingTheKnownOnes() {
    assertThatThrownBy(() -> Options.parse("kafka", List.of("--recrods", "5"), KNOWN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Cannot run benchmark kafka: unknown option --recrods")
        .hasMessageContaining("--records");
  }

  @Test
  void rejectsAMissingValue() {
    assertThatThrownBy(() -> Options.parse("kafka", List.of("--records"), KNOWN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("option --records needs a value");
  }

  @Test
  void rejectsANonNumber() {
    Options options = Options.parse("kafka", List.of("--records", "many"), KNOWN);

    assertThatThrownBy(() -> options.getLong("records"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'many' is not a whole number");
  }
}
