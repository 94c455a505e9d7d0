package orrery.agent.core;

import orrery.protocol.mesos.KillPolicy;

/** How long a killed task gets between SIGTERM and SIGKILL. */
public final class KillPolicies {

  private KillPolicies() {}

  /**
   * The kill's own policy wins over the task's (as in Mesos, a KILL call may shorten or lengthen the grace period),
   * but only when it names a grace period; without either, {@link KillPolicy#DEFAULT_GRACE_PERIOD_MILLIS}.
   */
  public static long gracePeriodMillis(KillPolicy fromKill, KillPolicy fromTask) {
    if (fromKill != null && fromKill.gracePeriod() != null) {
      return fromKill.gracePeriodMillis();
    }
    if (fromTask != null && fromTask.gracePeriod() != null) {
      return fromTask.gracePeriodMillis();
    }
    return KillPolicy.DEFAULT_GRACE_PERIOD_MILLIS;
  }
}
