package io.tarn.schemas.registry;

import org.apache.avro.Schema;

/** One version of a subject: its number within the subject and its global schema id. */
public record SchemaVersion(String subject, int version, int id, Schema schema) {}
