package orrery.protocol.mesos;

import orrery.protocol.mesos.Durations.DurationInfo;

/** How long a task gets between SIGTERM and SIGKILL when it is killed. */
public record KillPolicy(DurationInfo gracePeriod) {

  /** The grace period the agent uses when a task names none. */
  public static final long DEFAULT_GRACE_PERIOD_MILLIS = 3_000;

  public long gracePeriodMillis() {
    return gracePeriod == null ? DEFAULT_GRACE_PERIOD_MILLIS : Math.max(0, gracePeriod.toMillis());
  }
}
