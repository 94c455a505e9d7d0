package orrery.agent;

import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import orrery.agent.core.Effect;
import orrery.agent.core.LaunchSpec;
import orrery.agent.core.TaskKey;
import orrery.agent.docker.DockerContainers;
import orrery.agent.process.TaskProcesses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks' commands: as processes (in cgroups when the agent has them), or in Docker containers for DOCKER tasks,
 * and sends every signal to the right one. How a start went is told to {@link Outcomes}; how a task ended, to the
 * exit listener both runners were made with. Used on the agent's context only.
 */
final class TaskRunners {

  private static final Logger LOG = LoggerFactory.getLogger(TaskRunners.class);

  /** What the agent learns of each start. */
  interface Outcomes {
    /** The command runs as {@code pid}, which started at {@code startMillis} (null when not known). */
    void started(TaskKey task, long pid, Long startMillis);

    void failedToStart(TaskKey task, String cause);

    /** A task recovered after a restart cannot be found again (its runner is not there any more). */
    void lost(TaskKey task);
  }

  private final TaskProcesses processes;
  private final DockerContainers containers;
  private final Outcomes outcomes;
  private final BooleanSupplier stopping;

  /** @param containers null when no Docker engine answered at start */
  TaskRunners(TaskProcesses processes, DockerContainers containers, Outcomes outcomes, BooleanSupplier stopping) {
    this.processes = processes;
    this.containers = containers;
    this.outcomes = outcomes;
    this.stopping = stopping;
  }

  /** Creates the sandbox and cgroups of a task whose process {@link #startProcess} will start. */
  void prepareProcess(TaskKey key, LaunchSpec spec) {
    processes.prepare(key, spec);
  }

  void startProcess(TaskKey key, LaunchSpec spec) {
    LOG.info("starting {}: {} in {}", key, spec.command(), spec.directory());
    processes.start(key, spec).onComplete(started -> {
      if (started.failed()) {
        LOG.warn("could not start {}: {}", key, describe(started.cause()));
        outcomes.failedToStart(key, describe(started.cause()));
      } else if (stopping.getAsBoolean()) {
        processes.forceKill(key);
        processes.watch(key, started.result()); // so that its container is destroyed once it is dead
      } else {
        Process process = started.result();
        outcomes.started(key, process.pid(),
            process.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(null));
        processes.watch(key, process); // after: its exit must not overtake its start
      }
    });
  }

  void startContainer(Effect.StartContainer start) {
    TaskKey key = start.task();
    LOG.info("starting {} in Docker image '{}': {} {}", key, start.run().image(),
        start.run().entrypoint() == null ? "" : start.run().entrypoint(), start.run().cmd());
    containers.start(key, start.spec(), start.run()).onComplete(started -> {
      if (started.failed()) {
        LOG.warn("could not start {}: {}", key, describe(started.cause()));
        outcomes.failedToStart(key, describe(started.cause()));
      } else if (stopping.getAsBoolean()) {
        containers.forceKill(key);
        containers.watch(key, started.result()); // so that it is removed once dead
      } else {
        outcomes.started(key, started.result().pid(), null);
        containers.watch(key, started.result()); // after: its exit must not overtake its start
      }
    });
  }

  /** SIGTERM now, SIGKILL after the grace period ({@code docker stop --time} for a container). */
  void terminate(TaskKey key, long gracePeriodMillis) {
    LOG.info("killing {}: SIGTERM, SIGKILL after {} ms", key, gracePeriodMillis);
    if (inDocker(key)) {
      containers.terminate(key, gracePeriodMillis);
    } else {
      processes.terminate(key, gracePeriodMillis);
    }
  }

  void forceKill(TaskKey key) {
    if (inDocker(key)) {
      containers.forceKill(key);
    } else {
      processes.forceKill(key);
    }
  }

  /** After a restart: the task's process or container, found again and watched. */
  void reattach(Effect.Reattach reattach, Path sandbox) {
    if (!reattach.docker()) {
      processes.reattach(reattach.task(), reattach.pid(), reattach.pidStartMillis(), reattach.containerId());
    } else if (containers == null) {
      LOG.warn("{} ran in Docker, and no Docker engine answers now", reattach.task());
      outcomes.lost(reattach.task());
    } else {
      containers.reattach(reattach.task(), reattach.containerId(), sandbox);
    }
  }

  /** The agent stops: every task's processes and containers end (SIGTERM, then SIGKILL after the grace period). */
  Future<Void> killAll(long gracePeriodMillis) {
    Future<Void> processesGone = processes.killAll(gracePeriodMillis);
    return containers == null ? processesGone
        : processesGone.compose(done -> containers.killAll(gracePeriodMillis));
  }

  private boolean inDocker(TaskKey key) {
    return containers != null && containers.holds(key);
  }

  private static String describe(Throwable failure) {
    return failure.getMessage() == null ? failure.toString() : failure.getMessage();
  }
}
