package io.tarn.catalog.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessTokenTest {
  @TempDir Path dir;

  @Test
  void makesAPrivateRandomTokenOnceAndKeepsIt() throws Exception {
    Path file = dir.resolve("server").resolve("token");
    AccessToken first = AccessToken.loadOrCreate(file);
    AccessToken again = AccessToken.loadOrCreate(file);
    AccessToken other = AccessToken.loadOrCreate(dir.resolve("other-token"));

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(first.value()).hasSizeGreaterThanOrEqualTo(40).isEqualTo(again.value());
    assertThat(other.value()).isNotEqualTo(first.value());
  }

  @Test
  void matchesOnlyItself() {
    AccessToken token = AccessToken.loadOrCreate(dir.resolve("token"));
    assertThat(token.matches(token.value())).isTrue();
    assertThat(token.matches(token.value() + "x")).isFalse();
    assertThat(token.matches("")).isFalse();
    assertThat(token.matches(null)).isFalse();
    assertThat(token.toString()).doesNotContain(token.value());
  }

  @Test
  void refusesAnEmptyTokenFile() throws Exception {
    Path file = Files.writeString(dir.resolve("token"), "\n");
    assertThatThrownBy(() -> AccessToken.loadOrCreate(file))
        .hasMessageContaining("Cannot read catalog token")
        .hasMessageContaining(file.toString());
  }
}
