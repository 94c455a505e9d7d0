package orrery.cli.cluster;

/**
 * Whether a leader leads on, from each look at its lock and when it was taken. A look that finds the lock its own, or
 * finds it lost, is an answer; a look that fails (the CP subsystem electing a Raft leader after one died, or out of
 * this member's reach) is none: the leader leads on while its session could still be alive, that is for a session's
 * time to live after it last found the lock its own, then steps down. Stepping down at the first failed look made
 * every leader of the cluster exit whenever the Raft leader of the locks' group died (seen in the container test).
 * Pure: the time is given, in milliseconds of a monotonic clock.
 */
final class LeaderTenure {

  private final long graceMillis;
  /** Written by the thread that checks the lock, read by a watchdog. */
  private volatile long confirmedAtMillis;

  LeaderTenure(long graceMillis, long electedAtMillis) {
    this.graceMillis = graceMillis;
    this.confirmedAtMillis = electedAtMillis;
  }

  /** The lock was found this member's own (or taken again). */
  boolean held(long nowMillis) {
    confirmedAtMillis = nowMillis;
    return true;
  }

  /** Nobody could say whose the lock is: whether to lead on. */
  boolean unknown(long nowMillis) {
    return !overdue(nowMillis);
  }

  /**
   * Whether the lock has gone unconfirmed for too long to lead on, asked from outside the checks too: a check can
   * block for minutes when the CP subsystem is out of reach, its invocation retried.
   */
  boolean overdue(long nowMillis) {
    return nowMillis - confirmedAtMillis >= graceMillis;
  }
}
