package orrery.agent.process;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import orrery.agent.core.ContainerLimits;
import orrery.agent.core.LaunchSpec;
import orrery.agent.core.Limitation;
import orrery.agent.isolation.ContainerGoneException;
import orrery.agent.isolation.IsolationOptions;
import orrery.agent.isolation.Isolator;
import orrery.protocol.mesos.ContainerId;
import orrery.agent.core.TaskKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running processes of the agent's tasks. Starting and signalling happen on worker threads (both touch
 * {@code /proc} or fork); everything else, and every exit notice, happens on the agent's context.
 *
 * <p>Invariants: {@code prepared} holds a task from the preparation of its container until its start begins;
 * {@code starting} holds a task while its start waits for or runs on a worker; {@code live} holds its process from
 * then until its exit has been reported.
 */
public final class TaskProcesses {

  private static final Logger LOG = LoggerFactory.getLogger(TaskProcesses.class);

  private final Vertx vertx;
  private final Context context;
  private final Isolator isolator;
  private final IsolationOptions isolation;
  private final ExitListener onExit;
  /** The container of each task started, until its process has exited and the container is destroyed. */
  private final Map<TaskKey, ContainerId> containers = new HashMap<>();
  private final Map<TaskKey, ProcessHandle> live = new HashMap<>();
  /** Where the supervising shell of each container writes its command's exit status. */
  private final Function<ContainerId, Path> exitStatusFiles;
  /** Containers being prepared (or prepared) for a start that has not yet begun. */
  private final Map<TaskKey, Future<Void>> prepared = new HashMap<>();
  /** Starts under way, each with the flag that keeps it from happening. */
  private final Map<TaskKey, AtomicBoolean> starting = new HashMap<>();
  /** Starts under way, until they have succeeded or failed: the agent's stop waits for them. */
  private final Map<TaskKey, Future<Process>> launching = new HashMap<>();
  /**
   * Each container's destruction once it has begun, by whoever came first: its task's exit ({@link #finish}, which
   * reads the container's counters before, in the same job) or the agent's stop ({@link #killAll}). Whoever comes
   * second waits for that one instead of destroying the container again, so that no container is read while, or
   * after, it is destroyed on purpose (a read of a file of a removed cgroup fails with "No such device").
   */
  private final Map<ContainerId, Future<Void>> teardowns = new HashMap<>();
  /** The exits the agent's stop waits to see reported, each completed by {@link #finish}. */
  private final Map<TaskKey, Promise<Void>> finished = new HashMap<>();

  /** Told, on the agent's context, of how each task's process ended. */
  public interface ExitListener {
    /** The process exited with this value; {@code limitation} says whether its isolation ended it. */
    void exited(TaskKey task, int exitValue, Limitation limitation);

    /** A re-attached process was found gone without an exit status (it did not end by itself, or not cleanly). */
    void lost(TaskKey task);
  }

  public TaskProcesses(Vertx vertx, Context context, Isolator isolator, IsolationOptions isolation,
      Function<ContainerId, Path> exitStatusFiles, ExitListener onExit) {
    this.vertx = vertx;
    this.context = context;
    this.isolator = isolator;
    this.isolation = isolation;
    this.exitStatusFiles = exitStatusFiles;
    this.onExit = onExit;
  }

  /**
   * Creates the task's sandbox and container (its cgroups, with its limits) on a worker, ahead of {@link #start},
   * which waits for it. A failure (a program that cannot run) is the start's to report.
   */
  public void prepare(TaskKey key, LaunchSpec spec) {
    containers.put(key, spec.containerId());
    ContainerLimits limits = ContainerLimits.of(spec.resources(), isolation.cfsQuota(), isolation.pidsMax());
    Path exitStatus = exitStatusFiles.apply(spec.containerId());
    prepared.put(key, vertx.executeBlocking(() -> {
      try {
        ProcessLauncher.prepare(spec, isolator, limits, exitStatus);
        return null;
      } catch (IOException | RuntimeException e) {
        destroyQuietly(spec.containerId());
        throw e;
      }
    }, false));
  }

  /** Starts the command once its container is prepared, unless {@link #forceKill} comes first. Then {@link #watch} it. */
  public Future<Process> start(TaskKey key, LaunchSpec spec) {
    AtomicBoolean cancelled = new AtomicBoolean();
    starting.put(key, cancelled);
    if (!prepared.containsKey(key)) {
      prepare(key, spec);
    }
    containers.put(key, spec.containerId());
    Future<Process> started = prepared.remove(key).compose(ready -> vertx.executeBlocking(() -> {
      if (cancelled.get()) {
        destroyQuietly(spec.containerId());
        throw new CancellationException("the task was killed before its process started");
      }
      try {
        return ProcessLauncher.start(spec, isolator, exitStatusFiles.apply(spec.containerId()));
      } catch (IOException | RuntimeException e) {
        destroyQuietly(spec.containerId());
        throw e;
      }
    }, false))
        .onFailure(e -> containers.remove(key, spec.containerId()))
        .andThen(done -> starting.remove(key, cancelled))
        .map(process -> {
          live.put(key, process.toHandle());
          return process;
        });
    launching.put(key, started);
    started.onComplete(done -> launching.remove(key, started));
    return started;
  }

  /**
   * Reports the process's exit through {@code onExit}, on the context, never before the caller's current callback
   * has returned (even when the process is gone already), so that whatever the caller records about the start comes
   * first.
   */
  public void watch(TaskKey key, Process process) {
    ContainerId container = containers.get(key);
    process.onExit().whenComplete((exited, failure) -> context.runOnContext(v ->
        finish(key, container, OptionalInt.of(process.exitValue()))));
  }

  /**
   * After a restart of the agent: finds the task's process again. If it ended meanwhile, its supervising shell left
   * the exit status; if it still runs (the same pid and start time), it is watched until it ends; if it is gone
   * without a status, the task is reported lost.
   */
  public void reattach(TaskKey key, long pid, Long pidStartMillis, ContainerId container) {
    containers.put(key, container);
    Path exitFile = exitStatusFiles.apply(container);
    vertx.executeBlocking(() -> {
      OptionalInt status = ProcessLauncher.readExitStatus(exitFile);
      if (status.isPresent()) {
        return Optional.<ProcessHandle>empty();
      }
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(h -> sameStart(h, pidStartMillis));
    }, false).onComplete(found -> {
      if (found.failed()) {
        LOG.error("could not look for the process {} of {}", pid, key, found.cause());
        finish(key, container, OptionalInt.empty());
      } else if (found.result().isEmpty()) {
        finish(key, container, null);
      } else {
        ProcessHandle handle = found.result().get();
        LOG.info("re-attached to {}: its process {} still runs", key, pid);
        live.put(key, handle);
        handle.onExit().whenComplete((exited, failure) -> context.runOnContext(x -> finish(key, container, null)));
      }
    });
  }

  /**
   * Reports how the task's process ended: with {@code exitValue}, or when null (a process that is not the agent's
   * child) with the status its supervising shell wrote, or as lost when it wrote none. Whether a limit ended it is
   * read before the container (and its counters) is destroyed, in the same job; when the agent's stop has begun to
   * destroy the container first, its counters are going on purpose and are not read (nobody would be told anyway).
   */
  private void finish(TaskKey key, ContainerId container, OptionalInt exitValue) {
    Path exitFile = exitStatusFiles.apply(container);
    Future<Void> destroyedFirst = teardowns.get(container);
    Future<Ended> checked;
    if (destroyedFirst == null) {
      checked = vertx.executeBlocking(() -> {
        OptionalInt status = exitValue != null ? exitValue : ProcessLauncher.readExitStatus(exitFile);
        Limitation limitation = limitation(key, container);
        isolator.destroy(container);
        Files.deleteIfExists(exitFile);
        return new Ended(status, limitation);
      }, false);
      teardowns.put(container, checked.<Void>mapEmpty().otherwiseEmpty());
    } else {
      checked = destroyedFirst.compose(destroyed -> vertx.executeBlocking(() -> {
        OptionalInt status = exitValue != null ? exitValue : ProcessLauncher.readExitStatus(exitFile);
        Files.deleteIfExists(exitFile);
        return new Ended(status, null);
      }, false));
    }
    checked.onComplete(done -> {
      if (done.failed()) {
        LOG.error("could not check or destroy the container {} of {}", container, key, done.cause());
      }
      live.remove(key);
      containers.remove(key, container);
      teardowns.remove(container);
      Ended ended = done.succeeded() ? done.result() : new Ended(exitValue == null ? OptionalInt.empty()
          : exitValue, null);
      try {
        if (ended.status().isPresent()) {
          onExit.exited(key, ended.status().getAsInt(), ended.limitation());
        } else {
          onExit.lost(key);
        }
      } finally {
        Promise<Void> waiting = finished.remove(key);
        if (waiting != null) {
          waiting.complete();
        }
      }
    });
  }

  /**
   * Whether a limit ended the container, read on a worker before the container is destroyed. A read that fails is
   * logged and taken as no limitation, so that the container is still destroyed and the exit still reported.
   */
  private Limitation limitation(TaskKey key, ContainerId container) {
    try {
      return isolator.limitation(container).orElse(null);
    } catch (ContainerGoneException gone) {
      // Not the agent's doing: it destroys a container only after this read, or instead of it.
      LOG.warn("the container {} of {} was removed by something other than the agent: whether a limit ended it is "
          + "not known", container, key);
      return null;
    } catch (IOException | RuntimeException e) {
      LOG.error("could not read whether a limit ended the container {} of {}", container, key, e);
      return null;
    }
  }

  private record Ended(OptionalInt status, Limitation limitation) {}

  /** The pid is the same process when it started when the checkpoint says (a reused pid started later). */
  private static boolean sameStart(ProcessHandle handle, Long startMillis) {
    if (startMillis == null) {
      return true;
    }
    return handle.info().startInstant().map(at -> Math.abs(at.toEpochMilli() - startMillis) < 1_000).orElse(false);
  }

  /**
   * SIGTERM to the task's command and whatever it started, not to the supervising shell (which must live to record
   * the command's exit status); SIGKILL to all of them, the shell included, after the grace period. A command the
   * shell has not forked yet is looked for again every few milliseconds, so that it cannot slip past the SIGTERM.
   */
  public void terminate(TaskKey key, long gracePeriodMillis) {
    ProcessHandle process = live.get(key);
    if (process == null) {
      LOG.info("nothing to terminate for {}: its process has exited", key);
      return;
    }
    List<ProcessHandle> signalled = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(gracePeriodMillis);
    sigtermCommand(key, process, signalled, deadline);
    vertx.setTimer(Math.max(1, gracePeriodMillis), id -> escalate(key, process, signalled));
  }

  private void sigtermCommand(TaskKey key, ProcessHandle shell, List<ProcessHandle> signalled, long deadline) {
    ContainerId container = containers.get(key);
    vertx.executeBlocking(() -> signal(command(shell, container), false), false)
        .onFailure(e -> LOG.error("could not SIGTERM the processes of {}", key, e))
        .onSuccess(now -> {
          signalled.addAll(now);
          if (now.isEmpty() && shell.isAlive() && System.nanoTime() < deadline) {
            vertx.setTimer(5, id -> sigtermCommand(key, shell, signalled, deadline)); // not forked yet
          }
        });
  }

  /** SIGKILL to the process and its descendants at once; a start still waiting for a worker never happens. */
  public void forceKill(TaskKey key) {
    AtomicBoolean pendingStart = starting.get(key);
    if (pendingStart != null) {
      pendingStart.set(true);
    }
    ProcessHandle process = live.get(key);
    if (process != null) {
      escalate(key, process, List.of());
    }
  }

  /**
   * Ends every task's processes (the agent is stopping): SIGTERM, then SIGKILL after the grace period; a start not yet
   * under way never happens. Waits for the starts and preparations under way, then for each process's exit to be
   * reported (which destroys its container), a little after the grace period at the latest; then destroys the
   * containers left (those of processes that never started or would not die), each once, and the agent's roots.
   */
  public Future<Void> killAll(long gracePeriodMillis) {
    starting.values().forEach(cancelled -> cancelled.set(true));
    new ArrayList<>(live.keySet()).forEach(key -> terminate(key, gracePeriodMillis));
    List<Future<?>> underWay = new ArrayList<>(prepared.values());
    underWay.addAll(launching.values());
    return Future.join(underWay).<Void>mapEmpty().otherwiseEmpty()
        .compose(settled -> {
          // A process that started meanwhile was SIGKILLed and is watched by its runner, as the agent is stopping.
          List<Future<?>> exits = new ArrayList<>();
          for (TaskKey key : live.keySet()) {
            exits.add(finished.computeIfAbsent(key, k -> Promise.promise()).future());
          }
          return Future.all(exits).timeout(gracePeriodMillis + 2_000, TimeUnit.MILLISECONDS)
              .onFailure(e -> LOG.warn("task processes still running after SIGKILL: {}", e.getMessage()))
              .<Void>mapEmpty().otherwiseEmpty();
        })
        // The agent is leaving: its containers go with it, rather than being found as orphans at the next start.
        .compose(exited -> Future.join(new HashSet<>(containers.values()).stream().map(this::destroy).toList()))
        .<Void>mapEmpty().otherwiseEmpty()
        .compose(destroyed -> vertx.executeBlocking(() -> {
          isolator.close();
          return null;
        }, false)).mapEmpty();
  }

  /** Destroys the container, or waits for its destruction when that has begun already. On the context. */
  private Future<Void> destroy(ContainerId container) {
    Future<Void> begun = teardowns.get(container);
    if (begun != null) {
      return begun;
    }
    Future<Void> destroyed = vertx.<Void>executeBlocking(() -> {
      destroyQuietly(container);
      return null;
    }, false);
    teardowns.put(container, destroyed);
    return destroyed;
  }

  /** On a worker, where nothing else destroys the same container at the same time. */
  private void destroyQuietly(ContainerId container) {
    try {
      isolator.destroy(container);
    } catch (IOException | RuntimeException e) {
      LOG.error("could not destroy the container {}", container, e);
    }
  }

  private void escalate(TaskKey key, ProcessHandle process, List<ProcessHandle> signalled) {
    ContainerId container = containers.get(key);
    vertx.executeBlocking(() -> {
      List<ProcessHandle> all = new ArrayList<>(command(process, container));
      all.add(process);
      all.addAll(signalled); // some may have left the cgroup or been orphaned since
      return signal(all.stream().distinct().filter(ProcessHandle::isAlive).toList(), true);
    }, false)
        .onSuccess(killed -> {
          if (!killed.isEmpty()) {
            LOG.info("SIGKILL to {} process(es) of {}", killed.size(), key);
          }
        })
        .onFailure(e -> LOG.error("could not SIGKILL the processes of {}", key, e));
  }

  /**
   * What the supervising shell runs: the other processes of its container's cgroups when it has them, else its
   * descendants. Blocking.
   */
  private List<ProcessHandle> command(ProcessHandle shell, ContainerId container) throws IOException {
    Optional<List<Long>> inCgroups = container == null ? Optional.empty() : isolator.pids(container);
    if (inCgroups.isEmpty()) {
      return shell.descendants().filter(ProcessHandle::isAlive).toList();
    }
    List<ProcessHandle> found = new ArrayList<>();
    for (long pid : inCgroups.get()) {
      if (pid != shell.pid()) {
        ProcessHandle.of(pid).filter(ProcessHandle::isAlive).ifPresent(found::add);
      }
    }
    return found;
  }

  private static List<ProcessHandle> signal(List<ProcessHandle> processes, boolean forcibly) {
    List<ProcessHandle> signalled = new ArrayList<>();
    for (ProcessHandle handle : processes) {
      if (forcibly ? handle.destroyForcibly() : handle.destroy()) {
        signalled.add(handle);
      }
    }
    return signalled;
  }
}
