package orrery.registry.core;

import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskState;
import orrery.protocol.mesos.TaskStatus;
import orrery.protocol.mesos.TaskStatus.Reason;

/**
 * The status updates the master makes up itself (source master, no uuid: not acknowledged), and which state each
 * one reports. Frameworks that are not PARTITION_AWARE are only ever told the states Mesos had before partition
 * awareness (TASK_LOST); the others learn exactly what is known (unreachable, dropped, gone, unknown).
 */
final class MasterStatuses {

  private MasterStatuses() {}

  /** The task's agent missed its heartbeats. */
  static TaskStatus unreachable(TaskRecord task, boolean partitionAware, String reason, long nowMillis) {
    return of(task, partitionAware ? TaskState.TASK_UNREACHABLE : TaskState.TASK_LOST, Reason.REASON_AGENT_REMOVED,
        "Agent " + task.agentId() + " is unreachable: " + reason, nowMillis).unreachableTimeMillis(nowMillis).build();
  }

  /** The task's agent stayed unreachable past the unreachable timeout. */
  static TaskStatus gone(TaskRecord task, long nowMillis) {
    return of(task, TaskState.TASK_GONE, Reason.REASON_AGENT_REMOVED, "Agent " + task.agentId()
        + " is gone: unreachable for longer than the unreachable timeout", nowMillis).build();
  }

  /** The task's agent unregistered while the task had not ended. */
  static TaskStatus agentRemoved(TaskRecord task, boolean partitionAware, String reason, long nowMillis) {
    return of(task, partitionAware ? TaskState.TASK_GONE : TaskState.TASK_LOST, Reason.REASON_AGENT_REMOVED,
        "Agent " + task.agentId() + " was removed: " + reason, nowMillis).build();
  }

  /** The task's agent came back and still runs it, in {@code state}. */
  static TaskStatus runningAgain(TaskRecord task, TaskState state, long nowMillis) {
    return of(task, state, Reason.REASON_AGENT_REREGISTERED,
        "Agent " + task.agentId() + " registered again and still runs the task", nowMillis).build();
  }

  /** The task's agent registered again without it: it never started (STAGING) or ended there unseen. */
  static TaskStatus unknownToAgent(TaskRecord task, boolean partitionAware, long nowMillis) {
    TaskState ended = !partitionAware ? TaskState.TASK_LOST
        : task.state() == TaskState.TASK_STAGING ? TaskState.TASK_DROPPED : TaskState.TASK_GONE;
    return of(task, ended, Reason.REASON_TASK_UNKNOWN,
        "Task is unknown to agent " + task.agentId() + ", which registered again", nowMillis).build();
  }

  /** RECONCILE of a known task: its latest state. */
  static TaskStatus reconciled(TaskRecord task, long nowMillis) {
    return of(task, task.state(), Reason.REASON_RECONCILIATION, "Reconciliation: Latest task state", nowMillis)
        .healthy(task.latestStatus().healthy()).build();
  }

  /**
   * RECONCILE of a task the registry does not have, as Mesos' reconciliation document says: gone from an agent that
   * is registered, unknown otherwise.
   */
  static TaskStatus reconciledUnknown(TaskId taskId, AgentId agentId, boolean agentRegistered,
      boolean partitionAware, long nowMillis) {
    TaskState state = !partitionAware ? TaskState.TASK_LOST
        : agentRegistered ? TaskState.TASK_GONE : TaskState.TASK_UNKNOWN;
    String message = agentRegistered ? "Reconciliation: Task is unknown to the agent"
        : "Reconciliation: Task is unknown";
    return TaskStatus.builder(taskId, state).agentId(agentId).source(TaskStatus.Source.SOURCE_MASTER)
        .reason(Reason.REASON_RECONCILIATION).message(message).timestampMillis(nowMillis).build();
  }

  /** The task's last state was the master's guess that it was lost with its agent. */
  static boolean takenForLost(TaskRecord task) {
    return (task.state() == TaskState.TASK_UNREACHABLE || task.state() == TaskState.TASK_LOST)
        && task.latestStatus().source() == TaskStatus.Source.SOURCE_MASTER;
  }

  private static TaskStatus.Builder of(TaskRecord task, TaskState state, Reason reason, String message,
      long nowMillis) {
    return TaskStatus.builder(task.taskId(), state).agentId(task.agentId()).source(TaskStatus.Source.SOURCE_MASTER)
        .reason(reason).message(message).timestampMillis(nowMillis);
  }
}
