package orrery.agent.core;

import orrery.protocol.mesos.ContainerId;
import orrery.protocol.mesos.HealthCheck;
import orrery.protocol.messages.TaskMessages.StatusUpdate;

/**
 * What the agent core asks its verticle to do; the verticle performs each in order, once the checkpoints decided with
 * it are written, except those that say they need not wait.
 */
public sealed interface Effect {

  /**
   * Whether this must wait until the checkpoints decided with it are written. Everything does but preparing a
   * container, which may run while the task's checkpoint is being written: a crash before that write leaves the
   * container as an orphan, which recovery destroys (and the sandbox as one that the sandbox collector deletes).
   */
  default boolean waitsForCheckpoint() {
    return true;
  }

  /** Send to the registry (and through it, the framework). */
  record SendStatusUpdate(StatusUpdate update) implements Effect {}

  /**
   * Create the sandbox and the container (cgroups with the task's limits) of a task whose process will start, so
   * that its start finds them ready; does not wait for the task's checkpoint. A failure is reported by the start.
   */
  record PrepareContainer(TaskKey task, LaunchSpec spec) implements Effect {
    @Override
    public boolean waitsForCheckpoint() {
      return false;
    }
  }

  /** Start the command in its sandbox and container (creating them if not prepared); report back started or failed. */
  record StartProcess(TaskKey task, LaunchSpec spec) implements Effect {}

  /**
   * Create and start the task's Docker container as {@code run} says (pulling its image when needed), copy its output
   * into the sandbox, and report back started or failed as for a process; the other effects then act on the container.
   */
  record StartContainer(TaskKey task, LaunchSpec spec, DockerRun run) implements Effect {}

  /** SIGTERM the task's process and its descendants now; SIGKILL whatever of them lives after the grace period. */
  record Terminate(TaskKey task, long gracePeriodMillis) implements Effect {}

  /**
   * SIGKILL the task's process and its descendants at once, or keep it from starting: the task was killed (or
   * forgotten) before its process started.
   */
  record ForceKill(TaskKey task) implements Effect {}

  /** Run one health check of the task (in its sandbox, with its environment) and report the result. */
  record RunHealthCheck(TaskKey task, HealthCheck check, LaunchSpec spec) implements Effect {}

  /**
   * After the agent restarted: the task's process (or, with {@code docker}, its Docker container) may still run, or
   * have ended meanwhile: watch it again, and report its exit (or its disappearance) as if the agent had never left.
   */
  record Reattach(TaskKey task, long pid, Long pidStartMillis, ContainerId containerId, boolean docker)
      implements Effect {}

  /** Nothing to do; {@code reason} says why, for the log. */
  record Ignored(String reason) implements Effect {}
}
