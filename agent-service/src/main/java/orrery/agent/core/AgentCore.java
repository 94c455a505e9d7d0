package orrery.agent.core;

import static orrery.protocol.mesos.TaskStatus.Reason.REASON_AGENT_RESTARTED;
import static orrery.protocol.mesos.TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED;
import static orrery.protocol.mesos.TaskStatus.Reason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED;
import static orrery.protocol.mesos.TaskStatus.Reason.REASON_TASK_INVALID;
import static orrery.protocol.mesos.TaskStatus.Reason.REASON_TASK_KILLED_DURING_LAUNCH;
import static orrery.protocol.mesos.TaskStatus.Source.SOURCE_AGENT;
import static orrery.protocol.mesos.TaskStatus.Source.SOURCE_EXECUTOR;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import orrery.agent.core.Effect.ForceKill;
import orrery.agent.core.Effect.Ignored;
import orrery.agent.core.Effect.SendStatusUpdate;
import orrery.agent.core.Effect.StartProcess;
import orrery.agent.core.Effect.Terminate;
import orrery.agent.core.Task.Phase;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.ContainerId;
import orrery.protocol.mesos.ContainerInfo;
import orrery.protocol.json.ProtocolException;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.HealthCheck;
import orrery.protocol.mesos.TaskInfo;
import orrery.protocol.mesos.TaskState;
import orrery.protocol.mesos.TaskStatus;
import orrery.protocol.messages.AgentMessages.AgentTask;
import orrery.protocol.messages.TaskMessages.Acknowledgement;
import orrery.protocol.messages.TaskMessages.KillTask;
import orrery.protocol.messages.TaskMessages.LaunchTasks;
import orrery.protocol.messages.TaskMessages.StatusUpdate;
import orrery.protocol.resources.Resources;

/**
 * The agent's tasks and their status updates, as plain state: each event (a launch, a process that started or
 * exited, a kill, an acknowledgement, the passing of time) goes in with the time it happened, and what the agent
 * must do about it comes out as {@link Effect}s. No I/O, no clock, no threads: one caller at a time.
 *
 * <p>Invariant: a task stays in {@code tasks} until its terminal update has been delivered (acknowledged, or sent
 * when its framework is gone); then it moves to {@code completed}, which keeps the newest {@code completedLimit}.
 */
public final class AgentCore {

  /** How many finished tasks {@code /state} remembers. */
  public static final int DEFAULT_COMPLETED_TASKS_LIMIT = 1000;

  private final AgentId agentId;
  private final SandboxLayout sandboxes;
  private final RetryPolicy statusRetry;
  private final Ids ids;
  private final int completedLimit;
  /** Whether a Docker engine answered when the agent started: tasks with a DOCKER container run only then. */
  private final boolean docker;
  private final Map<TaskKey, Task> tasks = new LinkedHashMap<>();
  /**
   * Tasks whose checkpoint is out of date (changed, or forgotten: then their checkpoint goes), each with whether the
   * effects decided since must wait until it is written (see {@link CheckpointChange#gating}).
   */
  private final Map<TaskKey, Boolean> dirty = new LinkedHashMap<>();
  private final ArrayDeque<TaskView> completed = new ArrayDeque<>();

  public AgentCore(AgentId agentId, SandboxLayout sandboxes, RetryPolicy statusRetry, Ids ids, int completedLimit) {
    this(agentId, sandboxes, statusRetry, ids, completedLimit, false);
  }

  public AgentCore(AgentId agentId, SandboxLayout sandboxes, RetryPolicy statusRetry, Ids ids, int completedLimit,
      boolean docker) {
    this.docker = docker;
    this.agentId = Objects.requireNonNull(agentId, "agentId");
    this.sandboxes = Objects.requireNonNull(sandboxes, "sandboxes");
    this.statusRetry = Objects.requireNonNull(statusRetry, "statusRetry");
    this.ids = Objects.requireNonNull(ids, "ids");
    if (completedLimit < 0) {
      throw new IllegalArgumentException("completedLimit must not be negative, was " + completedLimit);
    }
    this.completedLimit = completedLimit;
  }

  /** Each task is started (TASK_STARTING, then its process) or refused with TASK_FAILED. */
  public List<Effect> launch(LaunchTasks launch, long nowMillis) {
    List<Effect> effects = new ArrayList<>();
    if (!launch.agentId().equals(agentId)) {
      effects.add(new Ignored("launch addressed to agent " + launch.agentId() + " arrived at agent " + agentId
          + "; running its tasks here anyway, since it was routed to this agent's address"));
    }
    for (TaskInfo info : launch.tasks()) {
      effects.addAll(launchOne(launch.frameworkId(), info, nowMillis));
    }
    return effects;
  }

  private List<Effect> launchOne(FrameworkId frameworkId, TaskInfo info, long nowMillis) {
    TaskKey key = new TaskKey(frameworkId, info.taskId());
    Task running = tasks.get(key);
    if (running != null) {
      // The task that runs keeps its stream; the refusal travels once, outside it, and names the running task's
      // state as the latest, so that nobody takes the running task for finished.
      TaskStatus refusal = status(key, TaskState.TASK_FAILED, SOURCE_AGENT, REASON_TASK_INVALID,
          "a task with this id is already " + running.state + " on this agent; the duplicate launch was refused",
          nowMillis);
      return List.of(new SendStatusUpdate(new StatusUpdate(frameworkId, refusal, running.state)));
    }
    String unsafe = firstNonNull(SandboxLayout.unsafeIdReason("framework id", frameworkId.value()),
        SandboxLayout.unsafeIdReason("task id", info.taskId().value()));
    if (unsafe != null) {
      return refuse(new Task(key, info, null, null, stream(key)), REASON_TASK_INVALID, unsafe, nowMillis);
    }
    String unsupported = LaunchSpec.unsupportedReason(info);
    if (unsupported != null) {
      return refuse(new Task(key, info, null, null, stream(key)), REASON_CONTAINER_LAUNCH_FAILED, unsupported,
          nowMillis);
    }
    HealthCheck healthCheck;
    ContainerInfo container;
    try {
      healthCheck = HealthCheck.fromJson(info.healthCheck());
      container = ContainerInfo.fromJson(info.container());
    } catch (ProtocolException e) {
      return refuse(new Task(key, info, null, null, stream(key)), REASON_TASK_INVALID, e.getMessage(), nowMillis);
    }
    DockerRun.Refusal refusal = DockerRun.refusal(container, Resources.of(info.resources()), docker);
    if (refusal != null) {
      return refuse(new Task(key, info, null, null, stream(key)), refusal.reason(), refusal.message(), nowMillis);
    }
    ContainerId containerId = ids.containerId();
    Task task = new Task(key, info, containerId, sandboxes.directory(agentId, frameworkId, info.taskId(),
        containerId), stream(key));
    task.healthCheck = healthCheck;
    task.spec = LaunchSpec.of(agentId, key, info, containerId, task.directory);
    tasks.put(key, task);
    List<Effect> effects = new ArrayList<>();
    boolean inDocker = container != null && container.type() == ContainerInfo.Type.DOCKER;
    if (!inDocker) {
      effects.add(new Effect.PrepareContainer(key, task.spec)); // while the checkpoint is written
    }
    effects.addAll(report(task, TaskState.TASK_STARTING, SOURCE_EXECUTOR, null, null, nowMillis));
    effects.add(inDocker ? new Effect.StartContainer(key, task.spec, DockerRun.of(agentId, key, info.command(),
        container, task.spec)) : new StartProcess(key, task.spec));
    return effects;
  }

  /** The process runs: TASK_RUNNING, unless the task was killed meanwhile, in which case it must die at once. */
  public List<Effect> processStarted(TaskKey key, long pid, long nowMillis) {
    return processStarted(key, pid, null, nowMillis);
  }

  /** As {@link #processStarted(TaskKey, long, long)}, with when the process started, checkpointed with its pid. */
  public List<Effect> processStarted(TaskKey key, long pid, Long pidStartMillis, long nowMillis) {
    Task task = tasks.get(key);
    if (task == null || task.phase != Phase.LAUNCHING) {
      return List.of(new ForceKill(key), new Ignored("the process of " + key + " started after the task was "
          + (task == null ? "forgotten" : task.state) + "; killing it"));
    }
    task.phase = Phase.RUNNING;
    task.pid = pid;
    task.pidStartMillis = pidStartMillis;
    if (task.healthCheck != null) {
      task.health = new HealthMonitor(task.healthCheck, nowMillis);
    }
    return report(task, TaskState.TASK_RUNNING, SOURCE_EXECUTOR, null, null, nowMillis);
  }

  /** The process could not be started (no sandbox, no such executable...): TASK_FAILED naming the cause. */
  public List<Effect> processFailedToStart(TaskKey key, String cause, long nowMillis) {
    Task task = tasks.get(key);
    if (task == null || task.phase != Phase.LAUNCHING) {
      return List.of(new Ignored("the process of " + key + " failed to start (" + cause + ") after the task was "
          + (task == null ? "forgotten" : task.state)));
    }
    task.phase = Phase.TERMINATED;
    return report(task, TaskState.TASK_FAILED, SOURCE_AGENT, REASON_CONTAINER_LAUNCH_FAILED,
        "Failed to launch the command: " + cause, nowMillis);
  }

  /** The process exited: FINISHED or FAILED by its exit value, or KILLED when it was being killed. */
  public List<Effect> processExited(TaskKey key, int exitValue, long nowMillis) {
    return processExited(key, exitValue, null, nowMillis);
  }

  /**
   * The process exited, and its isolation says whether a limit ended it: a container limitation (the OOM killer)
   * makes the task TASK_FAILED with the limitation's reason and message, reported by the agent, as Mesos does; a
   * task being killed is TASK_KILLED whatever ended it.
   */
  public List<Effect> processExited(TaskKey key, int exitValue, Limitation limitation, long nowMillis) {
    Task task = tasks.get(key);
    if (task == null || (task.phase != Phase.RUNNING && task.phase != Phase.KILLING)) {
      return List.of(new Ignored("the process of " + key + " exited (" + ExitStatus.describe(exitValue)
          + ") after the task was " + (task == null ? "forgotten" : task.state)));
    }
    boolean killing = task.phase == Phase.KILLING;
    task.phase = Phase.TERMINATED;
    if (limitation != null && !killing) {
      return report(task, TaskState.TASK_FAILED, SOURCE_AGENT, limitation.reason(), limitation.message(), nowMillis);
    }
    TaskState state = killing ? TaskState.TASK_KILLED : ExitStatus.stateOf(exitValue);
    String message = killing && task.killMessage != null ? task.killMessage : ExitStatus.describe(exitValue);
    return report(task, state, SOURCE_EXECUTOR, null, message, nowMillis);
  }

  /** Starts every health check that is due: one {@link Effect.RunHealthCheck} per task whose time has come. */
  public List<Effect> healthChecksDue(long nowMillis) {
    List<Effect> effects = new ArrayList<>();
    for (Task task : tasks.values()) {
      if (task.phase == Phase.RUNNING && task.health != null && task.health.startIfDue(nowMillis)) {
        effects.add(new Effect.RunHealthCheck(task.key, task.healthCheck, task.spec));
      }
    }
    return effects;
  }

  /** When the next health check is due; empty when no running task has one waiting. */
  public OptionalLong nextHealthCheckAt() {
    return tasks.values().stream().filter(t -> t.phase == Phase.RUNNING && t.health != null)
        .mapToLong(t -> t.health.nextCheckAtMillis()).filter(at -> at != Long.MAX_VALUE).min();
  }

  /**
   * A health check ended. A change of health is a TASK_RUNNING update with {@code healthy} set and reason
   * REASON_TASK_HEALTH_CHECK_STATUS_UPDATED; too many failures in a row kill the task, which then ends TASK_KILLED,
   * unhealthy, with a message naming the check.
   */
  public List<Effect> healthCheckResult(TaskKey key, boolean success, String detail, long nowMillis) {
    Task task = tasks.get(key);
    if (task == null || task.phase != Phase.RUNNING || task.health == null) {
      return List.of(new Ignored("health check result of " + key + " after the task stopped running"));
    }
    HealthMonitor.Decision decision = task.health.record(success, detail, nowMillis);
    if (decision instanceof HealthMonitor.Decision.HealthChanged changed) {
      return report(task, TaskState.TASK_RUNNING, SOURCE_EXECUTOR, REASON_TASK_HEALTH_CHECK_STATUS_UPDATED,
          changed.healthy() ? "healthy" : "unhealthy: " + detail, nowMillis);
    }
    if (decision instanceof HealthMonitor.Decision.Kill kill) {
      task.phase = Phase.KILLING;
      task.killMessage = kill.message();
      List<Effect> effects = report(task, TaskState.TASK_KILLING, SOURCE_EXECUTOR,
          REASON_TASK_HEALTH_CHECK_STATUS_UPDATED, kill.message(), nowMillis);
      effects.add(new Terminate(task.key, KillPolicies.gracePeriodMillis(null, task.info.killPolicy())));
      return effects;
    }
    return List.of();
  }

  /**
   * KILL: a running task gets TASK_KILLING and SIGTERM, and SIGKILL after the grace period; a task whose process has
   * not started is TASK_KILLED at once; anything else has nothing left to kill.
   */
  public List<Effect> kill(KillTask kill, long nowMillis) {
    TaskKey key = new TaskKey(kill.frameworkId(), kill.taskId());
    Task task = tasks.get(key);
    if (task == null) {
      return List.of(new Ignored("kill of " + key + ": no such task on this agent"));
    }
    return kill(task, kill, nowMillis);
  }

  private List<Effect> kill(Task task, KillTask kill, long nowMillis) {
    switch (task.phase) {
      case LAUNCHING -> {
        task.phase = Phase.TERMINATED;
        List<Effect> effects = report(task, TaskState.TASK_KILLED, SOURCE_AGENT, REASON_TASK_KILLED_DURING_LAUNCH,
            "Task killed before its command started", nowMillis);
        effects.add(new ForceKill(task.key));
        return effects;
      }
      case RUNNING -> {
        task.phase = Phase.KILLING;
        List<Effect> effects = report(task, TaskState.TASK_KILLING, SOURCE_EXECUTOR, null, null, nowMillis);
        effects.add(new Terminate(task.key, KillPolicies.gracePeriodMillis(
            kill == null ? null : kill.killPolicy(), task.info.killPolicy())));
        return effects;
      }
      case KILLING -> {
        return List.of(new Ignored("kill of " + task.key + ": already being killed"));
      }
      default -> {
        return List.of(new Ignored("kill of " + task.key + ": already " + task.state));
      }
    }
  }

  /**
   * The framework is gone: its tasks are killed, and since nobody will acknowledge their updates, each is sent
   * once and the tasks are forgotten once their terminal update has gone out.
   */
  public List<Effect> shutdownFramework(FrameworkId frameworkId, long nowMillis) {
    List<Effect> effects = new ArrayList<>();
    for (Task task : List.copyOf(tasks.values())) {
      if (!task.key.frameworkId().equals(frameworkId)) {
        continue;
      }
      task.updates.stopExpectingAcknowledgements().forEach(u -> effects.add(new SendStatusUpdate(u)));
      if (task.phase != Phase.TERMINATED && task.phase != Phase.KILLING) {
        effects.addAll(kill(task, null, nowMillis));
      }
      forgetIfDone(task);
    }
    if (effects.isEmpty()) {
      effects.add(new Ignored("shutdown of framework " + frameworkId + ": it has no tasks on this agent"));
    }
    return effects;
  }

  /** An acknowledgement of the update in flight sends the next one; any other is ignored. */
  public List<Effect> acknowledge(Acknowledgement ack, long nowMillis) {
    TaskKey key = new TaskKey(ack.frameworkId(), ack.taskId());
    Task task = tasks.get(key);
    if (task == null) {
      return List.of(new Ignored("acknowledgement " + Uuids.toString(ack.uuid()) + " for " + key
          + ", which this agent no longer holds"));
    }
    StatusUpdateStream.Acknowledged result = task.updates.acknowledge(ack.uuid(), nowMillis);
    if (!result.accepted()) {
      return List.of(new Ignored("acknowledgement " + Uuids.toString(ack.uuid()) + " for " + key
          + " does not match the update in flight (" + Uuids.toString(task.updates.inFlightUuid()) + ")"));
    }
    // The next update goes out at once: it was checkpointed when it was queued. The acknowledgement itself is written
    // when it may be: until then a crash would only resend an update that was acknowledged, which the framework
    // acknowledges again (updates are delivered at least once).
    List<Effect> effects = sends(result.toSend());
    changed(key, false);
    forgetIfDone(task);
    return effects;
  }

  /** Resends every update in flight whose retry is due at {@code nowMillis}. */
  public List<Effect> retryDue(long nowMillis) {
    List<Effect> effects = new ArrayList<>();
    for (Task task : tasks.values()) {
      effects.addAll(sends(task.updates.due(nowMillis)));
    }
    return effects;
  }

  /** The earliest instant an update is due again; empty when none waits for an acknowledgement. */
  public OptionalLong nextRetryAt() {
    return tasks.values().stream().map(t -> t.updates.nextSendAt()).filter(OptionalLong::isPresent)
        .mapToLong(OptionalLong::getAsLong).min();
  }

  /**
   * A checkpoint to write, or to delete when {@code checkpoint} is null (the task is forgotten).
   *
   * @param gating whether the effects decided with this change must wait until it is written: a task is on disk
   *     before its process starts, an update before it is sent. An acknowledgement, or a task forgotten once its last
   *     update was acknowledged, only makes a checkpoint stale (recovery would resend an acknowledged update, which is
   *     harmless): it is written soon, but holds nothing back.
   */
  public record CheckpointChange(TaskKey task, TaskCheckpoint checkpoint, boolean gating) {}

  /** The checkpoints that changed since the last call, to be written before the effects that followed are done. */
  public List<CheckpointChange> drainCheckpoints() {
    List<CheckpointChange> changes = new ArrayList<>(dirty.size());
    dirty.forEach((key, gating) -> {
      Task task = tasks.get(key);
      changes.add(new CheckpointChange(key, task == null ? null : task.checkpoint(), gating));
    });
    dirty.clear();
    return changes;
  }

  private void changed(TaskKey key, boolean gating) {
    dirty.merge(key, gating, Boolean::logicalOr);
  }

  /**
   * The agent restarted: takes back the tasks it had checkpointed. Their unacknowledged updates go out again; a task
   * whose process was running is re-attached; one whose process had not started yet failed with the restart.
   */
  public List<Effect> recover(List<TaskCheckpoint> checkpoints, long nowMillis) {
    List<Effect> effects = new ArrayList<>();
    for (TaskCheckpoint checkpoint : checkpoints) {
      TaskKey key = checkpoint.key();
      StatusUpdateStream stream = StatusUpdateStream.recovered(key.frameworkId(), statusRetry,
          checkpoint.latestState(), checkpoint.unacknowledged());
      Task task = new Task(key, checkpoint.info(), checkpoint.containerId(),
          checkpoint.directory() == null ? null : java.nio.file.Path.of(checkpoint.directory()), stream);
      task.phase = Phase.valueOf(checkpoint.phase());
      task.state = checkpoint.state();
      task.pid = checkpoint.pid();
      task.pidStartMillis = checkpoint.pidStartMillis();
      task.killMessage = checkpoint.killMessage();
      tasks.put(key, task);
      if (task.directory != null && task.containerId != null) {
        task.spec = LaunchSpec.of(agentId, key, task.info, task.containerId, task.directory);
      }
      effects.addAll(sends(stream.resume(nowMillis)));
      switch (task.phase) {
        case LAUNCHING -> {
          task.phase = Phase.TERMINATED;
          effects.addAll(report(task, TaskState.TASK_FAILED, SOURCE_AGENT, REASON_AGENT_RESTARTED,
              "The agent restarted before the task's process had started", nowMillis));
        }
        case RUNNING, KILLING -> {
          if (task.pid == null) {
            task.phase = Phase.TERMINATED;
            effects.addAll(report(task, TaskState.TASK_FAILED, SOURCE_AGENT, REASON_AGENT_RESTARTED,
                "The agent restarted and found no record of the task's process", nowMillis));
          } else {
            effects.add(new Effect.Reattach(key, task.pid, task.pidStartMillis, task.containerId,
                isDocker(task.info)));
          }
        }
        default -> forgetIfDone(task);
      }
    }
    return effects;
  }

  /**
   * A re-attached task's process was gone when the agent came back, without leaving its exit status: what became of
   * the command cannot be known, so the task is reported failed (killed, if it was being killed).
   */
  public List<Effect> processLost(TaskKey key, long nowMillis) {
    Task task = tasks.get(key);
    if (task == null || (task.phase != Phase.RUNNING && task.phase != Phase.KILLING)) {
      return List.of(new Ignored("the process of " + key + " is gone, after the task was "
          + (task == null ? "forgotten" : task.state)));
    }
    boolean killing = task.phase == Phase.KILLING;
    task.phase = Phase.TERMINATED;
    return report(task, killing ? TaskState.TASK_KILLED : TaskState.TASK_FAILED, SOURCE_AGENT,
        REASON_AGENT_RESTARTED, "The task's process ended while the agent was down and left no exit status",
        nowMillis);
  }

  /** The sandbox of a task the agent holds; null for one it does not. */
  public java.nio.file.Path sandboxOf(TaskKey key) {
    Task task = tasks.get(key);
    return task == null ? null : task.directory;
  }

  private static boolean isDocker(TaskInfo info) {
    try {
      ContainerInfo container = ContainerInfo.fromJson(info.container());
      return container != null && container.type() == ContainerInfo.Type.DOCKER;
    } catch (ProtocolException e) {
      return false; // it was accepted at launch, so this does not happen; a process is the safe guess
    }
  }

  /** The tasks held, in launch order, terminal ones included until their last update is acknowledged. */
  public List<TaskView> tasks() {
    return tasks.values().stream().map(Task::view).toList();
  }

  /** The tasks held now, as the agent names them when it registers again. */
  public List<AgentTask> heldTasks() {
    return HeldTasks.fromCheckpoints(tasks.values().stream().map(Task::checkpoint).toList());
  }

  /** The most recently completed tasks, oldest first. */
  public List<TaskView> completedTasks() {
    return List.copyOf(completed);
  }

  private List<Effect> refuse(Task task, TaskStatus.Reason reason, String message, long nowMillis) {
    tasks.put(task.key, task);
    task.phase = Phase.TERMINATED;
    return report(task, TaskState.TASK_FAILED, SOURCE_AGENT, reason, message, nowMillis);
  }

  private List<Effect> report(Task task, TaskState state, TaskStatus.Source source, TaskStatus.Reason reason,
      String message, long nowMillis) {
    task.state = state;
    changed(task.key, true);
    TaskStatus status = status(task.key, state, source, reason, message, nowMillis);
    if (task.health != null && task.health.healthy() != null) {
      // Once a task's health is known, every update says it, as Mesos' do.
      status = status.toBuilder().healthy(task.health.healthy()).build();
    }
    List<Effect> effects = sends(task.updates.enqueue(status, nowMillis));
    forgetIfDone(task);
    return effects;
  }

  private void forgetIfDone(Task task) {
    if (task.updates.isDone() && tasks.remove(task.key) != null) {
      changed(task.key, false);
      completed.addLast(task.view());
      while (completed.size() > completedLimit) {
        completed.removeFirst();
      }
    }
  }

  private TaskStatus status(TaskKey key, TaskState state, TaskStatus.Source source, TaskStatus.Reason reason,
      String message, long nowMillis) {
    return TaskStatus.builder(key.taskId(), state).agentId(agentId).source(source).reason(reason).message(message)
        .uuid(ids.statusUuid()).timestampMillis(nowMillis).build();
  }

  private StatusUpdateStream stream(TaskKey key) {
    return new StatusUpdateStream(key.frameworkId(), statusRetry);
  }

  private static List<Effect> sends(List<StatusUpdate> updates) {
    List<Effect> effects = new ArrayList<>(updates.size() + 1);
    updates.forEach(u -> effects.add(new SendStatusUpdate(u)));
    return effects;
  }

  private static String firstNonNull(String a, String b) {
    return a != null ? a : b;
  }
}
