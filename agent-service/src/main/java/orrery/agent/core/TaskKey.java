package orrery.agent.core;

import java.util.Objects;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.TaskId;

/** Names one task on this agent: a task id is unique only within its framework. */
public record TaskKey(FrameworkId frameworkId, TaskId taskId) {

  public TaskKey {
    Objects.requireNonNull(frameworkId, "frameworkId");
    Objects.requireNonNull(taskId, "taskId");
  }

  @Override
  public String toString() {
    return "task '" + taskId + "' of framework " + frameworkId;
  }
}
