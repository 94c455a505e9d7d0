package orrery.agent.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.api.model.WaitResponse;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import orrery.agent.core.DockerRun;
import orrery.agent.core.LaunchSpec;
import orrery.agent.core.Limitation;
import orrery.agent.core.TaskKey;
import orrery.protocol.mesos.ContainerId;
import orrery.agent.process.ProcessLauncher;
import orrery.agent.process.TaskProcesses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Docker containers of the agent's DOCKER tasks: the Docker counterpart of {@link TaskProcesses}, with the same
 * start, watch, terminate and force-kill. Engine calls run on worker threads; waiting for an exit and copying output
 * run on docker-java's own threads; bookkeeping and every exit notice happen on the agent's context.
 *
 * <p>Invariants: {@code starting} holds a task while its start waits for or runs on a worker; {@code live} holds its
 * container from then until its exit has been reported, and the container is removed before that.
 */
public final class DockerContainers {

  private static final Logger LOG = LoggerFactory.getLogger(DockerContainers.class);
  /** How long a pull may take before the launch fails. */
  private static final long PULL_TIMEOUT_MINUTES = 10;
  /** How long the copy of a finished container's output may lag behind its exit. */
  private static final long LOG_DRAIN_SECONDS = 10;

  private final Vertx vertx;
  private final Context context;
  private final DockerClient docker;
  private final TaskProcesses.ExitListener onExit;
  private final Map<TaskKey, Running> live = new HashMap<>();
  private final Map<TaskKey, AtomicBoolean> starting = new HashMap<>();

  /** A started container: its id, the process it runs as on the agent, the copy of its output, its removal. */
  /** A container of a task, started here or found again after a restart ({@link #reattach}). */
  public record Running(String id, long pid, LogCopy logs, Promise<Void> removed, long memoryBytes) {}

  public DockerContainers(Vertx vertx, Context context, DockerEngine engine, TaskProcesses.ExitListener onExit) {
    this.vertx = vertx;
    this.context = context;
    this.docker = engine.client();
    this.onExit = onExit;
  }

  /** Whether the task runs (or is being started) in a Docker container. */
  public boolean holds(TaskKey key) {
    return live.containsKey(key) || starting.containsKey(key);
  }

  /**
   * Creates the sandbox, pulls the image when the engine lacks it (or always, with {@code force_pull_image}), creates
   * and starts the container and begins copying its output into the sandbox; unless {@link #forceKill} comes first.
   * Then {@link #watch} it.
   */
  public Future<Running> start(TaskKey key, LaunchSpec spec, DockerRun run) {
    AtomicBoolean cancelled = new AtomicBoolean();
    starting.put(key, cancelled);
    return vertx.executeBlocking(() -> startBlocking(spec, run, cancelled), false)
        .andThen(done -> starting.remove(key, cancelled))
        .map(running -> {
          live.put(key, running);
          return running;
        });
  }

  /**
   * Reports the container's exit through {@code onExit} on the context, once its output is copied and the container
   * removed, and never before the caller's current callback has returned.
   */
  public void watch(TaskKey key, Running running) {
    docker.waitContainerCmd(running.id()).exec(new WaitContainerResultCallback() {
      @Override
      public void onComplete() {
        super.onComplete();
        context.runOnContext(v -> finish(key, running));
      }

      @Override
      public void onError(Throwable failure) {
        super.onError(failure);
        LOG.warn("waiting for the container {} of {} failed ({}); reading its state", running.id(), key,
            failure.toString());
        context.runOnContext(v -> finish(key, running));
      }
    });
  }

  /**
   * After a restart of the agent: finds the task's container again by its name. One that still runs is followed
   * again (its output from now on appended to the sandbox; what it wrote while the agent was down stays in the
   * engine's log) and watched; one that exited meanwhile is reported with its real exit code; one that is gone is
   * reported lost.
   */
  public void reattach(TaskKey key, ContainerId container, Path sandbox) {
    String name = DockerRun.NAME_PREFIX + container.value();
    vertx.executeBlocking(() -> {
      InspectContainerResponse inspected;
      try {
        inspected = docker.inspectContainerCmd(name).exec();
      } catch (NotFoundException e) {
        return null;
      }
      LogCopy logs = new LogCopy(sandbox.resolve(ProcessLauncher.STDOUT), sandbox.resolve(ProcessLauncher.STDERR));
      boolean running = Boolean.TRUE.equals(inspected.getState().getRunning());
      docker.logContainerCmd(inspected.getId()).withStdOut(true).withStdErr(true).withFollowStream(running)
          .withSince((int) (System.currentTimeMillis() / 1000)).exec(logs);
      Long pid = inspected.getState().getPidLong();
      Long memory = inspected.getHostConfig() == null ? null : inspected.getHostConfig().getMemory();
      return new Running(inspected.getId(), pid == null ? 0 : pid, logs, Promise.promise(),
          memory == null ? 0 : memory);
    }, false).onComplete(found -> {
      if (found.failed() || found.result() == null) {
        if (found.failed()) {
          LOG.error("could not look for the container {} of {}", name, key, found.cause());
        }
        onExit.lost(key);
        return;
      }
      LOG.info("re-attached to {}: its Docker container {}", key, name);
      live.put(key, found.result());
      watch(key, found.result());
    });
  }

  /** {@code docker stop}: SIGTERM to the container's main process, SIGKILL after the grace period. */
  public void terminate(TaskKey key, long gracePeriodMillis) {
    Running running = live.get(key);
    if (running == null) {
      LOG.info("nothing to terminate for {}: its container has exited", key);
      return;
    }
    int seconds = (int) Math.max(0, (gracePeriodMillis + 999) / 1000); // docker stop counts whole seconds
    vertx.executeBlocking(() -> {
      try {
        docker.stopContainerCmd(running.id()).withTimeout(seconds).exec();
      } catch (NotModifiedException | NotFoundException e) {
        LOG.debug("the container of {} had stopped already", key);
      }
      return null;
    }, false).onFailure(e -> LOG.error("could not stop the container {} of {}", running.id(), key, e));
  }

  /** SIGKILL to the container at once; a start still under way ends with the container removed. */
  public void forceKill(TaskKey key) {
    AtomicBoolean pendingStart = starting.get(key);
    if (pendingStart != null) {
      pendingStart.set(true);
    }
    Running running = live.get(key);
    if (running != null) {
      vertx.executeBlocking(() -> {
        killQuietly(running.id());
        return null;
      }, false);
    }
  }

  /**
   * Stops every container (the agent is stopping): SIGTERM, SIGKILL after the grace period. Completes once each is
   * removed, or a little after the grace period at the latest.
   */
  public Future<Void> killAll(long gracePeriodMillis) {
    List<Future<Void>> removed = new ArrayList<>();
    for (Map.Entry<TaskKey, Running> entry : new ArrayList<>(live.entrySet())) {
      removed.add(entry.getValue().removed().future());
      terminate(entry.getKey(), gracePeriodMillis);
    }
    return Future.all(removed).timeout(gracePeriodMillis + LOG_DRAIN_SECONDS * 1000 + 5_000, TimeUnit.MILLISECONDS)
        .onFailure(e -> LOG.warn("Docker containers still there after stopping them: {}", e.getMessage()))
        .<Void>mapEmpty().otherwiseEmpty();
  }

  private Running startBlocking(LaunchSpec spec, DockerRun run, AtomicBoolean cancelled) throws IOException {
    Path sandbox = Files.createDirectories(spec.directory());
    ensureImage(run);
    if (cancelled.get()) {
      throw new CancellationException("the task was killed before its container started");
    }
    String id = create(run).exec().getId();
    try {
      if (cancelled.get()) {
        throw new CancellationException("the task was killed before its container started");
      }
      docker.startContainerCmd(id).exec();
      LogCopy logs = new LogCopy(sandbox.resolve(ProcessLauncher.STDOUT), sandbox.resolve(ProcessLauncher.STDERR));
      // Following from the start: the engine keeps what the container wrote before the copy began.
      docker.logContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(true).exec(logs);
      Long pid = docker.inspectContainerCmd(id).exec().getState().getPidLong();
      return new Running(id, pid == null ? 0 : pid, logs, Promise.promise(), run.memoryBytes());
    } catch (RuntimeException | IOException e) {
      removeQuietly(id);
      throw e;
    }
  }

  /** Pulls the image unless the engine has it (always with force_pull_image); a failed pull names the image. */
  private void ensureImage(DockerRun run) throws IOException {
    if (!run.forcePullImage()) {
      try {
        docker.inspectImageCmd(run.image()).exec();
        return;
      } catch (NotFoundException e) {
        LOG.info("image '{}' is not on this agent; pulling it", run.image());
      }
    }
    try {
      boolean done = docker.pullImageCmd(run.image()).start().awaitCompletion(PULL_TIMEOUT_MINUTES, TimeUnit.MINUTES);
      if (!done) {
        throw new IOException("pulling the image '" + run.image() + "' took longer than " + PULL_TIMEOUT_MINUTES
            + " minutes");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while pulling the image '" + run.image() + "'", e);
    } catch (RuntimeException e) {
      throw new IOException("Failed to pull the Docker image '" + run.image() + "'"
          + (run.forcePullImage() ? "" : " (it is not on this agent)") + ": " + e.getMessage(), e);
    }
  }

  private CreateContainerCmd create(DockerRun run) {
    List<ExposedPort> exposed = new ArrayList<>();
    Ports bindings = new Ports();
    run.portMappings().forEach(mapping -> {
      ExposedPort port = new ExposedPort(mapping.containerPort(), InternetProtocol.parse(mapping.protocol()));
      exposed.add(port);
      bindings.bind(port, Ports.Binding.bindPort(mapping.hostPort()));
    });
    HostConfig host = HostConfig.newHostConfig()
        .withBinds(run.binds().stream().map(Bind::parse).toList())
        .withNetworkMode(run.networkMode())
        .withPortBindings(bindings)
        .withPrivileged(run.privileged())
        .withMemory(run.memoryBytes())
        .withMemorySwap(run.memoryBytes());
    if (run.nanoCpus() > 0) {
      host.withNanoCPUs(run.nanoCpus());
    }
    CreateContainerCmd create = docker.createContainerCmd(run.image())
        .withName(run.name())
        .withLabels(run.labels())
        .withEnv(run.environment().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
        .withWorkingDir(DockerRun.SANDBOX_PATH)
        .withExposedPorts(exposed)
        .withHostConfig(host);
    if (run.entrypoint() != null) {
      create.withEntrypoint(run.entrypoint());
    }
    if (!run.cmd().isEmpty()) {
      create.withCmd(run.cmd());
    }
    if (run.hostname() != null) {
      create.withHostName(run.hostname());
    }
    return create;
  }

  /** On the context: reads the exit and the OOM flag, removes the container, then reports. */
  private void finish(TaskKey key, Running running) {
    vertx.executeBlocking(() -> {
      running.logs().awaitCompletion(LOG_DRAIN_SECONDS, TimeUnit.SECONDS);
      running.logs().close();
      InspectContainerResponse.ContainerState state = docker.inspectContainerCmd(running.id()).exec().getState();
      removeQuietly(running.id());
      Long exit = state.getExitCodeLong();
      Limitation limitation = Boolean.TRUE.equals(state.getOOMKilled())
          ? Limitation.dockerMemory(running.memoryBytes()) : null;
      return new Exit(exit == null ? -1 : exit.intValue(), limitation);
    }, false).onComplete(checked -> {
      if (checked.failed()) {
        LOG.error("could not read the exit of the container {} of {}", running.id(), key, checked.cause());
        removeQuietly(running.id());
      }
      live.remove(key, running);
      running.removed().tryComplete();
      Exit exit = checked.succeeded() ? checked.result() : new Exit(-1, null);
      onExit.exited(key, exit.code(), exit.limitation());
    });
  }

  private record Exit(int code, Limitation limitation) {}

  private void killQuietly(String id) {
    try {
      docker.killContainerCmd(id).exec();
    } catch (NotFoundException | ConflictException e) {
      LOG.debug("container {} was not running: {}", id, e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("could not kill the container {}", id, e);
    }
  }

  private void removeQuietly(String id) {
    try {
      docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
    } catch (NotFoundException e) {
      LOG.debug("container {} was removed already", id);
    } catch (RuntimeException e) {
      LOG.error("could not remove the container {}", id, e);
    }
  }

  /** Appends the container's output, as the engine streams it, to the sandbox's {@code stdout} and {@code stderr}. */
  static final class LogCopy extends ResultCallback.Adapter<Frame> {

    private final OutputStream stdout;
    private final OutputStream stderr;

    LogCopy(Path stdout, Path stderr) throws IOException {
      this.stdout = Files.newOutputStream(stdout, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      this.stderr = Files.newOutputStream(stderr, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Override
    public void onNext(Frame frame) {
      try {
        OutputStream out = frame.getStreamType() == StreamType.STDERR ? stderr : stdout;
        out.write(frame.getPayload());
        out.flush(); // so that /files/read shows the output while the task runs
      } catch (IOException e) {
        LOG.warn("could not copy a container's output into its sandbox: {}", e.getMessage());
      }
    }

    @Override
    public void close() throws IOException {
      try {
        super.close();
      } finally {
        try (stdout; stderr) {
          // both streams closed, even if one fails
        }
      }
    }
  }
}
