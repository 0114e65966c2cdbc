package io.tarn.catalog.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The catalog's bearer token: random, made at the first start, kept in a file only its owner can
 * read (mode 0600). Its value is never logged nor put in an exception message.
 */
public final class AccessToken {
  private static final int RANDOM_BYTES = 32;

  private final String value;

  private AccessToken(String value) {
    this.value = value;
  }

  /** Reads the token in {@code file}, or makes a new one there if the file does not exist. */
  public static AccessToken loadOrCreate(Path file) {
    if (!Files.exists(file)) {
      byte[] bytes = new byte[RANDOM_BYTES];
      new SecureRandom().nextBytes(bytes);
      String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      try {
        Files.createDirectories(file.toAbsolutePath().getParent());
        // created with its final mode: the token is never readable by others, not even briefly
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
      } catch (FileAlreadyExistsException raced) {
        // another process made it first: use theirs
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot create catalog token file " + file, e);
      }
    }
    try {
      String token = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (token.isEmpty()) {
        throw new IllegalStateException(
            "Cannot read catalog token: " + file + " is empty (delete it to make a new token)");
      }
      return new AccessToken(token);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read catalog token file " + file, e);
    }
  }

  public String value() {
    return value;
  }

  /** Whether {@code candidate} is this token, compared in constant time. */
  public boolean matches(String candidate) {
    return candidate != null
        && MessageDigest.isEqual(
            value.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "AccessToken{***}";
  }
}
