package io.tarn.workload;

/** An event the broker acknowledged, with where it landed. */
public record ProducedRecord(
    GeneratedEvent event, String topic, int partition, long offset, long timestampMillis) {}
