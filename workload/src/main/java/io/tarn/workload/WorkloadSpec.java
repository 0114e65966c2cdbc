package io.tarn.workload;

import java.time.Duration;

/**
 * What a workload generates: how many events, how fast, and how much of it is messy.
 *
 * <p>Fractions are of all events: {@code duplicateFraction} are re-sends of an earlier event,
 * {@code malformedFraction} are payloads that cannot be decoded, {@code invalidFraction} are
 * records that break one quality rule; the rest are valid. {@code lateFraction} of the valid and
 * invalid events carry an event time up to {@code maxLateness} in the past.
 *
 * @param events how many events to produce, or -1 for no end
 * @param eventsPerSecond the target rate; 0 or less produces as fast as possible
 * @param seed the seed of every random choice: the same seed gives the same events
 * @param customers how many distinct customers the shop grows to
 */
public record WorkloadSpec(
    long events,
    double eventsPerSecond,
    double duplicateFraction,
    double lateFraction,
    Duration maxLateness,
    double malformedFraction,
    double invalidFraction,
    long seed,
    int customers) {

  public WorkloadSpec {
    if (events < -1) {
      throw new IllegalArgumentException(
          "Cannot create workload: events " + events + " is neither -1 (no end) nor at least 0");
    }
    if (Double.isNaN(eventsPerSecond) || Double.isInfinite(eventsPerSecond)) {
      throw new IllegalArgumentException(
          "Cannot create workload: eventsPerSecond " + eventsPerSecond + " is not a finite number");
    }
    checkFraction("duplicateFraction", duplicateFraction);
    checkFraction("lateFraction", lateFraction);
    checkFraction("malformedFraction", malformedFraction);
    checkFraction("invalidFraction", invalidFraction);
    double messy = duplicateFraction + malformedFraction + invalidFraction;
    if (messy > 1) {
      throw new IllegalArgumentException(
          "Cannot create workload: duplicateFraction + malformedFraction + invalidFraction "
              + messy
              + " is above 1");
    }
    if (maxLateness == null || maxLateness.isNegative()) {
      throw new IllegalArgumentException(
          "Cannot create workload: maxLateness " + maxLateness + " is not a duration of 0 or more");
    }
    if (customers < 1) {
      throw new IllegalArgumentException(
          "Cannot create workload: customers " + customers + " is below 1");
    }
  }

  private static void checkFraction(String name, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(
          "Cannot create workload: " + name + " " + value + " is not in [0, 1]");
    }
  }

  /**
   * No end, 1000 events/s, 2% duplicates, 5% late by up to 2 minutes, 0.5% malformed, 2% invalid,
   * seed 42, 1000 customers.
   */
  public static WorkloadSpec defaults() {
    return new WorkloadSpec(-1, 1000, 0.02, 0.05, Duration.ofMinutes(2), 0.005, 0.02, 42, 1000);
  }

  public WorkloadSpec withEvents(long newEvents) {
    return new WorkloadSpec(
        newEvents,
        eventsPerSecond,
        duplicateFraction,
        lateFraction,
        maxLateness,
        malformedFraction,
        invalidFraction,
        seed,
        customers);
  }

  public WorkloadSpec withEventsPerSecond(double newEventsPerSecond) {
    return new WorkloadSpec(
        events,
        newEventsPerSecond,
        duplicateFraction,
        lateFraction,
        maxLateness,
        malformedFraction,
        invalidFraction,
        seed,
        customers);
  }

  public WorkloadSpec withSeed(long newSeed) {
    return new WorkloadSpec(
        events,
        eventsPerSecond,
        duplicateFraction,
        lateFraction,
        maxLateness,
        malformedFraction,
        invalidFraction,
        newSeed,
        customers);
  }
}
