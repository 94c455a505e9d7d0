package orrery.agent.core;

import java.util.List;
import orrery.protocol.mesos.ContainerId;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.TaskInfo;
import orrery.protocol.mesos.TaskState;
import orrery.protocol.mesos.TaskStatus;

/**
 * What the agent keeps on disk about one task so that it can carry on after a crash: the task, its container and
 * process, and the status updates the framework has not acknowledged yet.
 *
 * @param phase where the task's process stood: LAUNCHING, RUNNING, KILLING or TERMINATED
 * @param pid the task's process (the supervising shell), once started
 * @param pidStartMillis when that process started, so that a reused pid is never taken for it
 * @param unacknowledged the updates not yet acknowledged, the one in flight first
 */
public record TaskCheckpoint(FrameworkId frameworkId, TaskInfo info, ContainerId containerId, String directory,
    String phase, TaskState state, Long pid, Long pidStartMillis, TaskState latestState,
    List<TaskStatus> unacknowledged, String killMessage) {

  public TaskCheckpoint {
    unacknowledged = unacknowledged == null ? List.of() : List.copyOf(unacknowledged);
  }

  public TaskKey key() {
    return new TaskKey(frameworkId, info.taskId());
  }
}
