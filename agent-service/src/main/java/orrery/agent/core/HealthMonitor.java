package orrery.agent.core;

import orrery.protocol.mesos.HealthCheck;

/**
 * One task's health, as Mesos' health checker keeps it: when the next check is due, whether the task is healthy,
 * and what a check's result means. Pure: results and time come in, decisions go out.
 *
 * <p>Invariants: {@code healthy} is null until the first counted result; {@code consecutiveFailures} counts only
 * failures outside the grace period; at most one check is in flight.
 */
public final class HealthMonitor {

  /** What a result asks of the agent. */
  public sealed interface Decision {
    /** Nothing changed. */
    record Unchanged() implements Decision {}

    /** The task became healthy or unhealthy: say so in a status update. */
    record HealthChanged(boolean healthy) implements Decision {}

    /** Too many failures in a row: kill the task, saying why. */
    record Kill(String message) implements Decision {}
  }

  private final HealthCheck check;
  private final long startedAtMillis;
  private long nextCheckAtMillis;
  private boolean inFlight;
  private boolean everHealthy;
  private Boolean healthy;
  private int consecutiveFailures;

  public HealthMonitor(HealthCheck check, long startedAtMillis) {
    this.check = check;
    this.startedAtMillis = startedAtMillis;
    this.nextCheckAtMillis = startedAtMillis + check.delayMillis();
  }

  public HealthCheck check() {
    return check;
  }

  /** When the next check should start, or Long.MAX_VALUE while one is running. */
  public long nextCheckAtMillis() {
    return inFlight ? Long.MAX_VALUE : nextCheckAtMillis;
  }

  /** Whether a check should start now; if so, it is taken as started. */
  public boolean startIfDue(long nowMillis) {
    if (inFlight || nowMillis < nextCheckAtMillis) {
      return false;
    }
    inFlight = true;
    return true;
  }

  public Boolean healthy() {
    return healthy;
  }

  /** A check ended: success or failure (with what went wrong), at {@code nowMillis}. */
  public Decision record(boolean success, String detail, long nowMillis) {
    inFlight = false;
    nextCheckAtMillis = nowMillis + check.intervalMillis();
    if (success) {
      everHealthy = true;
      consecutiveFailures = 0;
      return changeTo(true);
    }
    // Mesos: failures during the grace period do not count, until the task has once been healthy.
    if (!everHealthy && nowMillis < startedAtMillis + check.gracePeriodMillis()) {
      return new Decision.Unchanged();
    }
    consecutiveFailures++;
    if (consecutiveFailures >= check.consecutiveFailures()) {
      healthy = false;
      return new Decision.Kill("Task killed: its " + check.describe() + " health check failed "
          + consecutiveFailures + " consecutive time" + (consecutiveFailures == 1 ? "" : "s") + " (last: " + detail
          + ")");
    }
    return changeTo(false);
  }

  private Decision changeTo(boolean value) {
    if (healthy != null && healthy == value) {
      return new Decision.Unchanged();
    }
    healthy = value;
    return new Decision.HealthChanged(value);
  }
}
