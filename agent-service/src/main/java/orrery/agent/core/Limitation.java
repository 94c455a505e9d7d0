package orrery.agent.core;

import orrery.protocol.mesos.TaskStatus;

/**
 * A container was stopped by its isolation rather than by its own exit: the task is reported TASK_FAILED with this
 * reason and message, as Mesos reports a container limitation.
 */
public record Limitation(TaskStatus.Reason reason, String message) {

  /** The kernel's OOM killer ended a process of the container because it reached its memory limit. */
  public static Limitation memory(long peakBytes, long limitBytes) {
    return new Limitation(TaskStatus.Reason.REASON_CONTAINER_LIMITATION_MEMORY,
        "Memory limit exceeded: the container used " + (peakBytes >> 20) + " MB of its " + (limitBytes >> 20)
            + " MB limit and was killed by the OOM killer");
  }

  /** Docker reports the container OOM-killed (it does not say how much it used). */
  public static Limitation dockerMemory(long limitBytes) {
    return new Limitation(TaskStatus.Reason.REASON_CONTAINER_LIMITATION_MEMORY,
        "Memory limit exceeded: the container reached its " + (limitBytes >> 20)
            + " MB limit and was killed by the OOM killer");
  }
}
