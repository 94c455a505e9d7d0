package orrery.e2e;

import static orrery.e2e.ClusterFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import orrery.protocol.bus.Addresses;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.Filters;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.FrameworkInfo;
import orrery.protocol.mesos.FrameworkInfo.Capability;
import orrery.protocol.mesos.Offer;
import orrery.protocol.mesos.OfferId;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskInfo;
import orrery.protocol.mesos.TaskState;
import orrery.protocol.mesos.TaskStatus;
import orrery.protocol.messages.AgentMessages.AgentList;
import orrery.protocol.resources.Resources;
import orrery.protocol.scheduler.Call;
import orrery.protocol.scheduler.Event;
import orrery.registry.RegistryVerticle;
import orrery.sdk.SchedulerHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * An agent cut off from the control plane (its heartbeats, status updates and everything sent to it dropped on the
 * event bus, see {@link AgentPartition}) while its tasks keep running as real processes: it becomes unreachable, and
 * either comes back (its tasks RUNNING again, the agent offered again) or stays away past the unreachable timeout and
 * is gone (its tasks TASK_GONE, its registration refused). Each test runs a cluster of its own with short agent
 * timeouts, a PARTITION_AWARE framework and a plain one, each with one long task.
 */
class AgentPartitionTest {

  private static final long HEARTBEAT_MILLIS = 200;
  private static final long AGENT_TIMEOUT_MILLIS = 1_500;

  private ClusterFixture fixture;
  private AgentPartition partition;
  private final List<Framework> frameworks = new ArrayList<>();
  /** Every process of the tasks, with its descendants: none may outlive the cluster. */
  private final List<ProcessHandle> taskProcesses = new ArrayList<>();

  /** A framework over the scheduler HTTP API, with its events. */
  private final class Framework {
    final SchedulerHttpClient client;
    final EventLog events = new EventLog();
    final FrameworkId id;
    final java.util.Set<String> acknowledged = java.util.concurrent.ConcurrentHashMap.newKeySet();

    Framework(String name, Capability.Type... capabilities) throws Exception {
      client = new SchedulerHttpClient(fixture.clients, "127.0.0.1", fixture.cluster.httpPort());
      id = await(client.subscribe(FrameworkInfo.of("tester", name).withCapabilities(capabilities), events::add))
          .subscribed().frameworkId();
      frameworks.add(this);
    }

    TaskStatus acknowledged(TaskStatus status) throws Exception {
      assertThat(status.uuid()).as("agent updates carry a uuid").isNotNull();
      await(client.call(Call.acknowledge(id, status.agentId(), status.taskId(), status.uuid())));
      acknowledged.add(java.util.Base64.getEncoder().encodeToString(status.uuid()));
      return status;
    }

    /**
     * The next update of the task, passing over the agent's resending of one acknowledged already (sent before the
     * acknowledgement reached it).
     */
    TaskStatus next(TaskId taskId) throws Exception {
      return awaitUpdate(taskId, s -> !resent(s), "a new update");
    }

    boolean resent(TaskStatus status) {
      return status.uuid() != null && acknowledged.contains(java.util.Base64.getEncoder().encodeToString(status.uuid()));
    }

    /** An update not yet taken, other than an agent's resending of one acknowledged already; or null. */
    Event newUpdate() {
      return events.poll(e -> e.type() == Event.Type.UPDATE && !resent(e.update().status()));
    }

    TaskStatus awaitUpdate(TaskId taskId, Predicate<TaskStatus> matching, String what) throws Exception {
      return events.take(e -> e.type() == Event.Type.UPDATE && e.update().status().taskId().equals(taskId)
          && matching.test(e.update().status()), what + " for " + taskId).update().status();
    }
  }

  /** Best effort at every step, so that a failing one leaves no cluster or process behind. */
  @AfterEach
  void tearDown() throws Exception {
    List<Exception> failures = new ArrayList<>();
    if (partition != null) {
      partition.heal();
    }
    for (Framework framework : frameworks) {
      attempt(failures, () -> await(framework.client.call(Call.teardown(framework.id))));
      attempt(failures, () -> await(framework.client.close()));
    }
    if (fixture != null) {
      attempt(failures, fixture::close); // the agent ends its tasks' processes as it stops
    }
    // No stray processes: whatever the agent did not end is a leak, killed here and reported.
    List<ProcessHandle> leaked = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (ProcessHandle process : taskProcesses) {
      while (process.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      if (process.isAlive()) {
        leaked.add(process);
        process.destroyForcibly();
      }
    }
    assertThat(leaked).as("task processes left running after the cluster closed").isEmpty();
    if (!failures.isEmpty()) {
      failures.subList(1, failures.size()).forEach(failures.get(0)::addSuppressed);
      throw failures.get(0);
    }
  }

  private interface Step {
    void run() throws Exception;
  }

  private static void attempt(List<Exception> failures, Step step) {
    try {
      step.run();
    } catch (Exception e) {
      failures.add(e);
    }
  }

  @Test
  void anUnreachableAgentThatComesBackHasItsTasksRunningAgainAndIsOfferedAgain() throws Exception {
    fixture = ClusterFixture.start(options -> options.agentTimeouts(HEARTBEAT_MILLIS, AGENT_TIMEOUT_MILLIS, 600_000));
    AgentId agent = fixture.cluster.agentId();
    Framework aware = new Framework("partition-aware", Capability.Type.PARTITION_AWARE);
    Framework plain = new Framework("plain");
    TaskId awareTask = TaskId.of("aware-sleeper");
    TaskId endsWhileCut = TaskId.of("aware-ends-while-cut");
    TaskId plainTask = TaskId.of("plain-sleeper");
    launchLongTasks(Map.of(aware, List.of(awareTask, endsWhileCut), plain, List.of(plainTask)));
    Map<String, Long> pids = runningPids();
    assertThat(pids).containsOnlyKeys(awareTask.value(), endsWhileCut.value(), plainTask.value());

    // Whatever the agent has left is on offer to one of the two frameworks, and stays outstanding.
    Map.Entry<Framework, Offer> outstanding = anOffer(agent, aware, plain);
    assertThat(Resources.of(outstanding.getValue().resources())).isEqualTo(offerable(3));

    partition = new AgentPartition(fixture.cluster.vertx(), agent);
    long cutAt = System.currentTimeMillis();
    partition.cut();

    for (TaskId task : List.of(awareTask, endsWhileCut)) {
      TaskStatus unreachable = aware.next(task);
      assertThat(unreachable.state()).isEqualTo(TaskState.TASK_UNREACHABLE);
      assertThat(unreachable.reason()).isEqualTo(TaskStatus.Reason.REASON_AGENT_REMOVED);
      assertThat(unreachable.source()).isEqualTo(TaskStatus.Source.SOURCE_MASTER);
      assertThat(unreachable.agentId()).isEqualTo(agent);
      assertThat(unreachable.uuid()).as("master-generated updates are not acknowledged").isNull();
      assertThat(unreachable.unreachableTime()).isNotNull();
      long unreachableAt = unreachable.unreachableTime().nanoseconds() / 1_000_000;
      // Not before the agent timeout (less the heartbeat that may have come just before the cut), nor in the future.
      assertThat(unreachableAt).isBetween(cutAt + AGENT_TIMEOUT_MILLIS - 2 * HEARTBEAT_MILLIS,
          System.currentTimeMillis());
    }
    assertThat(partition.dropped(Addresses.REGISTRY_AGENT_HEARTBEAT)).isPositive();

    TaskStatus lost = plain.next(plainTask);
    assertThat(lost.state()).as("a framework that is not partition-aware hears TASK_LOST").isEqualTo(TaskState.TASK_LOST);
    assertThat(lost.reason()).isEqualTo(TaskStatus.Reason.REASON_AGENT_REMOVED);
    assertThat(lost.source()).isEqualTo(TaskStatus.Source.SOURCE_MASTER);
    assertThat(lost.uuid()).isNull();
    assertThat(lost.unreachableTime()).as("set on TASK_LOST too, as a Mesos master does").isNotNull();

    Event rescind = outstanding.getKey().events.takeType(Event.Type.RESCIND);
    OfferId rescinded = outstanding.getValue().id();
    assertThat(rescind.rescind().offerId()).isEqualTo(rescinded);
    await(outstanding.getKey().client.call(Call.accept(outstanding.getKey().id, List.of(rescinded),
        List.of(Offer.Operation.launch(List.of(Tasks.shell("too-late", outstanding.getValue(), "true", 0.1, 16)))),
        null)));
    assertThat(outstanding.getKey().next(TaskId.of("too-late")).message())
        .as("a rescinded offer cannot be used").contains("is not outstanding");

    // One task's command dies while its agent is cut off: its agent sees it, but cannot tell anyone yet. (The pid in
    // the agent's state is the shell that supervises the command; the command is its child.)
    List<ProcessHandle> command = ProcessHandle.of(pids.remove(endsWhileCut.value())).orElseThrow().children().toList();
    assertThat(command).hasSize(1);
    command.get(0).destroyForcibly();
    awaitAgentState(endsWhileCut, "TASK_FAILED");
    // Cut off, the agent still runs the other tasks, as the same processes; the registry keeps it, inactive.
    Thread.sleep(AGENT_TIMEOUT_MILLIS);
    assertThat(runningPids()).isEqualTo(pids);
    assertThat(anyOfferFor(agent, aware, plain)).as("an unreachable agent is not offered").isNull();
    assertThat(registeredAgents()).containsExactly(Map.entry(agent, false));
    for (Framework framework : List.of(aware, plain)) {
      assertThat(framework.newUpdate()).as("an update while the agent is cut off").isNull();
    }

    partition.heal();

    for (Map.Entry<Framework, TaskId> task : List.of(Map.entry(aware, awareTask), Map.entry(plain, plainTask))) {
      TaskStatus running = task.getKey().next(task.getValue());
      assertThat(running.state()).isEqualTo(TaskState.TASK_RUNNING);
      assertThat(running.source()).isEqualTo(TaskStatus.Source.SOURCE_MASTER);
      assertThat(running.reason()).isEqualTo(TaskStatus.Reason.REASON_AGENT_REREGISTERED);
      assertThat(running.agentId()).isEqualTo(agent);
      assertThat(running.uuid()).isNull();
    }
    // The task that ended meanwhile is not running again: its agent's own update, held back, now comes through.
    TaskStatus failed = aware.acknowledged(aware.next(endsWhileCut));
    assertThat(failed.state()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(failed.source()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
    assertThat(failed.message()).contains("SIGKILL");

    assertThat(runningPids()).as("the other tasks never stopped").isEqualTo(pids);
    assertThat(registeredAgents()).containsExactly(Map.entry(agent, true));
    pids.values().forEach(pid -> assertThat(ProcessHandle.of(pid)).hasValueSatisfying(
        p -> assertThat(p.isAlive()).isTrue()));

    // The agent is offered again: a new offer, of what its two running tasks leave free.
    Map.Entry<Framework, Offer> again = anOffer(agent, aware, plain);
    assertThat(again.getValue().id()).isNotEqualTo(rescinded);
    assertThat(Resources.of(again.getValue().resources())).isEqualTo(offerable(2));
    await(again.getKey().client.call(Call.decline(again.getKey().id, List.of(again.getValue().id()),
        new Filters(0.0))));

    // And it works: kills reach it, and its updates reach the frameworks.
    for (Map.Entry<Framework, TaskId> task : List.of(Map.entry(aware, awareTask), Map.entry(plain, plainTask))) {
      Framework framework = task.getKey();
      await(framework.client.call(Call.kill(framework.id, task.getValue(), agent)));
      // Each update acknowledged in turn: the agent sends the next one only once the previous is acknowledged.
      assertThat(framework.acknowledged(framework.next(task.getValue())).state()).isEqualTo(TaskState.TASK_KILLING);
      TaskStatus killed = framework.acknowledged(framework.next(task.getValue()));
      assertThat(killed.state()).isEqualTo(TaskState.TASK_KILLED);
      assertThat(killed.source()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
    }
    // Every resource came back exactly once: the whole agent is offered again.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(EventLog.TIMEOUT_SECONDS);
    while (true) {
      Map.Entry<Framework, Offer> offer = anOffer(agent, aware, plain);
      await(offer.getKey().client.call(Call.decline(offer.getKey().id, List.of(offer.getValue().id()),
          new Filters(0.0))));
      Resources offered = Resources.of(offer.getValue().resources());
      if (offered.equals(offerable(0))) {
        break;
      }
      assertThat(offerable(0).contains(offered)).as("offered " + offered + ", more than the agent has").isTrue();
      assertThat(System.nanoTime()).as("the whole agent offered; last offered " + offered).isLessThan(deadline);
    }
  }

  @Test
  void anAgentUnreachablePastTheUnreachableTimeoutIsGoneAndMayNotComeBack() throws Exception {
    long unreachableTimeout = 3_000;
    fixture = ClusterFixture.start(options -> options.agentTimeouts(HEARTBEAT_MILLIS, AGENT_TIMEOUT_MILLIS,
        unreachableTimeout));
    AgentId agent = fixture.cluster.agentId();
    Framework aware = new Framework("partition-aware", Capability.Type.PARTITION_AWARE);
    Framework plain = new Framework("plain");
    TaskId awareTask = TaskId.of("aware-sleeper");
    TaskId plainTask = TaskId.of("plain-sleeper");
    launchLongTasks(Map.of(aware, List.of(awareTask), plain, List.of(plainTask)));
    Map<String, Long> pids = runningPids();
    Map.Entry<Framework, Offer> outstanding = anOffer(agent, aware, plain);

    partition = new AgentPartition(fixture.cluster.vertx(), agent);
    partition.cut();

    TaskStatus unreachable = aware.next(awareTask);
    assertThat(unreachable.state()).isEqualTo(TaskState.TASK_UNREACHABLE);
    assertThat(plain.next(plainTask).state()).isEqualTo(TaskState.TASK_LOST);
    assertThat(outstanding.getKey().events.takeType(Event.Type.RESCIND).rescind().offerId())
        .isEqualTo(outstanding.getValue().id());

    TaskStatus gone = aware.next(awareTask);
    assertThat(gone.state()).isEqualTo(TaskState.TASK_GONE);
    assertThat(gone.reason()).isEqualTo(TaskStatus.Reason.REASON_AGENT_REMOVED);
    assertThat(gone.source()).isEqualTo(TaskStatus.Source.SOURCE_MASTER);
    assertThat(gone.uuid()).isNull();
    long unreachableAt = unreachable.unreachableTime().nanoseconds() / 1_000_000;
    assertThat((long) (gone.timestamp() * 1000)).as("gone only after the unreachable timeout")
        .isGreaterThanOrEqualTo(unreachableAt + unreachableTimeout);

    // The master's answer from now on: the aware framework's task is gone, the plain one's lost.
    await(aware.client.call(Call.reconcile(aware.id, List.of(new Call.Reconcile.Task(awareTask, agent)))));
    TaskStatus reconciled = aware.next(awareTask);
    assertThat(reconciled.state()).isEqualTo(TaskState.TASK_GONE);
    assertThat(reconciled.reason()).isEqualTo(TaskStatus.Reason.REASON_RECONCILIATION);
    await(plain.client.call(Call.reconcile(plain.id, List.of(new Call.Reconcile.Task(plainTask, agent)))));
    assertThat(plain.next(plainTask).state())
        .as("TASK_LOST was final for a framework that is not partition-aware").isEqualTo(TaskState.TASK_LOST);

    // Healed, the agent learns that the registry no longer knows it and registers again: it is refused.
    ch.qos.logback.classic.Logger registryLog =
        (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(RegistryVerticle.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    registryLog.addAppender(logged);
    try {
      partition.heal();
      String refusal = "refused on " + Addresses.REGISTRY_REGISTER_AGENT + ": agent " + agent.value() + " is gone";
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(EventLog.TIMEOUT_SECONDS);
      while (!logs(logged).stream().anyMatch(line -> line.startsWith(refusal))) {
        assertThat(System.nanoTime()).as("the registry refuses the gone agent; it logged: " + logs(logged))
            .isLessThan(deadline);
        Thread.sleep(50);
      }
    } finally {
      registryLog.detachAppender(logged);
    }
    // Several heartbeat intervals later, nothing has come back: no task is running again, the agent is not offered.
    Thread.sleep(2 * AGENT_TIMEOUT_MILLIS);
    for (Framework framework : List.of(aware, plain)) {
      assertThat(framework.newUpdate()).as("an update after the agent was gone").isNull();
    }
    assertThat(anyOfferFor(agent, aware, plain)).as("a gone agent is not offered").isNull();
    assertThat(registeredAgents()).as("a gone agent is not listed").isEmpty();

    // Orrery does not tell a gone agent to shut down (a Mesos master would, and the agent would end its tasks): the
    // agent, refused, keeps trying to register, and its tasks' processes run on until the agent stops, which the
    // teardown checks. Were gone agents told to shut down, these would be killed instead.
    assertThat(runningPids()).isEqualTo(pids);
    pids.values().forEach(pid -> assertThat(ProcessHandle.of(pid)).hasValueSatisfying(
        p -> assertThat(p.isAlive()).isTrue()));
  }

  /**
   * Each framework launches its tasks, each a {@code sleep 600} of {@code cpus:0.5;mem:64}, on an offer of the agent
   * and acknowledges them up to TASK_RUNNING. Offers go to one framework at a time; one that has launched already
   * declines, so that the others are offered.
   */
  private void launchLongTasks(Map<Framework, List<TaskId>> tasks) throws Exception {
    List<Framework> waiting = new ArrayList<>(tasks.keySet());
    while (!waiting.isEmpty()) {
      Map.Entry<Framework, Offer> offered = anOffer(fixture.cluster.agentId(), tasks.keySet().toArray(Framework[]::new));
      Framework framework = offered.getKey();
      Offer offer = offered.getValue();
      if (!waiting.remove(framework)) {
        await(framework.client.call(Call.decline(framework.id, List.of(offer.id()), new Filters(0.0))));
        continue;
      }
      List<TaskInfo> infos = tasks.get(framework).stream()
          .map(id -> Tasks.shell(id.value(), offer, "sleep 600", 0.5, 64)).toList();
      await(framework.client.call(Call.accept(framework.id, List.of(offer.id()),
          List.of(Offer.Operation.launch(infos)), new Filters(0.0))));
    }
    for (Map.Entry<Framework, List<TaskId>> launched : tasks.entrySet()) {
      Framework framework = launched.getKey();
      for (TaskId task : launched.getValue()) {
        framework.acknowledged(framework.events.awaitState(task, TaskState.TASK_STARTING));
        framework.acknowledged(framework.events.awaitState(task, TaskState.TASK_RUNNING));
      }
    }
  }

  /** What the agent offers once it runs {@code tasks} of {@code cpus:0.5;mem:64} each. */
  private static Resources offerable(int tasks) {
    Resources total = Resources.parse(ClusterFixture.AGENT_RESOURCES);
    for (int i = 0; i < tasks; i++) {
      total = total.minus(Resources.cpusMem(0.5, 64));
    }
    return total;
  }

  /** Waits for an offer of {@code agent} to any of the frameworks, and takes it. */
  private Map.Entry<Framework, Offer> anOffer(AgentId agent, Framework... candidates) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(EventLog.TIMEOUT_SECONDS);
    while (true) {
      Map.Entry<Framework, Offer> offered = anyOfferFor(agent, candidates);
      if (offered != null) {
        return offered;
      }
      assertThat(System.nanoTime()).as("an offer of agent " + agent).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  /** Takes an offer of {@code agent} that has come to any of the frameworks, or returns null. */
  private static Map.Entry<Framework, Offer> anyOfferFor(AgentId agent, Framework... candidates) {
    for (Framework framework : candidates) {
      Event event = framework.events.poll(e -> e.type() == Event.Type.OFFERS
          && e.offers().offers().stream().anyMatch(o -> o.agentId().equals(agent)));
      if (event != null) {
        return Map.entry(framework, event.offers().offers().stream().filter(o -> o.agentId().equals(agent))
            .findFirst().orElseThrow());
      }
    }
    return null;
  }

  /**
   * The agent's tasks, running or recently completed, by id, as its {@code /state} shows them (served over HTTP,
   * which the partition spares).
   */
  private Map<String, JsonObject> agentTasks() throws Exception {
    JsonObject state = new JsonObject(
        fixture.get("http://127.0.0.1:" + fixture.cluster.agentPort() + "/state").body());
    Map<String, JsonObject> tasks = new LinkedHashMap<>();
    for (String list : List.of("completed_tasks", "tasks")) {
      JsonArray held = state.getJsonArray(list);
      for (int i = 0; i < held.size(); i++) {
        tasks.put(held.getJsonObject(i).getString("task_id"), held.getJsonObject(i));
      }
    }
    return tasks;
  }

  /**
   * The process ids of the agent's running tasks, by task id. Records each process, and its children, for the
   * teardown's leak check.
   */
  private Map<String, Long> runningPids() throws Exception {
    Map<String, Long> pids = new LinkedHashMap<>();
    agentTasks().forEach((id, task) -> {
      if ("TASK_RUNNING".equals(task.getString("state"))) {
        long pid = task.getLong("pid");
        pids.put(id, pid);
        ProcessHandle.of(pid).ifPresent(process -> {
          taskProcesses.add(process);
          process.descendants().forEach(taskProcesses::add);
        });
      }
    });
    return pids;
  }

  /** Waits until the agent's {@code /state} shows the task in {@code state}. */
  private void awaitAgentState(TaskId task, String state) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(EventLog.TIMEOUT_SECONDS);
    while (true) {
      JsonObject held = agentTasks().get(task.value());
      if (held != null && state.equals(held.getString("state"))) {
        return;
      }
      assertThat(System.nanoTime()).as(task + " " + state + " on the agent; it shows " + held).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  /** The agents the registry lists, each with whether it is active. */
  private Map<AgentId, Boolean> registeredAgents() throws Exception {
    AgentList list = await(fixture.cluster.vertx().eventBus().<AgentList>request(Addresses.REGISTRY_AGENTS, null))
        .body();
    Map<AgentId, Boolean> agents = new LinkedHashMap<>();
    list.agents().forEach(a -> agents.put(a.agentId(), a.active()));
    return agents;
  }

  private static List<String> logs(ListAppender<ILoggingEvent> appender) {
    synchronized (appender) {
      return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
  }
}
