package io.tarn.local.erasure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A keyed hash (HMAC-SHA256) of a subject id: what certificates, logs and audit events carry
 * instead of the id. The key is secret per lake, so nobody can confirm a guessed id from an audit
 * record without it, while whoever holds it can prove which erasure covered a given person.
 */
public final class SubjectHash {
  private final byte[] key;

  public SubjectHash(byte[] key) {
    if (key.length < 16) {
      throw new IllegalArgumentException("Cannot hash subjects: the key has fewer than 16 bytes");
    }
    this.key = key.clone();
  }

  /**
   * The key in {@code file}, created with 32 random bytes (owner-only permissions) on first use.
   */
  public static SubjectHash keyIn(Path file) {
    try {
      if (!Files.exists(file)) {
        Files.createDirectories(file.toAbsolutePath().getParent());
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".key", ".tmp");
        trySetOwnerOnly(tmp);
        Files.write(tmp, HexFormat.of().formatHex(fresh).getBytes(StandardCharsets.US_ASCII));
        try {
          Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException raced) {
          Files.deleteIfExists(tmp);
        }
      }
      String hex = Files.readString(file, StandardCharsets.US_ASCII).trim();
      return new SubjectHash(HexFormat.of().parseHex(hex));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the erasure key " + file, e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Cannot read the erasure key " + file + ": not hex of at least 16 bytes", e);
    }
  }

  /** The hex HMAC-SHA256 of the id, first 128 bits. */
  public String of(String subjectId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] digest = mac.doFinal(subjectId.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot hash a subject: HmacSHA256 unavailable", e);
    }
  }

  private static void trySetOwnerOnly(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException notPosix) {
      // best effort on file systems without POSIX permissions
    }
  }
}
