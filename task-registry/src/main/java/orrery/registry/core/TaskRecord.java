package orrery.registry.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskInfo;
import orrery.protocol.mesos.TaskState;
import orrery.protocol.mesos.TaskStatus;
import orrery.protocol.resources.Resources;

/**
 * One task as the registry knows it. {@code state} is the newest state the agent reported (it may be ahead of
 * {@code latestStatus} while earlier updates wait for acknowledgement); {@code history} holds every distinct update
 * in the order it arrived; {@code unacknowledged} the uuids (base64) forwarded to the framework and not yet
 * acknowledged.
 */
public record TaskRecord(
    FrameworkId frameworkId,
    TaskInfo info,
    String role,
    Resources resources,
    TaskState state,
    TaskStatus latestStatus,
    List<TaskStatus> history,
    List<String> unacknowledged,
    boolean resourcesRecovered) {

  public TaskRecord {
    history = List.copyOf(history);
    unacknowledged = List.copyOf(unacknowledged);
  }

  public TaskId taskId() {
    return info.taskId();
  }

  public AgentId agentId() {
    return info.agentId();
  }

  /** The same task with {@code newHistory}: a store keeps the two apart and joins them when it loads. */
  public TaskRecord withHistory(List<TaskStatus> newHistory) {
    return new TaskRecord(frameworkId, info, role, resources, state, latestStatus, newHistory, unacknowledged,
        resourcesRecovered);
  }

  TaskRecord withUpdate(TaskStatus status, TaskState newState, boolean recovered) {
    List<TaskStatus> newHistory = new ArrayList<>(history);
    newHistory.add(status);
    List<String> pending = new ArrayList<>(unacknowledged);
    pending.add(Uuids.encode(status.uuid()));
    return new TaskRecord(frameworkId, info, role, resources, newState, status, newHistory, pending, recovered);
  }

  TaskRecord withState(TaskState newState, TaskStatus status, boolean recovered) {
    List<TaskStatus> newHistory = new ArrayList<>(history);
    newHistory.add(status);
    return new TaskRecord(frameworkId, info, role, resources, newState, status, newHistory, unacknowledged,
        recovered);
  }

  TaskRecord withAcknowledged(String uuid) {
    List<String> pending = new ArrayList<>(unacknowledged);
    pending.remove(uuid);
    return new TaskRecord(frameworkId, info, role, resources, state, latestStatus, history, pending,
        resourcesRecovered);
  }

  boolean hasSeen(byte[] uuid) {
    for (TaskStatus status : history) {
      if (Arrays.equals(status.uuid(), uuid)) {
        return true;
      }
    }
    return false;
  }
}
