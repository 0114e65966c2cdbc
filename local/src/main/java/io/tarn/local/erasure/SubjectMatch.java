package io.tarn.local.erasure;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Which rows belong to a data subject: those holding one of its identifiers ({@code tokens}: the
 * customer id and the keys of the records that reference it, such as its order ids).
 *
 * <p>Typed rows match when a string column equals a token. Raw rows (bronze, quarantine) match when
 * the Kafka key is a token (or a composite key starting with one), or when the raw value holds a
 * token as an Avro-encoded string (length-prefixed UTF-8): Avro writes strings verbatim, so this
 * finds the subject in every payload without a schema registry, including payloads that failed to
 * decode, and the length prefix keeps {@code C0000001} from matching inside {@code C00000012}.
 * Payloads that are text (a producer that sent JSON, a URL holding an order id) match when they
 * hold a token standing alone: neither preceded nor followed by an ASCII letter or digit.
 */
public final class SubjectMatch {
  /** The separator of composite Kafka keys ({@code TableContract.KEY_SEPARATOR}). */
  static final String KEY_SEPARATOR = ":";

  private final Set<String> tokens;
  private final List<byte[]> keyBytes;
  private final List<byte[]> avroStrings;

  public SubjectMatch(Set<String> tokens) {
    if (tokens.isEmpty()) {
      throw new IllegalArgumentException("Cannot match a subject: no identifiers");
    }
    this.tokens = Set.copyOf(new TreeSet<>(tokens));
    this.keyBytes = this.tokens.stream().map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
    this.avroStrings = this.tokens.stream().map(SubjectMatch::avroString).toList();
  }

  public Set<String> tokens() {
    return tokens;
  }

  /** Whether the row (read with {@code schema}) holds one of the subject's identifiers. */
  public boolean matches(Schema schema, Record row) {
    for (Types.NestedField field : schema.columns()) {
      Object value = row.getField(field.name());
      if (value == null) {
        continue;
      }
      Type.TypeID type = field.type().typeId();
      if (type == Type.TypeID.STRING && tokens.contains(value.toString())) {
        return true;
      }
      if (type == Type.TypeID.BINARY && matchesBytes(bytesOf(value))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether raw bytes are a token, a composite key starting with one, or hold one as Avro or as a
   * word of text.
   */
  public boolean matchesBytes(byte[] bytes) {
    for (byte[] key : keyBytes) {
      if (startsWith(bytes, key)
          && (bytes.length == key.length || bytes[key.length] == KEY_SEPARATOR.charAt(0))) {
        return true;
      }
    }
    for (byte[] encoded : avroStrings) {
      if (indexOf(bytes, encoded) >= 0) {
        return true;
      }
    }
    for (byte[] token : keyBytes) {
      if (holdsWord(bytes, token)) {
        return true;
      }
    }
    return false;
  }

  private static boolean holdsWord(byte[] bytes, byte[] word) {
    for (int at = indexOf(bytes, word, 0); at >= 0; at = indexOf(bytes, word, at + 1)) {
      int end = at + word.length;
      if ((at == 0 || !isWordByte(bytes[at - 1]))
          && (end == bytes.length || !isWordByte(bytes[end]))) {
        return true;
      }
    }
    return false;
  }

  private static boolean isWordByte(byte b) {
    return (b >= '0' && b <= '9') || (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z');
  }

  /** A string as Avro binary writes it: zig-zag varint length, then the UTF-8 bytes. */
  static byte[] avroString(String value) {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(utf8.length + 5);
    long n = ((long) utf8.length << 1) ^ ((long) utf8.length >> 63);
    while ((n & ~0x7FL) != 0) {
      out.write((int) ((n & 0x7F) | 0x80));
      n >>>= 7;
    }
    out.write((int) n);
    out.writeBytes(utf8);
    return out.toByteArray();
  }

  static byte[] bytesOf(Object value) {
    if (value instanceof byte[] array) {
      return array;
    }
    ByteBuffer buffer = ((ByteBuffer) value).duplicate();
    byte[] copy = new byte[buffer.remaining()];
    buffer.get(copy);
    return copy;
  }

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    if (bytes.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (bytes[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    return indexOf(haystack, needle, 0);
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = from; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
