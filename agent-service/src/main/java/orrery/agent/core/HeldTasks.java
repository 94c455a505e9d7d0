package orrery.agent.core;

import java.util.List;
import orrery.protocol.mesos.TaskInfo;
import orrery.protocol.mesos.TaskState;
import orrery.protocol.messages.AgentMessages.AgentTask;
import orrery.protocol.resources.Resources;

/** The tasks an agent names when it registers: those recovered from its checkpoints, or those it holds now. */
public final class HeldTasks {

  private HeldTasks() {}

  public static List<AgentTask> fromCheckpoints(List<TaskCheckpoint> checkpoints) {
    return checkpoints.stream().map(HeldTasks::of).toList();
  }

  private static AgentTask of(TaskCheckpoint checkpoint) {
    TaskInfo info = checkpoint.info();
    // A task recovered before it reported anything counts as staging, as the registry recorded it.
    TaskState state = checkpoint.state() != null ? checkpoint.state() : TaskState.TASK_STAGING;
    return new AgentTask(checkpoint.frameworkId(), info.taskId(), state, info.allocationRole(),
        Resources.of(info.resources()));
  }
}
