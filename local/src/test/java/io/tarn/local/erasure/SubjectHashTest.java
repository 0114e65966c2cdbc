package io.tarn.local.erasure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubjectHashTest {
  @TempDir Path dir;

  @Test
  void theKeyIsCreatedOnceOwnerOnlyAndReused() throws Exception {
    Path file = dir.resolve("secrets/erasure.key");
    String first = SubjectHash.keyIn(file).of("C0000042");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(SubjectHash.keyIn(file).of("C0000042")).isEqualTo(first);
    assertThat(first).hasSize(32).matches("[0-9a-f]+").doesNotContain("C0000042");
  }

  @Test
  void theHashDependsOnTheKeyAndTheSubject() {
    SubjectHash one = new SubjectHash(new byte[16]);
    byte[] otherKey = new byte[16];
    otherKey[0] = 1;
    SubjectHash two = new SubjectHash(otherKey);
    assertThat(one.of("C0000042")).isNotEqualTo(two.of("C0000042"));
    assertThat(one.of("C0000042")).isNotEqualTo(one.of("C0000043"));
  }

  @Test
  void aShortOrBrokenKeyIsRefused() throws Exception {
    assertThatThrownBy(() -> new SubjectHash(new byte[8]))
        .hasMessageContaining("fewer than 16 bytes");
    Path file = dir.resolve("bad.key");
    Files.writeString(file, "not hex");
    assertThatThrownBy(() -> SubjectHash.keyIn(file)).hasMessageContaining(file.toString());
  }
}
