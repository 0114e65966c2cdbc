package io.tarn.jobs.silver.quality;

/** A record broke a rule whose action is {@code fail}: the job stops for a human to look. */
public final class QualityFailureException extends RuntimeException {
  public QualityFailureException(String message) {
    super(message);
  }
}
