package orrery.registry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.AgentInfo;
import orrery.protocol.mesos.CommandInfo;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.FrameworkInfo;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskInfo;
import orrery.protocol.mesos.TaskState;
import orrery.protocol.mesos.TaskStatus;
import orrery.protocol.messages.AgentMessages.AgentTask;
import orrery.protocol.messages.TaskMessages.KillTask;
import orrery.protocol.messages.TaskMessages.LaunchTasks;
import orrery.protocol.messages.TaskMessages.StatusUpdate;
import orrery.protocol.resources.Resources;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An agent's life as the registry records it: unreachable, back again, gone; and registering with its tasks. */
class AgentLifecycleTest {

  private static final FrameworkId AWARE = FrameworkId.of("aware");
  private static final FrameworkId PLAIN = FrameworkId.of("plain");
  private static final Resources TASK = Resources.cpusMem(1, 128);

  private final Registry registry = new Registry("M");
  private AgentInfo info;
  private AgentId agent;

  @BeforeEach
  void setUp() {
    agent = registry.registerAgent(new AgentInfo("node", 5051, null, null, null, null), Resources.cpusMem(4, 4096),
        List.of(), 0).agentId();
    info = new AgentInfo("node", 5051, null, null, agent, null);
    registry.frameworkSubscribed(FrameworkInfo.of("u", "aware")
        .withCapabilities(FrameworkInfo.Capability.Type.PARTITION_AWARE).withId(AWARE));
    registry.frameworkSubscribed(FrameworkInfo.of("u", "plain").withId(PLAIN));
  }

  private TaskInfo launchRunning(FrameworkId framework, String id) {
    TaskInfo task = TaskInfo.command(id, TaskId.of(id), agent, TASK.toList("*"), CommandInfo.shell("sleep 9"));
    registry.launch(new LaunchTasks(framework, agent, List.of(task)), 1);
    registry.statusUpdate(new StatusUpdate(framework, TaskStatus.builder(task.taskId(), TaskState.TASK_RUNNING)
        .agentId(agent).uuid(new byte[] {(byte) id.hashCode()}).build(), TaskState.TASK_RUNNING));
    return task;
  }

  private static AgentTask held(FrameworkId framework, TaskInfo task, TaskState state) {
    return new AgentTask(framework, task.taskId(), state, "*", TASK);
  }

  @Test
  void anUnreachableAgentsTasksAreUnreachableOrLostAndRunAgainWhenItReturns() {
    TaskInfo aware = launchRunning(AWARE, "a1");
    TaskInfo plain = launchRunning(PLAIN, "p1");

    List<Notice> cutOff = registry.markUnreachable(agent, "no heartbeat for 30000 ms", 5_000);

    assertThat(cutOff).extracting(n -> n.status().state())
        .containsExactly(TaskState.TASK_UNREACHABLE, TaskState.TASK_LOST);
    assertThat(cutOff.get(0).status().unreachableTime().nanoseconds()).isEqualTo(5_000_000_000L);
    assertThat(cutOff.get(0).status().reason()).isEqualTo(TaskStatus.Reason.REASON_AGENT_REMOVED);
    assertThat(registry.agent(agent).state()).isEqualTo(AgentState.UNREACHABLE);
    assertThat(registry.heartbeat(agent, 5_001)).isFalse();
    // Its updates wait until it has registered again.
    assertThatThrownBy(() -> registry.statusUpdate(new StatusUpdate(AWARE, TaskStatus.builder(aware.taskId(),
        TaskState.TASK_FINISHED).agentId(agent).uuid(new byte[] {9}).build(), TaskState.TASK_FINISHED)))
        .isInstanceOf(RegistryRejection.class).hasMessageContaining("unreachable");

    Registry.Registration back = registry.registerAgent(info, Resources.cpusMem(4, 4096), List.of(
        held(AWARE, aware, TaskState.TASK_RUNNING), held(PLAIN, plain, TaskState.TASK_RUNNING)), 6_000);

    assertThat(back.notices()).extracting(n -> n.status().state())
        .containsExactly(TaskState.TASK_RUNNING, TaskState.TASK_RUNNING);
    assertThat(back.notices()).allSatisfy(n -> {
      assertThat(n.status().reason()).isEqualTo(TaskStatus.Reason.REASON_AGENT_REREGISTERED);
      assertThat(n.status().source()).isEqualTo(TaskStatus.Source.SOURCE_MASTER);
    });
    assertThat(back.recoveries()).isEmpty();
    assertThat(registry.agent(agent).state()).isEqualTo(AgentState.ACTIVE);
    assertThat(registry.task(AWARE, aware.taskId()).history()).extracting(TaskStatus::state).containsExactly(
        TaskState.TASK_STAGING, TaskState.TASK_RUNNING, TaskState.TASK_UNREACHABLE, TaskState.TASK_RUNNING);
    // The allocator charges the running task again (from the agent's list), so its end gives it back once.
    Registry.UpdateOutcome finished = registry.statusUpdate(new StatusUpdate(AWARE, TaskStatus.builder(
        aware.taskId(), TaskState.TASK_FINISHED).agentId(agent).uuid(new byte[] {9}).build(), TaskState.TASK_FINISHED));
    assertThat(finished.recover().resources()).isEqualTo(TASK);
  }

  @Test
  void anAgentUnreachablePastTheTimeoutIsGoneWithItsTasksAndMayNotReturn() {
    TaskInfo aware = launchRunning(AWARE, "a1");
    launchRunning(PLAIN, "p1");
    registry.markUnreachable(agent, "silent", 5_000);

    assertThat(registry.unreachableSince(5_000)).isEmpty();
    assertThat(registry.unreachableSince(5_001)).containsExactly(agent);
    List<Notice> gone = registry.markGone(agent, 9_000);

    // Only the partition-aware framework hears TASK_GONE: the other was told TASK_LOST already.
    assertThat(gone).singleElement().satisfies(n -> {
      assertThat(n.frameworkId()).isEqualTo(AWARE);
      assertThat(n.status().state()).isEqualTo(TaskState.TASK_GONE);
    });
    assertThat(registry.task(AWARE, aware.taskId()).state()).isEqualTo(TaskState.TASK_GONE);
    assertThat(registry.agents()).isEmpty();
    assertThatThrownBy(() -> registry.registerAgent(info, Resources.cpusMem(4, 4096), List.of(), 9_500))
        .isInstanceOf(RegistryRejection.class).hasMessageContaining("gone");
    // Its unregistering on the way out does not free its id either.
    assertThat(registry.removeAgent(agent, "it unregistered", 9_600)).isEmpty();
    assertThat(registry.agent(agent).state()).isEqualTo(AgentState.GONE);
  }

  @Test
  void anAgentThatRegistersWithoutATaskEndedIt() {
    TaskInfo aware = launchRunning(AWARE, "a1");
    TaskInfo plain = launchRunning(PLAIN, "p1");
    TaskInfo staging = TaskInfo.command("a2", TaskId.of("a2"), agent, TASK.toList("*"), CommandInfo.shell("true"));
    registry.launch(new LaunchTasks(AWARE, agent, List.of(staging)), 2);
    TaskInfo kept = launchRunning(AWARE, "a3");

    // The agent restarted and recovered only a3 (a1 and p1 were lost with their processes; a2 never reached it).
    Registry.Registration again = registry.registerAgent(info, Resources.cpusMem(4, 4096),
        List.of(held(AWARE, kept, TaskState.TASK_RUNNING)), 3_000);

    assertThat(again.notices()).extracting(n -> n.status().taskId().value() + " " + n.status().state())
        .containsExactly("a1 TASK_GONE", "p1 TASK_LOST", "a2 TASK_DROPPED");
    assertThat(again.notices()).allSatisfy(
        n -> assertThat(n.status().reason()).isEqualTo(TaskStatus.Reason.REASON_TASK_UNKNOWN));
    assertThat(again.recoveries()).hasSize(3);
    assertThat(registry.task(AWARE, kept.taskId()).state()).isEqualTo(TaskState.TASK_RUNNING);
    assertThat(registry.task(AWARE, aware.taskId()).state()).isEqualTo(TaskState.TASK_GONE);
    assertThat(registry.task(PLAIN, plain.taskId()).state()).isEqualTo(TaskState.TASK_LOST);
  }

  @Test
  void aDrainingAgentStaysDrainingThroughARestartAndItsRegistrationAgain() {
    registry.drainChanges();
    registry.setDraining(agent, true, 10);
    assertThat(registry.agent(agent).state()).isEqualTo(AgentState.DRAINING);
    assertThat(registry.drainChanges()).singleElement().isInstanceOf(RegistryChange.AgentSaved.class);
    // Still heard from, and still reporting its tasks.
    assertThat(registry.heartbeat(agent, 11)).isTrue();
    assertThat(registry.agents()).singleElement().satisfies(a -> assertThat(a.active()).isFalse());

    Registry restored = Registry.restore("M2", registry.snapshot(), 20);
    Registry.Registration again = restored.registerAgent(info, Resources.cpusMem(4, 4096), List.of(), 30);

    assertThat(again.draining()).isTrue();
    assertThat(restored.agent(agent).state()).isEqualTo(AgentState.DRAINING);
    restored.setDraining(agent, false, 40);
    assertThat(restored.agent(agent).state()).isEqualTo(AgentState.ACTIVE);
    assertThatThrownBy(() -> restored.setDraining(AgentId.of("nobody"), true, 50))
        .isInstanceOf(RegistryRejection.class).hasMessageContaining("agent_id");
  }

  @Test
  void aStartingAllocatorLearnsTheConnectedAgentsAndWhatTheirRunningTasksHold() {
    TaskInfo running = launchRunning(AWARE, "a1");
    TaskInfo ended = launchRunning(PLAIN, "p1");
    registry.statusUpdate(new StatusUpdate(PLAIN, TaskStatus.builder(ended.taskId(), TaskState.TASK_FINISHED)
        .agentId(agent).uuid(new byte[] {42}).build(), TaskState.TASK_FINISHED));
    registry.setDraining(agent, true, 5);

    assertThat(registry.knownAgents()).singleElement().satisfies(known -> {
      assertThat(known.info().id()).isEqualTo(agent);
      assertThat(known.draining()).isTrue();
      assertThat(known.tasks()).singleElement().satisfies(t -> {
        assertThat(t.taskId()).isEqualTo(running.taskId());
        assertThat(t.resources()).isEqualTo(TASK);
      });
    });
    // A registry restarted from its store does not vouch for agents until they register again, and holds the kills
    // for their tasks until then.
    Registry restored = Registry.restore("M2", registry.snapshot(), 7);
    assertThat(restored.knownAgents()).isEmpty();
    KillTask kill = new KillTask(AWARE, running.taskId(), null, null);
    assertThat(restored.kill(kill, 7)).isEqualTo(new Registry.KillRoute(null, null));
    assertThat(restored.takeHeldKills(agent)).isEmpty();
    restored.registerAgent(info, Resources.cpusMem(4, 4096), List.of(held(AWARE, running, TaskState.TASK_RUNNING)),
        8);
    assertThat(restored.knownAgents()).hasSize(1);
    assertThat(restored.takeHeldKills(agent)).containsExactly(kill);
    assertThat(restored.takeHeldKills(agent)).isEmpty();
    assertThat(restored.kill(kill, 9).agentId()).isEqualTo(agent);
    // A standby registry that takes over asks the agents that heartbeat to it to register again.
    Registry standby = Registry.restore("M3", registry.snapshot(), 7);
    assertThat(standby.kill(kill, 7)).isEqualTo(new Registry.KillRoute(null, null));
    assertThat(standby.heartbeat(agent, 8)).isFalse();
    assertThat(standby.knownAgents()).isEmpty();
    assertThat(standby.takeHeldKills(agent)).isEmpty();
    standby.registerAgent(info, Resources.cpusMem(4, 4096), List.of(held(AWARE, running, TaskState.TASK_RUNNING)), 9);
    assertThat(standby.heartbeat(agent, 10)).isTrue();
    assertThat(standby.takeHeldKills(agent)).containsExactly(kill);
    registry.markUnreachable(agent, "silent", 10);
    assertThat(registry.knownAgents()).isEmpty();
    // A kill for a task of an unreachable agent waits until it is back.
    assertThat(registry.kill(kill, 11)).isEqualTo(new Registry.KillRoute(null, null));
    assertThat(registry.takeHeldKills(agent)).isEmpty();
    registry.registerAgent(info, Resources.cpusMem(4, 4096), List.of(held(AWARE, running, TaskState.TASK_RUNNING)),
        12);
    assertThat(registry.takeHeldKills(agent)).containsExactly(kill);
  }

  @Test
  void aRestoredRegistryKnowsWhatWasRecordedAndWhatAwaitsAcknowledgement() {
    TaskInfo task = launchRunning(AWARE, "a1");
    registry.frameworkDisconnected(PLAIN, 60_000);

    Registry restored = Registry.restore("M2", registry.snapshot(), 100);

    assertThat(restored.task(AWARE, task.taskId()).state()).isEqualTo(TaskState.TASK_RUNNING);
    assertThat(restored.unacknowledgedUpdates(AWARE)).extracting(TaskStatus::state)
        .containsExactly(TaskState.TASK_RUNNING);
    assertThat(restored.frameworks()).filteredOn(f -> f.info().id().equals(PLAIN)).singleElement()
        .satisfies(f -> assertThat(f.failoverDeadlineMillis()).isEqualTo(60_000L));
    // Restored agents count as heard from at the restore: they have the agent timeout to come back.
    assertThat(restored.silentSince(100)).isEmpty();
    assertThat(restored.silentSince(101)).containsExactly(agent);
  }
}
