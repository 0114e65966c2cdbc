package io.tarn.trino;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrinoJavaTest {
  @TempDir Path jvms;

  @Test
  void picksTheNewestJavaOf24OrLaterUnderTheJvmFolder() throws IOException {
    jdk("java-17", "17.0.15");
    Path jdk25 = jdk("temurin-25", "25.0.3");
    jdk("temurin-24", "24.0.1");
    Path running = jdk("running", "17.0.15");

    TrinoJava java = TrinoJava.find(null, running, jvms);

    assertThat(java.home()).isEqualTo(jdk25.toRealPath());
    assertThat(java.version()).isEqualTo(25);
  }

  @Test
  void prefersTheConfiguredJavaGivenAsHomeOrExecutable() throws IOException {
    jdk("temurin-25", "25.0.3");
    Path configured = jdk("custom", "24");

    assertThat(TrinoJava.find(configured.toString(), configured, jvms).home())
        .isEqualTo(configured);
    assertThat(TrinoJava.find(configured.resolve("bin/java").toString(), configured, jvms).home())
        .isEqualTo(configured);
  }

  @Test
  void refusesAConfiguredJavaThatIsTooOld() throws IOException {
    Path old = jdk("java-17", "17.0.15");
    jdk("temurin-25", "25.0.3");

    assertThatThrownBy(() -> TrinoJava.find(old.toString(), old, jvms))
        .hasMessageContaining(TrinoJava.ENV)
        .hasMessageContaining("Java 17")
        .hasMessageContaining("24 or newer");
  }

  @Test
  void saysWhatToInstallWhenNoneIsNewEnough() throws IOException {
    Path old = jdk("java-17", "17.0.15");

    assertThatThrownBy(() -> TrinoJava.find(null, old, jvms))
        .hasMessageContaining("Cannot start Trino: it needs Java 24 or newer")
        .hasMessageContaining("Java 17 at " + old.toRealPath())
        .hasMessageContaining("adoptium")
        .hasMessageContaining(TrinoJava.ENV);
  }

  @Test
  void readsFeatureVersions() {
    assertThat(TrinoJava.featureVersion("\"25.0.3\"")).contains(25);
    assertThat(TrinoJava.featureVersion("\"1.8.0_392\"")).contains(8);
    assertThat(TrinoJava.featureVersion("\"24\"")).contains(24);
    assertThat(TrinoJava.featureVersion("\"\"")).isEmpty();
    assertThat(TrinoJava.featureVersion(null)).isEmpty();
  }

  private Path jdk(String name, String version) throws IOException {
    Path home = jvms.resolve(name);
    Files.createDirectories(home.resolve("bin"));
    Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
    Files.createFile(
        home.resolve("bin/java"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    return home;
  }
}
