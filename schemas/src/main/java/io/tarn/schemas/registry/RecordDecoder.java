package io.tarn.schemas.registry;

import io.tarn.schemas.AvroModel;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;

/**
 * Decodes wire-format Kafka values into records of a reader schema, resolving the writer schema by
 * the payload's id.
 *
 * <p>This is the hot path of the pipeline: per (writer id, reader schema) pair the compatibility
 * check runs once and one datum reader is kept, and each thread reuses its binary decoder, which
 * bounds string and bytes lengths by the payload size so corrupt lengths cannot exhaust the heap.
 * Bad payloads throw {@link DecodeException}; a registry that cannot be reached throws {@link
 * SchemaRegistryException}, because that is an outage, not bad data. Thread-safe.
 */
public final class RecordDecoder {
  // an unknown id is not asked for again for a while, so a flood of bad records cannot flood the
  // registry; it is asked again later because the id may have been registered meanwhile
  private static final long UNKNOWN_ID_RETRY_NANOS = TimeUnit.SECONDS.toNanos(30);

  private final SchemaRegistry registry;
  private final Map<Schema, Map<Integer, Resolution>> resolutions = new ConcurrentHashMap<>();
  private final Map<Integer, Long> unknownIdsUntil = new ConcurrentHashMap<>();
  private final ThreadLocal<BoundedBinaryDecoder> decoders =
      ThreadLocal.withInitial(BoundedBinaryDecoder::new);

  public RecordDecoder(SchemaRegistry registry) {
    this.registry = registry;
  }

  /** The schema id of a payload; see {@link WireFormat#schemaId(byte[])}. */
  public int schemaId(byte[] payload) {
    return WireFormat.schemaId(payload);
  }

  /**
   * Decodes a payload.
   *
   * @param readerSchema the schema the caller wants the record in, e.g. the current contract's
   * @throws DecodeException if the payload is not wire format, its schema id is unknown, its schema
   *     cannot be read as the reader schema, or its bytes are corrupt
   */
  public GenericRecord decode(byte[] payload, Schema readerSchema) {
    int id = WireFormat.schemaId(payload);
    Resolution resolution = resolution(id, readerSchema);
    if (resolution.reader == null) {
      throw new DecodeException(DecodeException.Reason.INCOMPATIBLE_SCHEMA, resolution.error);
    }
    BoundedBinaryDecoder decoder =
        decoders
            .get()
            .reset(payload, WireFormat.HEADER_SIZE, payload.length - WireFormat.HEADER_SIZE);
    try {
      return resolution.reader.read(null, decoder);
    } catch (IOException | RuntimeException e) {
      // EOFException, AvroRuntimeException, negative lengths, index errors, bad logical values:
      // whatever the bytes make Avro throw, the payload is corrupt
      throw new DecodeException(
          DecodeException.Reason.CORRUPT_PAYLOAD,
          "Cannot decode payload of "
              + payload.length
              + " bytes with schema id "
              + id
              + " as "
              + readerSchema.getFullName()
              + ": "
              + e,
          e);
    }
  }

  private Resolution resolution(int id, Schema readerSchema) {
    Map<Integer, Resolution> byId =
        resolutions.computeIfAbsent(readerSchema, s -> new ConcurrentHashMap<>());
    Resolution resolution = byId.get(id);
    if (resolution == null) {
      resolution = resolve(id, readerSchema);
      byId.put(id, resolution);
    }
    return resolution;
  }

  private Resolution resolve(int id, Schema readerSchema) {
    Schema writerSchema = writerSchema(id);
    List<String> problems = CompatibilityLevel.problems(readerSchema, writerSchema);
    if (!problems.isEmpty()) {
      return new Resolution(
          null,
          "Cannot decode payload with schema id "
              + id
              + " as "
              + readerSchema.getFullName()
              + ": the reader schema cannot read the writer schema: "
              + String.join("; ", problems));
    }
    return new Resolution(
        new GenericDatumReader<>(writerSchema, readerSchema, AvroModel.INSTANCE), null);
  }

  private Schema writerSchema(int id) {
    Long until = unknownIdsUntil.get(id);
    if (until != null && System.nanoTime() - until < 0) {
      throw unknownId(id, "the registry has no such schema");
    }
    try {
      Schema schema = registry.schemaById(id);
      unknownIdsUntil.remove(id);
      return schema;
    } catch (UnknownSchemaException e) {
      unknownIdsUntil.put(id, System.nanoTime() + UNKNOWN_ID_RETRY_NANOS);
      throw unknownId(id, e.getMessage());
    }
  }

  private static DecodeException unknownId(int id, String reason) {
    return new DecodeException(
        DecodeException.Reason.UNKNOWN_SCHEMA_ID,
        "Cannot decode payload with schema id " + id + ": " + reason);
  }

  private static final class Resolution {
    private final GenericDatumReader<GenericRecord> reader;
    private final String error;

    private Resolution(GenericDatumReader<GenericRecord> reader, String error) {
      this.reader = reader;
      this.error = error;
    }
  }
}
