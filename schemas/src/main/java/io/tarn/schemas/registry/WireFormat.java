package io.tarn.schemas.registry;

import io.tarn.schemas.AvroModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * The Confluent wire format of Kafka values: byte 0 is the magic byte 0, bytes 1–4 the big-endian
 * schema id, the rest the Avro binary encoding of the record.
 */
public final class WireFormat {
  /** The first byte of every wire-format payload. */
  public static final byte MAGIC_BYTE = 0;

  /** The magic byte and the schema id. */
  public static final int HEADER_SIZE = 5;

  // writers hold no per-call state, so one per schema serves every thread
  private static final Map<Schema, GenericDatumWriter<GenericRecord>> WRITERS =
      new ConcurrentHashMap<>();

  private WireFormat() {}

  /**
   * Encodes a record with {@link AvroModel#INSTANCE}, so BigDecimal, Instant and LocalDate values
   * of logical-type fields are accepted.
   *
   * @throws IllegalArgumentException if the record does not conform to its schema
   */
  public static byte[] encode(int schemaId, GenericRecord record) {
    Schema schema = record.getSchema();
    GenericDatumWriter<GenericRecord> writer =
        WRITERS.computeIfAbsent(schema, s -> new GenericDatumWriter<>(s, AvroModel.INSTANCE));
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    out.write(MAGIC_BYTE);
    out.write(schemaId >>> 24);
    out.write(schemaId >>> 16);
    out.write(schemaId >>> 8);
    out.write(schemaId);
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    try {
      writer.write(record, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "Cannot encode record " + schema.getFullName() + " with schema id " + schemaId + ": " + e,
          e);
    }
    return out.toByteArray();
  }

  /**
   * The schema id of a wire-format payload.
   *
   * @throws DecodeException with {@link DecodeException.Reason#NOT_WIRE_FORMAT} if the payload is
   *     null, shorter than the header or does not start with the magic byte
   */
  public static int schemaId(byte[] payload) {
    if (payload == null) {
      throw new DecodeException(
          DecodeException.Reason.NOT_WIRE_FORMAT, "Cannot decode payload: it is null");
    }
    if (payload.length < HEADER_SIZE) {
      throw new DecodeException(
          DecodeException.Reason.NOT_WIRE_FORMAT,
          "Cannot decode payload: " + payload.length + " bytes is shorter than the 5-byte header");
    }
    if (payload[0] != MAGIC_BYTE) {
      throw new DecodeException(
          DecodeException.Reason.NOT_WIRE_FORMAT,
          "Cannot decode payload: magic byte is " + (payload[0] & 0xff) + ", not 0");
    }
    return ((payload[1] & 0xff) << 24)
        | ((payload[2] & 0xff) << 16)
        | ((payload[3] & 0xff) << 8)
        | (payload[4] & 0xff);
  }
}
