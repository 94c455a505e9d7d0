package orrery.registry.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import orrery.protocol.bus.FailureCodes;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.AgentInfo;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.FrameworkInfo;
import orrery.protocol.mesos.FrameworkInfo.Capability;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskInfo;
import orrery.protocol.mesos.TaskState;
import orrery.protocol.mesos.TaskStatus;
import orrery.protocol.messages.AgentMessages.AgentSummary;
import orrery.protocol.messages.AgentMessages.AgentTask;
import orrery.protocol.messages.AgentMessages.KnownAgent;
import orrery.protocol.messages.AllocatorMessages.RecoverResources;
import orrery.protocol.messages.RoleMessages.QuotaConfig;
import orrery.protocol.messages.RoleMessages.RoleConfig;
import orrery.protocol.messages.RoleMessages.WeightInfo;
import orrery.protocol.messages.TaskMessages.Acknowledgement;
import orrery.protocol.messages.TaskMessages.KillTask;
import orrery.protocol.messages.TaskMessages.LaunchTasks;
import orrery.protocol.messages.TaskMessages.ReconcileTasks;
import orrery.protocol.messages.TaskMessages.StatusUpdate;
import orrery.protocol.messages.TaskMessages.TaskView;
import orrery.protocol.resources.Resources;
import orrery.protocol.scheduler.Call;

/**
 * The registry's core: agents, frameworks and tasks with their latest status, and the rules for status updates
 * and acknowledgements. Every change is also queued as a {@link RegistryChange} for the store.
 *
 * <p>Invariants: a task belongs to one framework and one agent; an update is accepted only from the task's agent
 * and an acknowledgement only from the task's framework; a task's resources are given back to the allocator once,
 * when its state first becomes terminal.
 */
public final class Registry {

  private record TaskKey(FrameworkId frameworkId, TaskId taskId) {}

  private final String masterId;
  private final Map<AgentId, AgentRecord> agents = new LinkedHashMap<>();
  private final Map<AgentId, Long> lastSeen = new HashMap<>();
  /**
   * Agents registered with this registry since it started, not only known from its store. A registry that took over
   * (a standby elected, or one restarted) asks every other agent to register again, as a new Mesos master does: the
   * agent then names the tasks it holds and rejoins the allocator, which may be new too.
   */
  private final Set<AgentId> heardSinceStart = new java.util.HashSet<>();
  private final Map<FrameworkId, FrameworkRecord> frameworks = new HashMap<>();
  private final Map<TaskKey, TaskRecord> tasks = new LinkedHashMap<>();
  private final Map<String, WeightInfo> weights = new TreeMap<>();
  private final Map<String, QuotaConfig> quotas = new TreeMap<>();
  private final List<RegistryChange> changes = new ArrayList<>();
  private long nextAgent;

  public Registry(String masterId) {
    this.masterId = masterId;
  }

  /**
   * The registry as a store left it. Active agents count as heard from at {@code nowMillis}: they have the agent
   * timeout to register again before they are taken for unreachable.
   */
  public static Registry restore(String masterId, RegistrySnapshot snapshot, long nowMillis) {
    Registry registry = new Registry(masterId);
    for (AgentRecord agent : snapshot.agents()) {
      registry.agents.put(agent.info().id(), agent);
      if (agent.state().connected()) {
        registry.lastSeen.put(agent.info().id(), nowMillis);
      }
    }
    snapshot.frameworks().forEach(f -> registry.frameworks.put(f.info().id(), f));
    snapshot.tasks().forEach(t -> registry.tasks.put(new TaskKey(t.frameworkId(), t.taskId()), t));
    snapshot.weights().forEach(w -> registry.weights.put(w.role(), w));
    snapshot.quotas().forEach(q -> registry.quotas.put(q.role(), q));
    return registry;
  }

  /** Everything the registry holds, as a store would give it back. */
  public RegistrySnapshot snapshot() {
    return new RegistrySnapshot(List.copyOf(agents.values()), List.copyOf(frameworks.values()),
        List.copyOf(tasks.values()), List.copyOf(weights.values()), List.copyOf(quotas.values()));
  }

  // ---- agents ----

  /**
   * An agent's registration: its id, and what settling its tasks' record produced (updates for frameworks, resources
   * to give back to the allocator).
   */
  public record Registration(AgentId agentId, boolean draining, List<Notice> notices,
      List<RecoverResources> recoveries) {}

  /**
   * Registers an agent; one that names its id keeps it, unless it is gone. {@code held} are the tasks the agent holds
   * (Mesos agents re-register with theirs): the registry settles its record by them. A task the registry took for
   * lost or unreachable that the agent still runs is reported running again (the framework decides what to do with
   * it); a task the registry has on the agent that the agent does not know ended there: TASK_LOST, or for
   * PARTITION_AWARE frameworks TASK_DROPPED (it never started) or TASK_GONE.
   */
  public Registration registerAgent(AgentInfo info, Resources total, List<AgentTask> held, long nowMillis) {
    AgentId id = info.id();
    if (id == null) {
      do {
        id = AgentId.of(masterId + "-S" + nextAgent++);
      } while (agents.containsKey(id));
    } else if (agents.containsKey(id) && agents.get(id).state() == AgentState.GONE) {
      throw new RegistryRejection(FailureCodes.FORBIDDEN, "agent " + id + " is gone (unreachable for longer than "
          + "the unreachable timeout); start it on an empty work dir to register as a new agent");
    }
    // An agent an operator drains stays draining when it registers again (after a restart of either side).
    boolean draining = agents.containsKey(id) && agents.get(id).state() == AgentState.DRAINING;
    AgentRecord record = new AgentRecord(info.withId(id), total, draining ? AgentState.DRAINING : AgentState.ACTIVE,
        nowMillis);
    agents.put(id, record);
    lastSeen.put(id, nowMillis);
    heardSinceStart.add(id);
    changes.add(new RegistryChange.AgentSaved(record));

    Map<TaskKey, AgentTask> heldByKey = new HashMap<>();
    held.forEach(t -> heldByKey.put(new TaskKey(t.frameworkId(), t.taskId()), t));
    List<Notice> notices = new ArrayList<>();
    List<RecoverResources> recoveries = new ArrayList<>();
    for (Map.Entry<TaskKey, TaskRecord> entry : tasks.entrySet()) {
      TaskRecord task = entry.getValue();
      if (!task.agentId().equals(id)) {
        continue;
      }
      AgentTask still = heldByKey.get(entry.getKey());
      TaskStatus status;
      TaskRecord updated;
      if (still != null && !still.state().isTerminal() && MasterStatuses.takenForLost(task)) {
        status = MasterStatuses.runningAgain(task, still.state(), nowMillis);
        // The allocator charges its resources again from the agent's own list when the agent rejoins it.
        updated = task.withState(still.state(), status, false);
      } else if (still == null && (!task.state().isTerminal() || MasterStatuses.takenForLost(task))) {
        status = MasterStatuses.unknownToAgent(task, partitionAware(task.frameworkId()), nowMillis);
        if (!task.resourcesRecovered()) {
          recoveries.add(recoveryOf(task));
        }
        updated = task.withState(status.state(), status, true);
      } else {
        continue;
      }
      entry.setValue(updated);
      recordTask(updated, status);
      notices.add(new Notice(task.frameworkId(), status));
    }
    return new Registration(id, draining, notices, recoveries);
  }

  /**
   * False when the agent must register again: it is unknown, unreachable or gone, or known only from the store (this
   * registry started after it registered).
   */
  public boolean heartbeat(AgentId agentId, long nowMillis) {
    AgentRecord agent = agents.get(agentId);
    if (agent == null || !agent.state().connected() || !heardSinceStart.contains(agentId)) {
      return false;
    }
    lastSeen.put(agentId, nowMillis);
    return true;
  }

  /**
   * An operator drains an agent (it keeps its tasks and is offered to no one) or makes it active again. Refused for
   * an agent that is not registered and connected.
   */
  public void setDraining(AgentId agentId, boolean draining, long nowMillis) {
    AgentRecord agent = agents.get(agentId);
    if (agent == null || !agent.state().connected()) {
      throw new RegistryRejection(FailureCodes.NOT_FOUND, "agent_id: no agent " + agentId.value()
          + " is registered and reachable");
    }
    AgentState wanted = draining ? AgentState.DRAINING : AgentState.ACTIVE;
    if (agent.state() != wanted) {
      AgentRecord changed = agent.inState(wanted, nowMillis);
      agents.put(agentId, changed);
      changes.add(new RegistryChange.AgentSaved(changed));
    }
  }

  /** Active agents not heard from since {@code cutoffMillis}. */
  public List<AgentId> silentSince(long cutoffMillis) {
    List<AgentId> silent = new ArrayList<>();
    lastSeen.forEach((id, seen) -> {
      if (seen < cutoffMillis) {
        silent.add(id);
      }
    });
    return silent;
  }

  /** Agents unreachable since before {@code cutoffMillis}: they are to be marked gone. */
  public List<AgentId> unreachableSince(long cutoffMillis) {
    List<AgentId> expired = new ArrayList<>();
    agents.forEach((id, agent) -> {
      if (agent.state() == AgentState.UNREACHABLE && agent.stateSinceMillis() < cutoffMillis) {
        expired.add(id);
      }
    });
    return expired;
  }

  /**
   * The agent missed its heartbeats: it is unreachable, and may come back. Its tasks that had not ended become
   * TASK_UNREACHABLE for PARTITION_AWARE frameworks and TASK_LOST for others; the allocator forgets the agent, so
   * nothing is given back to it.
   */
  public List<Notice> markUnreachable(AgentId agentId, String reason, long nowMillis) {
    AgentRecord agent = agents.get(agentId);
    if (agent == null || !agent.state().connected()) {
      return List.of();
    }
    lastSeen.remove(agentId);
    AgentRecord unreachable = agent.inState(AgentState.UNREACHABLE, nowMillis);
    agents.put(agentId, unreachable);
    changes.add(new RegistryChange.AgentSaved(unreachable));
    List<Notice> notices = new ArrayList<>();
    for (Map.Entry<TaskKey, TaskRecord> entry : tasks.entrySet()) {
      TaskRecord task = entry.getValue();
      if (!task.agentId().equals(agentId) || task.state().isTerminal()) {
        continue;
      }
      notices.add(endTask(entry, MasterStatuses.unreachable(task, partitionAware(task.frameworkId()), reason,
          nowMillis)));
    }
    return notices;
  }

  /**
   * The agent stayed unreachable past the unreachable timeout: it is gone and may not come back under its id. Its
   * unreachable tasks become TASK_GONE (frameworks that are not PARTITION_AWARE already had TASK_LOST for them).
   */
  public List<Notice> markGone(AgentId agentId, long nowMillis) {
    AgentRecord agent = agents.get(agentId);
    if (agent == null || agent.state() != AgentState.UNREACHABLE) {
      return List.of();
    }
    AgentRecord gone = agent.inState(AgentState.GONE, nowMillis);
    agents.put(agentId, gone);
    changes.add(new RegistryChange.AgentSaved(gone));
    List<Notice> notices = new ArrayList<>();
    for (Map.Entry<TaskKey, TaskRecord> entry : tasks.entrySet()) {
      TaskRecord task = entry.getValue();
      if (task.agentId().equals(agentId) && task.state() == TaskState.TASK_UNREACHABLE) {
        notices.add(endTask(entry, MasterStatuses.gone(task, nowMillis)));
      }
    }
    return notices;
  }

  /**
   * Removes an agent that left on purpose (it unregistered, having ended its tasks): its record is deleted, and any
   * task of it that had not ended is lost. It may register again later, under its id or a new one.
   */
  public List<Notice> removeAgent(AgentId agentId, String reason, long nowMillis) {
    AgentRecord agent = agents.get(agentId);
    if (agent == null || agent.state() == AgentState.GONE) {
      return List.of(); // a gone agent stays gone, so that its id is never taken again
    }
    agents.remove(agentId);
    lastSeen.remove(agentId);
    changes.add(new RegistryChange.AgentDeleted(agentId));
    List<Notice> notices = new ArrayList<>();
    for (Map.Entry<TaskKey, TaskRecord> entry : tasks.entrySet()) {
      TaskRecord task = entry.getValue();
      if (task.agentId().equals(agentId) && !task.state().isTerminal()) {
        notices.add(endTask(entry, MasterStatuses.agentRemoved(task, partitionAware(task.frameworkId()), reason,
            nowMillis)));
      }
    }
    return notices;
  }

  /** Active or not: is the agent registered? */
  public boolean hasAgent(AgentId agentId) {
    return agents.containsKey(agentId) && agents.get(agentId).state() != AgentState.GONE;
  }

  public List<AgentSummary> agents() {
    return agents.values().stream().filter(a -> a.state() != AgentState.GONE)
        .map(a -> new AgentSummary(a.info().id(), a.info().hostname(), a.info().effectivePort(), a.total(),
            a.state() == AgentState.ACTIVE)).toList();
  }

  /**
   * The connected agents with the tasks they run (not ended), as an allocator that starts must count them. Only
   * agents heard from since this registry started: one known only from the store (the whole control plane
   * restarted) may be dead, and joins the allocator itself when it registers.
   */
  public List<KnownAgent> knownAgents() {
    Map<AgentId, List<AgentTask>> running = new HashMap<>();
    for (TaskRecord task : tasks.values()) {
      if (!task.state().isTerminal()) {
        running.computeIfAbsent(task.agentId(), a -> new ArrayList<>()).add(new AgentTask(task.frameworkId(),
            task.taskId(), task.state(), task.role(), task.resources()));
      }
    }
    List<KnownAgent> known = new ArrayList<>();
    for (AgentRecord agent : agents.values()) {
      if (agent.state().connected() && heardSinceStart.contains(agent.info().id())) {
        known.add(new KnownAgent(agent.info(), agent.total(), agent.state() == AgentState.DRAINING,
            running.getOrDefault(agent.info().id(), List.of())));
      }
    }
    return known;
  }

  public AgentRecord agent(AgentId agentId) {
    return agents.get(agentId);
  }

  /** The master decided the task's state (its agent is lost): recorded, with the resources taken as given back. */
  private Notice endTask(Map.Entry<TaskKey, TaskRecord> entry, TaskStatus status) {
    // The allocator forgets everything on an agent it removes, so nothing is recovered here.
    TaskRecord updated = entry.getValue().withState(status.state(), status, true);
    entry.setValue(updated);
    recordTask(updated, status);
    return new Notice(updated.frameworkId(), status);
  }

  private static RecoverResources recoveryOf(TaskRecord task) {
    return new RecoverResources(task.frameworkId(), task.role(), task.agentId(), task.resources(), null);
  }

  // ---- frameworks ----

  /** A framework subscribed, for the first time or again: it is connected, with no failover deadline. */
  public void frameworkSubscribed(FrameworkInfo info) {
    FrameworkRecord record = new FrameworkRecord(info, false, null);
    frameworks.put(info.id(), record);
    changes.add(new RegistryChange.FrameworkSaved(record));
  }

  /** The framework's connection closed: it is torn down at {@code failoverDeadlineMillis} unless it returns. */
  public void frameworkDisconnected(FrameworkId frameworkId, long failoverDeadlineMillis) {
    FrameworkRecord record = frameworks.get(frameworkId);
    if (record != null && !record.removed()) {
      FrameworkRecord disconnected = new FrameworkRecord(record.info(), false, failoverDeadlineMillis);
      frameworks.put(frameworkId, disconnected);
      changes.add(new RegistryChange.FrameworkSaved(disconnected));
    }
  }

  /** Marks the framework removed; returns the agents that run its tasks, to be told to shut them down. */
  public Set<AgentId> frameworkRemoved(FrameworkId frameworkId) {
    FrameworkRecord record = frameworks.get(frameworkId);
    if (record != null && !record.removed()) {
      FrameworkRecord removed = new FrameworkRecord(record.info(), true, null);
      frameworks.put(frameworkId, removed);
      changes.add(new RegistryChange.FrameworkSaved(removed));
    }
    Set<AgentId> agentsToTell = new LinkedHashSet<>();
    for (TaskRecord task : tasks.values()) {
      if (task.frameworkId().equals(frameworkId) && !task.state().isTerminal()) {
        agentsToTell.add(task.agentId());
      }
    }
    return agentsToTell;
  }

  public List<FrameworkRecord> frameworks() {
    return List.copyOf(frameworks.values());
  }

  /**
   * The updates forwarded to the framework and not yet acknowledged, in the order they came, task by task: what a
   * framework that listens again receives again (the agents also resend them, later, with their backoff).
   */
  public List<TaskStatus> unacknowledgedUpdates(FrameworkId frameworkId) {
    List<TaskStatus> pending = new ArrayList<>();
    for (TaskRecord task : tasks.values()) {
      if (task.frameworkId().equals(frameworkId) && !task.unacknowledged().isEmpty()) {
        for (TaskStatus status : task.history()) {
          if (status.uuid() != null && task.unacknowledged().contains(Uuids.encode(status.uuid()))) {
            pending.add(status);
          }
        }
      }
    }
    return pending;
  }

  // ---- tasks ----

  /** Records validated tasks as TASK_STAGING, all or none: a task id still in use refuses the whole launch. */
  /**
   * Records a launch; false when this very launch was recorded before (offer-service asks again when its first
   * request went unanswered, as during a failover): nothing changes then, and the caller must not launch it twice.
   */
  public boolean launch(LaunchTasks launch, long nowMillis) {
    if (!agents.containsKey(launch.agentId())) {
      throw new RegistryRejection(FailureCodes.CONFLICT, "agent " + launch.agentId() + " is no longer registered");
    }
    if (!launch.tasks().isEmpty() && launch.tasks().stream().allMatch(info -> {
      TaskRecord existing = tasks.get(new TaskKey(launch.frameworkId(), info.taskId()));
      return existing != null && !existing.state().isTerminal() && existing.info().equals(info);
    })) {
      return false;
    }
    Set<TaskId> ids = new java.util.HashSet<>();
    for (TaskInfo info : launch.tasks()) {
      TaskRecord existing = tasks.get(new TaskKey(launch.frameworkId(), info.taskId()));
      if ((existing != null && !existing.state().isTerminal()) || !ids.add(info.taskId())) {
        throw new RegistryRejection(FailureCodes.CONFLICT, "task id '" + info.taskId() + "' is already in use by "
            + "a task of this framework");
      }
    }
    for (TaskInfo info : launch.tasks()) {
      TaskStatus staging = TaskStatus.builder(info.taskId(), TaskState.TASK_STAGING).agentId(info.agentId())
          .source(TaskStatus.Source.SOURCE_MASTER).timestampMillis(nowMillis).build();
      TaskRecord record = new TaskRecord(launch.frameworkId(), info, info.allocationRole(), Resources.of(info.resources()),
          TaskState.TASK_STAGING, staging, List.of(staging), List.of(), false);
      tasks.put(new TaskKey(launch.frameworkId(), info.taskId()), record);
      changes.add(new RegistryChange.TaskSaved(record, true));
      changes.add(new RegistryChange.TaskStatusRecorded(record.frameworkId(), record.taskId(), 0, staging));
    }
    return true;
  }

  /** Where to send a KILL: the task's agent; or, for a task the registry does not know, a notice saying so. */
  public record KillRoute(AgentId agentId, Notice unknown) {}

  /**
   * Kills held for agents known only from the store, or unreachable: they would be lost on the way (nobody may
   * listen); each is handed to its agent with its first heartbeat after it registered again, which it sends only
   * once it listens.
   */
  private final Map<AgentId, List<KillTask>> heldKills = new HashMap<>();

  public KillRoute kill(KillTask kill, long nowMillis) {
    TaskRecord task = tasks.get(new TaskKey(kill.frameworkId(), kill.taskId()));
    if (task == null || task.state().isTerminal()) {
      // Mesos answers a kill of an unknown task with the reconciliation answer for it.
      return new KillRoute(null, new Notice(kill.frameworkId(),
          reconcileOne(kill.frameworkId(), kill.taskId(), kill.agentId(), nowMillis)));
    }
    AgentRecord agent = agents.get(task.agentId());
    if (!heardSinceStart.contains(task.agentId()) || agent == null || !agent.state().connected()) {
      // Not listening yet, or cut off: the kill waits for the agent to be back (an unreachable agent registers again).
      heldKills.computeIfAbsent(task.agentId(), a -> new ArrayList<>()).add(kill);
      return new KillRoute(null, null);
    }
    return new KillRoute(task.agentId(), null);
  }

  /** The kills held for an agent until it listens (see {@link #kill}); taken once. */
  public List<KillTask> takeHeldKills(AgentId agentId) {
    AgentRecord agent = agents.get(agentId);
    if (!heardSinceStart.contains(agentId) || agent == null || !agent.state().connected()) {
      return List.of();
    }
    List<KillTask> held = heldKills.remove(agentId);
    return held == null ? List.of() : held;
  }

  /**
   * What follows an agent's status update: the UPDATE event for the framework (null when it was removed, in which
   * case {@code autoAcknowledge} is set), and the task's resources to give back when it just ended.
   */
  public record UpdateOutcome(TaskStatus forward, Acknowledgement autoAcknowledge, RecoverResources recover,
      boolean duplicate) {}

  public UpdateOutcome statusUpdate(StatusUpdate update) {
    TaskStatus status = update.status();
    TaskRecord task = tasks.get(new TaskKey(update.frameworkId(), status.taskId()));
    if (task == null) {
      throw new RegistryRejection(FailureCodes.NOT_FOUND, "status update for unknown task '" + status.taskId()
          + "' of framework " + update.frameworkId());
    }
    if (!task.agentId().equals(status.agentId())) {
      throw new RegistryRejection(FailureCodes.FORBIDDEN, "status update for task '" + status.taskId() + "' from "
          + "agent " + status.agentId() + ", which does not run it (" + task.agentId() + " does)");
    }
    AgentRecord agent = agents.get(task.agentId());
    if (agent == null || !agent.state().connected()) {
      // As a Mesos master ignores updates from an agent it lost: the agent registers again first, then resends.
      throw new RegistryRejection(FailureCodes.CONFLICT, "status update from agent " + status.agentId() + ", which "
          + "is " + (agent == null ? "not registered" : agent.state().name().toLowerCase()) + "; it must register "
          + "again first");
    }
    boolean duplicate = task.hasSeen(status.uuid());
    RecoverResources recover = null;
    if (!duplicate) {
      boolean ends = update.latestState().isTerminal() && !task.resourcesRecovered();
      if (ends) {
        recover = recoveryOf(task);
      }
      TaskRecord updated = task.withUpdate(status, update.latestState(), task.resourcesRecovered() || ends);
      tasks.put(new TaskKey(update.frameworkId(), status.taskId()), updated);
      recordTask(updated, status);
    }
    if (duplicate && !task.unacknowledged().contains(Uuids.encode(status.uuid()))) {
      // The framework acknowledged this update already (the agent lost that acknowledgement, for example in a
      // crash, and sends it again): acknowledged once more for it, and dropped, so that the framework never sees an
      // update it acknowledged, nor one older than what it saw since.
      return new UpdateOutcome(null, new Acknowledgement(update.frameworkId(), status.agentId(), status.taskId(),
          status.uuid()), null, true);
    }
    FrameworkRecord framework = frameworks.get(update.frameworkId());
    if (framework != null && framework.removed()) {
      // Nobody will acknowledge for a framework that is gone; the agent must not resend forever.
      return new UpdateOutcome(null, new Acknowledgement(update.frameworkId(), status.agentId(), status.taskId(),
          status.uuid()), recover, duplicate);
    }
    return new UpdateOutcome(status, null, recover, duplicate);
  }

  /** Checks an ACKNOWLEDGE against what was forwarded; returns it to send on to the agent. */
  public Acknowledgement acknowledge(Acknowledgement ack) {
    TaskRecord task = tasks.get(new TaskKey(ack.frameworkId(), ack.taskId()));
    if (task == null) {
      throw new RegistryRejection(FailureCodes.NOT_FOUND, "acknowledgement for unknown task '" + ack.taskId()
          + "' of framework " + ack.frameworkId());
    }
    if (!task.agentId().equals(ack.agentId())) {
      throw new RegistryRejection(FailureCodes.BAD_REQUEST, "acknowledgement for task '" + ack.taskId() + "' names "
          + "agent " + ack.agentId() + " but the task runs on " + task.agentId());
    }
    String uuid = Uuids.encode(ack.uuid());
    if (!task.hasSeen(ack.uuid())) {
      throw new RegistryRejection(FailureCodes.BAD_REQUEST, "acknowledgement for task '" + ack.taskId() + "' with "
          + "uuid " + uuid + ", which no status update of that task carried");
    }
    if (task.unacknowledged().contains(uuid)) {
      TaskRecord updated = task.withAcknowledged(uuid);
      tasks.put(new TaskKey(ack.frameworkId(), ack.taskId()), updated);
      changes.add(new RegistryChange.TaskSaved(updated, false));
    }
    return ack;
  }

  /** RECONCILE: the latest state of the named tasks, or of all the framework's tasks when none are named. */
  public List<TaskStatus> reconcile(ReconcileTasks reconcile, long nowMillis) {
    List<TaskStatus> answers = new ArrayList<>();
    if (reconcile.tasks().isEmpty()) {
      for (TaskRecord task : tasks.values()) {
        if (task.frameworkId().equals(reconcile.frameworkId()) && !task.state().isTerminal()) {
          answers.add(reconcileOne(reconcile.frameworkId(), task.taskId(), task.agentId(), nowMillis));
        }
      }
      return answers;
    }
    refuseForeignTasks(reconcile);
    for (Call.Reconcile.Task named : reconcile.tasks()) {
      answers.add(reconcileOne(reconcile.frameworkId(), named.taskId(), named.agentId(), nowMillis));
    }
    return answers;
  }

  /** A framework may ask only about its own tasks: naming one that only another framework has refuses the call. */
  private void refuseForeignTasks(ReconcileTasks reconcile) {
    Set<TaskId> notOwn = new LinkedHashSet<>();
    for (Call.Reconcile.Task named : reconcile.tasks()) {
      if (!tasks.containsKey(new TaskKey(reconcile.frameworkId(), named.taskId()))) {
        notOwn.add(named.taskId());
      }
    }
    if (notOwn.isEmpty()) {
      return;
    }
    for (TaskKey key : tasks.keySet()) {
      if (notOwn.contains(key.taskId()) && !key.frameworkId().equals(reconcile.frameworkId())) {
        throw new RegistryRejection(FailureCodes.FORBIDDEN, "reconcile names task '" + key.taskId() + "', which "
            + "belongs to another framework");
      }
    }
  }

  private TaskStatus reconcileOne(FrameworkId frameworkId, TaskId taskId, AgentId agentId, long nowMillis) {
    TaskRecord task = tasks.get(new TaskKey(frameworkId, taskId));
    if (task != null) {
      return MasterStatuses.reconciled(task, nowMillis);
    }
    return MasterStatuses.reconciledUnknown(taskId, agentId, agentId != null && hasAgent(agentId),
        partitionAware(frameworkId), nowMillis);
  }

  public List<TaskView> tasks(FrameworkId frameworkId) {
    List<TaskView> views = new ArrayList<>();
    for (TaskRecord task : tasks.values()) {
      if (frameworkId == null || task.frameworkId().equals(frameworkId)) {
        views.add(new TaskView(task.frameworkId(), task.taskId(), task.info().name(), task.agentId(),
            task.resources(), task.latestStatus(), task.info()));
      }
    }
    return views;
  }

  public TaskRecord task(FrameworkId frameworkId, TaskId taskId) {
    return tasks.get(new TaskKey(frameworkId, taskId));
  }

  // ---- role weights and quota: the allocator validates and applies them; the registry keeps them ----

  public void updateWeights(List<WeightInfo> infos) {
    for (WeightInfo info : infos) {
      weights.put(info.role(), info);
      changes.add(new RegistryChange.RoleWeightSaved(info));
    }
  }

  /** Sets each role's quota; a config with neither guarantees nor limits removes it. */
  public void updateQuota(List<QuotaConfig> configs) {
    for (QuotaConfig config : configs) {
      if (config.removesQuota()) {
        quotas.remove(config.role());
      } else {
        quotas.put(config.role(), config);
      }
      changes.add(new RegistryChange.RoleQuotaSaved(config));
    }
  }

  public RoleConfig roleConfig() {
    return new RoleConfig(List.copyOf(weights.values()), List.copyOf(quotas.values()));
  }

  /** Saves a task whose history just grew by {@code appended}, its last entry. */
  private void recordTask(TaskRecord task, TaskStatus appended) {
    changes.add(new RegistryChange.TaskSaved(task, false));
    changes.add(new RegistryChange.TaskStatusRecorded(task.frameworkId(), task.taskId(), task.history().size() - 1,
        appended));
  }

  /** The changes made since the last call, for the store. */
  public List<RegistryChange> drainChanges() {
    List<RegistryChange> drained = List.copyOf(changes);
    changes.clear();
    return drained;
  }

  private boolean partitionAware(FrameworkId frameworkId) {
    FrameworkRecord framework = frameworks.get(frameworkId);
    return framework != null && framework.info().hasCapability(Capability.Type.PARTITION_AWARE);
  }
}
