package orrery.agent.core;

import orrery.protocol.mesos.ContainerId;
import orrery.protocol.mesos.HealthCheck;
import orrery.protocol.messages.TaskMessages.StatusUpdate;

/** What the agent core asks its verticle to do; the verticle performs each in order. */
public sealed interface Effect {

  /** Send to the registry (and through it, the framework). */
  record SendStatusUpdate(StatusUpdate update) implements Effect {}

  /** Create the sandbox and start the command; report back started or failed. */
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
