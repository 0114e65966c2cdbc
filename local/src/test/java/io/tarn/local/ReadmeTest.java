package io.tarn.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.tarn.jobs.config.JobConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's configuration reference is the one the code generates, so it cannot drift. */
class ReadmeTest {
  @Test
  void configurationReferenceMatchesTheCode() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    assertThat(readme).contains(JobConfig.reference());
  }

  @Test
  void documentsTheTwoCommands() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    assertThat(readme).contains("./tarn local").contains("./mvnw verify");
  }
}
