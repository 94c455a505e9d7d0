package orrery.agent.core;

/**
 * Exponential backoff: the first retry comes {@code initialMillis} after the first attempt, each following one
 * waits twice as long as the one before, never longer than {@code maxMillis}.
 */
public record RetryPolicy(long initialMillis, long maxMillis) {

  public RetryPolicy {
    if (initialMillis <= 0) {
      throw new IllegalArgumentException("initialMillis must be positive, was " + initialMillis);
    }
    if (maxMillis < initialMillis) {
      throw new IllegalArgumentException("maxMillis (" + maxMillis + ") must be at least initialMillis ("
          + initialMillis + ")");
    }
  }

  /**
   * How long to wait after the {@code attempts}-th attempt (counted from 1) before the next one: with 2 s and 60 s,
   * attempts 1, 2, 3, 4, 5, 6 wait 2, 4, 8, 16, 32, 60 s.
   */
  public long delayAfter(int attempts) {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts count from 1, was " + attempts);
    }
    long delay = initialMillis;
    for (int i = 1; i < attempts && delay < maxMillis; i++) {
      delay = delay > maxMillis / 2 ? maxMillis : delay * 2; // capped before doubling, so it cannot overflow
    }
    return delay;
  }
}
