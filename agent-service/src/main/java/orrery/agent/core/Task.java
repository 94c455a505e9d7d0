package orrery.agent.core;

import java.nio.file.Path;
import orrery.protocol.mesos.HealthCheck;
import orrery.protocol.mesos.ContainerId;
import orrery.protocol.mesos.TaskInfo;
import orrery.protocol.mesos.TaskState;

/**
 * One task the agent holds, from launch until its terminal update is acknowledged. Owned by {@link AgentCore}.
 *
 * <p>Invariants: {@code state} is the newest state reported, the latest of {@code updates}; the phase moves only
 * forward, LAUNCHING to RUNNING to KILLING to TERMINATED (any of the first three may go straight to TERMINATED);
 * in TERMINATED {@code state} is terminal.
 */
final class Task {

  enum Phase {
    /** TASK_STARTING reported; the process is being started. */
    LAUNCHING,
    /** The process runs. */
    RUNNING,
    /** SIGTERM sent, waiting for the process to exit. */
    KILLING,
    /** A terminal state reported; only its acknowledgement is awaited. */
    TERMINATED
  }

  final TaskKey key;
  final TaskInfo info;
  final ContainerId containerId;
  final Path directory;
  final StatusUpdateStream updates;
  Phase phase = Phase.LAUNCHING;
  TaskState state;
  Long pid;
  /** When the process started (epoch millis), to tell it from a later process that reuses its pid. */
  Long pidStartMillis;
  /** The task's health check, parsed at launch; null without one. */
  HealthCheck healthCheck;
  /** Its health while it runs; null until its process started, or without a health check. */
  HealthMonitor health;
  /** What the command runs with (a COMMAND health check runs with the same). */
  LaunchSpec spec;
  /** Why the agent itself is killing the task (a failed health check); null for a kill that was asked for. */
  String killMessage;

  Task(TaskKey key, TaskInfo info, ContainerId containerId, Path directory, StatusUpdateStream updates) {
    this.key = key;
    this.info = info;
    this.containerId = containerId;
    this.directory = directory;
    this.updates = updates;
  }

  TaskCheckpoint checkpoint() {
    return new TaskCheckpoint(key.frameworkId(), info, containerId, directory == null ? null : directory.toString(),
        phase.name(), state, pid, pidStartMillis, updates.latestState(), updates.unacknowledged(), killMessage);
  }

  TaskView view() {
    return new TaskView(key.frameworkId(), key.taskId(), info.name(), state, info.resources(), directory,
        containerId, pid);
  }
}
