package orrery.bench;

import java.util.HashMap;
import java.util.Map;
import orrery.protocol.mesos.TaskId;

/**
 * The launch benchmark's bookkeeping, as a rate-limited framework keeps it: which tasks are between their ACCEPT and
 * their TASK_RUNNING (in flight), how many more may be launched now, and how long each took. Like Marathon's launch
 * tokens, a launch confirmed by TASK_RUNNING (or ended before it ran) frees its slot. Plain state; times passed in.
 */
final class LaunchWindow {

  private final int limit;
  private final Map<TaskId, Long> acceptedAt = new HashMap<>();
  private int peak;

  /** @param limit the most tasks in flight at once; 0 for no limit (every offer is used at once) */
  LaunchWindow(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("the in-flight limit must not be negative, was " + limit);
    }
    this.limit = limit;
  }

  /** How many tasks may be launched now. */
  int slots() {
    return limit == 0 ? Integer.MAX_VALUE : Math.max(0, limit - acceptedAt.size());
  }

  void accepted(TaskId task, long nowNanos) {
    acceptedAt.put(task, nowNanos);
    peak = Math.max(peak, acceptedAt.size());
  }

  /** The task runs: its slot is free; returns ACCEPT to RUNNING in nanoseconds, or -1 for a task not in flight. */
  long running(TaskId task, long nowNanos) {
    Long at = acceptedAt.remove(task);
    return at == null ? -1 : nowNanos - at;
  }

  /** The task ended without running (it failed to launch): its slot is free. */
  void ended(TaskId task) {
    acceptedAt.remove(task);
  }

  int inFlight() {
    return acceptedAt.size();
  }

  /** The most tasks that were in flight at once. */
  int peak() {
    return peak;
  }
}
