package io.tarn.governance.protect;

import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/**
 * The secret key of keyed tokens. It comes from configuration ({@value #CONFIG_KEY}, base64, at
 * least {@value #MIN_BYTES} bytes) and never appears in a message, a log or {@link #toString()}.
 */
public final class TokenKey {
  public static final String CONFIG_KEY = "tarn.pii.token-key";
  public static final String ENV_VAR = "TARN_PII_TOKEN_KEY";
  public static final int MIN_BYTES = 32;

  private final byte[] bytes;

  private TokenKey(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * The key in {@code config} under {@value #CONFIG_KEY}.
   *
   * @throws IllegalArgumentException naming the key (never its value) if it is missing, not base64
   *     or shorter than {@value #MIN_BYTES} bytes
   */
  public static TokenKey fromConfig(Map<String, String> config) {
    String value = config.get(CONFIG_KEY);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          "Cannot read "
              + CONFIG_KEY
              + ": it is not set (a base64 secret of at least "
              + MIN_BYTES
              + " bytes, e.g. from `openssl rand -base64 32`; environment "
              + ENV_VAR
              + ")");
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(value.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Cannot read " + CONFIG_KEY + ": it is not base64");
    }
    if (bytes.length < MIN_BYTES) {
      throw new IllegalArgumentException(
          "Cannot read "
              + CONFIG_KEY
              + ": it decodes to "
              + bytes.length
              + " bytes, at least "
              + MIN_BYTES
              + " are needed");
    }
    return new TokenKey(bytes);
  }

  byte[] bytes() {
    return Arrays.copyOf(bytes, bytes.length);
  }

  @Override
  public String toString() {
    return "TokenKey[redacted]";
  }
}
