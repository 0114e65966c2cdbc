package io.tarn.governance.protect;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.Base64;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How one PII column is written to silver. Plain functions of the value: {@link #apply} is what the
 * silver job calls per value (null stays null).
 *
 * @param method the method
 * @param keepLast for {@link Method#MASK}: how many trailing letters/digits stay readable
 */
public record Protection(Method method, int keepLast) implements Serializable {
  /** The protection methods, by their policy names. */
  public enum Method {
    /** Deterministic HMAC-SHA256 token under the secret key: equal values, equal tokens. */
    TOKEN,
    /** ASCII letters and digits replaced by {@code *} except the last {@code keepLast}. */
    MASK,
    /** Replaced by {@value #REDACTED}. */
    REDACT,
    /** A date becomes its year (other values: redacted). */
    GENERALISE,
    /** The column is left out of silver. */
    DROP;

    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public static final String REDACTED = "[redacted]";
  public static final String TOKEN_PREFIX = "tok_";
  private static final int TOKEN_BYTES = 16;

  public Protection {
    if (keepLast < 0 || (method != Method.MASK && keepLast != 0)) {
      throw new IllegalArgumentException(
          "Cannot make protection " + method.id() + ": keepLast " + keepLast);
    }
  }

  public static Protection of(Method method) {
    return new Protection(method, 0);
  }

  public static Protection mask(int keepLast) {
    return new Protection(Method.MASK, keepLast);
  }

  /**
   * Parses a policy value: {@code token}, {@code redact}, {@code generalise}, {@code drop}, {@code
   * mask} (keeps 4) or {@code mask:N}.
   */
  public static Protection parse(String text) {
    String value = text.trim().toLowerCase(Locale.ROOT);
    if (value.startsWith("mask:")) {
      try {
        return mask(Integer.parseInt(value.substring(5)));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "Cannot read protection '" + text + "': mask:N needs a number");
      }
    }
    if (value.equals("mask")) {
      return mask(4);
    }
    for (Method method : Method.values()) {
      if (method.id().equals(value)
          || (method == Method.GENERALISE && value.equals("generalize"))) {
        return of(method);
      }
    }
    throw new IllegalArgumentException(
        "Cannot read protection '"
            + text
            + "': known token, mask, mask:N, redact, generalise, drop");
  }

  @Override
  public String toString() {
    return method == Method.MASK ? "mask:" + keepLast : method.id();
  }

  /**
   * The protected form of {@code value}; {@code key} is needed by {@link Method#TOKEN} only.
   * Returns null for null and for {@link Method#DROP} (the caller leaves the column out).
   */
  public Object apply(Object value, TokenKey key) {
    if (value == null) {
      return null;
    }
    switch (method) {
      case TOKEN:
        if (key == null) {
          throw new IllegalStateException("Cannot make token: no " + TokenKey.CONFIG_KEY);
        }
        return token(value.toString(), key);
      case MASK:
        return mask(value.toString(), keepLast);
      case REDACT:
        return REDACTED;
      case GENERALISE:
        return value instanceof LocalDate ? (Object) ((LocalDate) value).getYear() : REDACTED;
      case DROP:
        return null;
      default:
        throw new IllegalStateException("Unknown method " + method);
    }
  }

  /** {@code tok_} + 22 base64url characters of HMAC-SHA256(key, value): 128 bits, joinable. */
  public static String token(String value, TokenKey key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.bytes(), "HmacSHA256"));
      byte[] digest = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
      byte[] head = new byte[TOKEN_BYTES];
      System.arraycopy(digest, 0, head, 0, TOKEN_BYTES);
      return TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(head);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("Cannot make token: " + e.getMessage(), e);
    }
  }

  /**
   * Replaces every ASCII letter and digit by {@code *} except the last {@code keepLast} of them;
   * separators stay, so {@code 4111 1111 1111 1111} becomes {@code **** **** **** 1111}.
   */
  public static String mask(String value, int keepLast) {
    int alnum = 0;
    for (int i = 0; i < value.length(); i += 1) {
      if (isAsciiAlnum(value.charAt(i))) {
        alnum += 1;
      }
    }
    int toMask = Math.max(0, alnum - keepLast);
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i += 1) {
      char c = value.charAt(i);
      if (toMask > 0 && isAsciiAlnum(c)) {
        out.append('*');
        toMask -= 1;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  // ASCII only, like the Trino mask regex of the access policy, so both mask the same characters
  private static boolean isAsciiAlnum(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }
}
