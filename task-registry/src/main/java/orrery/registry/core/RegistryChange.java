package orrery.registry.core;

import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskStatus;
import orrery.protocol.messages.RoleMessages.QuotaConfig;
import orrery.protocol.messages.RoleMessages.WeightInfo;

/**
 * What the registry changed, in order; a store makes these durable. A saved record replaces the one before it; a
 * task's status history grows only by {@link TaskStatusRecorded}, so a store never rewrites a whole history.
 */
public sealed interface RegistryChange {

  record AgentSaved(AgentRecord agent) implements RegistryChange {}

  record AgentDeleted(AgentId agentId) implements RegistryChange {}

  record FrameworkSaved(FrameworkRecord framework) implements RegistryChange {}

  /**
   * The task's record; a store keeps it without its history, which it has from {@link TaskStatusRecorded}.
   * {@code launched} marks the record of a task just launched: a new task, or one that takes the id of a task that
   * ended (its history starts again). Otherwise only the task's state, latest status, unacknowledged uuids and
   * whether its resources were given back have changed: TaskInfo, agent, role and resources never do.
   */
  record TaskSaved(TaskRecord task, boolean launched) implements RegistryChange {}

  /** The {@code seq}-th entry (from 0) of a task's status history. */
  record TaskStatusRecorded(FrameworkId frameworkId, TaskId taskId, int seq, TaskStatus status)
      implements RegistryChange {}

  record RoleWeightSaved(WeightInfo weight) implements RegistryChange {}

  /** A role's quota; one with neither guarantees nor limits means the role's quota was removed. */
  record RoleQuotaSaved(QuotaConfig quota) implements RegistryChange {}
}
