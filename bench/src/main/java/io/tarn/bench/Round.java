package io.tarn.bench;

/** One pass over every peer: the warm-up(s) first, then the measured repetitions. */
public record Round(int index, boolean warmup, String label) {}
