package io.tarn.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One contender of a benchmark: the subject or a peer it is compared with in the same run. The
 * setup (record size, partitions, parallelism, checkpoint interval) goes on every result row.
 */
public final class Peer {
  public static final String RECORD_BYTES = "record_bytes";
  public static final String PARTITIONS = "partitions";
  public static final String PARALLELISM = "parallelism";
  public static final String CHECKPOINT_INTERVAL = "checkpoint_interval";

  private final String name;
  private final String description;
  private final String reference;
  private final Map<String, String> setup = new LinkedHashMap<>();

  Peer(String name, String description, String reference) {
    this.name = name;
    this.description = description;
    this.reference = reference;
    setup.put(RECORD_BYTES, "-");
    setup.put(PARTITIONS, "-");
    setup.put(PARALLELISM, "-");
    setup.put(CHECKPOINT_INTERVAL, "-");
  }

  public String name() {
    return name;
  }

  public String description() {
    return description;
  }

  /** The peer this one's rate is divided by in the summary, or null for a reference itself. */
  public String reference() {
    return reference;
  }

  public Peer setup(String key, Object value) {
    setup.put(key, String.valueOf(value));
    return this;
  }

  public Map<String, String> setup() {
    return Collections.unmodifiableMap(setup);
  }
}
