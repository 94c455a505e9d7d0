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
import orrery.protocol.messages.AllocatorMessages.RecoverResources;
import orrery.protocol.messages.TaskMessages.Acknowledgement;
import orrery.protocol.messages.TaskMessages.KillTask;
import orrery.protocol.messages.TaskMessages.LaunchTasks;
import orrery.protocol.messages.TaskMessages.ReconcileTasks;
import orrery.protocol.messages.TaskMessages.StatusUpdate;
import orrery.protocol.resources.Resources;
import orrery.protocol.scheduler.Call;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RegistryTest {

  private static final FrameworkId F = FrameworkId.of("F");
  private final Registry registry = new Registry("M");
  private AgentId agent;

  @BeforeEach
  void setUp() {
    agent = registry.registerAgent(new AgentInfo("node", 5051, null, null, null, null), Resources.cpusMem(4, 4096),
        List.of(), 0).agentId();
    registry.frameworkSubscribed(FrameworkInfo.of("u", "f").withId(F));
  }

  private TaskInfo launch(String id) {
    TaskInfo task = TaskInfo.command(id, TaskId.of(id), agent, Resources.cpusMem(1, 128).toList("web"),
        CommandInfo.shell("true"));
    registry.launch(new LaunchTasks(F, agent, List.of(task)), 0);
    return task;
  }

  private static StatusUpdate update(TaskInfo task, TaskState state, int uuid, TaskState latest) {
    return new StatusUpdate(F, TaskStatus.builder(task.taskId(), state).agentId(task.agentId())
        .uuid(new byte[] {(byte) uuid}).build(), latest);
  }

  @Test
  void aLaunchAskedAgainIsRecordedOnceAndAnotherTaskUnderTheSameIdIsRefused() {
    TaskInfo task = launch("t");
    registry.drainChanges();

    assertThat(registry.launch(new LaunchTasks(F, agent, List.of(task)), 1)).isFalse();
    assertThat(registry.drainChanges()).isEmpty();
    TaskInfo other = TaskInfo.command("other", TaskId.of("t"), agent, Resources.cpusMem(1, 128).toList("web"),
        CommandInfo.shell("sleep 1"));
    assertThatThrownBy(() -> registry.launch(new LaunchTasks(F, agent, List.of(other)), 2))
        .isInstanceOf(RegistryRejection.class).hasMessageContaining("already in use");
    // Once it ended, the same task may be launched again.
    registry.statusUpdate(update(task, TaskState.TASK_FINISHED, 1, TaskState.TASK_FINISHED));
    assertThat(registry.launch(new LaunchTasks(F, agent, List.of(task)), 3)).isTrue();
  }

  @Test
  void agentsGetIdsUnderTheMasterAndKeepThemWhenTheyComeBack() {
    assertThat(agent.value()).isEqualTo("M-S0");
    AgentId again = registry.registerAgent(new AgentInfo("node", 5051, null, null, agent, null),
        Resources.cpusMem(4, 4096), List.of(), 5).agentId();
    assertThat(again).isEqualTo(agent);
    assertThat(registry.agents()).hasSize(1);
  }

  @Test
  void launchRecordsStagingAndRefusesTaskIdsInUse() {
    TaskInfo task = launch("t1");
    assertThat(registry.task(F, task.taskId()).state()).isEqualTo(TaskState.TASK_STAGING);
    assertThat(registry.task(F, task.taskId()).role()).isEqualTo("web");
    TaskInfo another = TaskInfo.command("t1", TaskId.of("t1"), agent, Resources.cpusMem(2, 128).toList("web"),
        CommandInfo.shell("true"));
    assertThatThrownBy(() -> registry.launch(new LaunchTasks(F, agent, List.of(another)), 0))
        .isInstanceOf(RegistryRejection.class).hasMessageContaining("in use");
    List<RegistryChange> changes = registry.drainChanges();
    assertThat(changes).hasAtLeastOneElementOfType(RegistryChange.TaskSaved.class);
    assertThat(registry.drainChanges()).isEmpty();
  }

  @Test
  void updatesAreForwardedAndTheEndFreesResourcesOnce() {
    TaskInfo task = launch("t1");
    Registry.UpdateOutcome running = registry.statusUpdate(update(task, TaskState.TASK_RUNNING, 1,
        TaskState.TASK_RUNNING));
    assertThat(running.forward().state()).isEqualTo(TaskState.TASK_RUNNING);
    assertThat(running.recover()).isNull();

    Registry.UpdateOutcome finished = registry.statusUpdate(update(task, TaskState.TASK_FINISHED, 2,
        TaskState.TASK_FINISHED));
    assertThat(finished.recover()).isEqualTo(new RecoverResources(F, "web", agent, Resources.cpusMem(1, 128), null));

    // The agent resends the same update (no ack yet): forwarded again, but nothing freed twice.
    Registry.UpdateOutcome resent = registry.statusUpdate(update(task, TaskState.TASK_FINISHED, 2,
        TaskState.TASK_FINISHED));
    assertThat(resent.duplicate()).isTrue();
    assertThat(resent.forward()).isNotNull();
    assertThat(resent.recover()).isNull();
    // STAGING (recorded at launch), RUNNING, FINISHED: the duplicate is not recorded again.
    assertThat(registry.task(F, task.taskId()).history()).extracting(TaskStatus::state)
        .containsExactly(TaskState.TASK_STAGING, TaskState.TASK_RUNNING, TaskState.TASK_FINISHED);
  }

  @Test
  void anUpdateSentAgainAfterItsAcknowledgementIsAcknowledgedAgainAndNotForwarded() {
    TaskInfo task = launch("t1");
    registry.statusUpdate(update(task, TaskState.TASK_STARTING, 1, TaskState.TASK_STARTING));
    registry.acknowledge(new Acknowledgement(F, agent, task.taskId(), new byte[] {1}));
    registry.statusUpdate(update(task, TaskState.TASK_RUNNING, 2, TaskState.TASK_RUNNING));
    registry.drainChanges();

    // The agent crashed before it recorded the first acknowledgement: it sends STARTING again.
    Registry.UpdateOutcome again = registry.statusUpdate(update(task, TaskState.TASK_STARTING, 1,
        TaskState.TASK_STARTING));

    assertThat(again.forward()).isNull();
    assertThat(again.autoAcknowledge().uuid()).containsExactly(1);
    assertThat(again.duplicate()).isTrue();
    assertThat(registry.drainChanges()).isEmpty();
    assertThat(registry.task(F, task.taskId()).state()).isEqualTo(TaskState.TASK_RUNNING);
  }

  @Test
  void latestStateAheadOfTheUpdateFreesResourcesEarly() {
    TaskInfo task = launch("t1");
    Registry.UpdateOutcome outcome = registry.statusUpdate(update(task, TaskState.TASK_RUNNING, 1,
        TaskState.TASK_FINISHED));
    assertThat(outcome.recover()).isNotNull();
    assertThat(registry.task(F, task.taskId()).state()).isEqualTo(TaskState.TASK_FINISHED);
  }

  @Test
  void updatesFromTheWrongAgentOrForUnknownTasksAreRefused() {
    TaskInfo task = launch("t1");
    StatusUpdate foreign = new StatusUpdate(F, TaskStatus.builder(task.taskId(), TaskState.TASK_FAILED)
        .agentId(AgentId.of("elsewhere")).uuid(new byte[] {9}).build(), TaskState.TASK_FAILED);
    assertThatThrownBy(() -> registry.statusUpdate(foreign)).hasMessageContaining("does not run it");
    StatusUpdate unknown = new StatusUpdate(F, TaskStatus.builder(TaskId.of("ghost"), TaskState.TASK_RUNNING)
        .agentId(agent).uuid(new byte[] {9}).build(), TaskState.TASK_RUNNING);
    assertThatThrownBy(() -> registry.statusUpdate(unknown)).hasMessageContaining("unknown task");
    assertThat(registry.task(F, task.taskId()).state()).isEqualTo(TaskState.TASK_STAGING);
  }

  @Test
  void acknowledgementsMustNameAnUpdateThatWasSent() {
    TaskInfo task = launch("t1");
    registry.statusUpdate(update(task, TaskState.TASK_RUNNING, 1, TaskState.TASK_RUNNING));
    assertThat(registry.task(F, task.taskId()).unacknowledged()).hasSize(1);
    Acknowledgement ack = new Acknowledgement(F, agent, task.taskId(), new byte[] {1});
    assertThat(registry.acknowledge(ack)).isEqualTo(ack);
    assertThat(registry.task(F, task.taskId()).unacknowledged()).isEmpty();
    assertThatThrownBy(() -> registry.acknowledge(new Acknowledgement(F, agent, task.taskId(), new byte[] {7})))
        .hasMessageContaining("which no status update of that task carried");
  }

  @Test
  void updatesOfARemovedFrameworkAreAcknowledgedForIt() {
    TaskInfo task = launch("t1");
    assertThat(registry.frameworkRemoved(F)).containsExactly(agent);
    Registry.UpdateOutcome outcome = registry.statusUpdate(update(task, TaskState.TASK_KILLED, 3,
        TaskState.TASK_KILLED));
    assertThat(outcome.forward()).isNull();
    assertThat(outcome.autoAcknowledge().uuid()).containsExactly(3);
  }

  @Test
  void anAgentThatLeavesLosesItsTasks() {
    TaskInfo task = launch("t1");
    List<Notice> notices = registry.removeAgent(agent, "gone", 10);
    assertThat(notices).hasSize(1);
    TaskStatus lost = notices.get(0).status();
    assertThat(lost.state()).isEqualTo(TaskState.TASK_LOST);
    assertThat(lost.reason()).isEqualTo(TaskStatus.Reason.REASON_AGENT_REMOVED);
    assertThat(lost.uuid()).isNull();
    assertThat(registry.task(F, task.taskId()).state()).isEqualTo(TaskState.TASK_LOST);
    assertThat(registry.heartbeat(agent, 11)).isFalse();
  }

  @Test
  void silentAgentsAreFound() {
    registry.heartbeat(agent, 1_000);
    assertThat(registry.silentSince(1_000)).isEmpty();
    assertThat(registry.silentSince(1_001)).containsExactly(agent);
  }

  @Test
  void killRoutesToTheAgentOrAnswersForUnknownTasks() {
    TaskInfo task = launch("t1");
    assertThat(registry.kill(new KillTask(F, task.taskId(), null, null), 0).agentId()).isEqualTo(agent);
    Registry.KillRoute unknown = registry.kill(new KillTask(F, TaskId.of("ghost"), null, null), 0);
    assertThat(unknown.agentId()).isNull();
    assertThat(unknown.unknown().status().state()).isEqualTo(TaskState.TASK_LOST);
    assertThat(unknown.unknown().status().reason()).isEqualTo(TaskStatus.Reason.REASON_RECONCILIATION);
  }

  @Test
  void reconcilingAnotherFrameworksTaskIsRefused() {
    TaskInfo task = launch("t1");
    FrameworkId other = FrameworkId.of("other");
    registry.frameworkSubscribed(FrameworkInfo.of("u", "other").withId(other));
    registry.drainChanges();

    assertThatThrownBy(() -> registry.reconcile(new ReconcileTasks(other, false,
        List.of(new Call.Reconcile.Task(task.taskId(), null))), 0))
        .isInstanceOf(RegistryRejection.class).hasMessageContaining("another framework");
    assertThat(registry.drainChanges()).isEmpty();
    // Its own unknown ids are answered as unknown, as before.
    assertThat(registry.reconcile(new ReconcileTasks(other, false,
        List.of(new Call.Reconcile.Task(TaskId.of("mine"), null))), 0)).singleElement()
        .satisfies(s -> assertThat(s.state()).isEqualTo(TaskState.TASK_LOST));
  }

  @Test
  void reconcileAnswersLatestStatesAndUnknowns() {
    TaskInfo task = launch("t1");
    registry.statusUpdate(update(task, TaskState.TASK_RUNNING, 1, TaskState.TASK_RUNNING));
    List<TaskStatus> all = registry.reconcile(new ReconcileTasks(F, false, List.of()), 0);
    assertThat(all).extracting(TaskStatus::state).containsExactly(TaskState.TASK_RUNNING);
    List<TaskStatus> named = registry.reconcile(new ReconcileTasks(F, true, List.of(
        new Call.Reconcile.Task(task.taskId(), null), new Call.Reconcile.Task(TaskId.of("ghost"), agent),
        new Call.Reconcile.Task(TaskId.of("phantom"), null))), 0);
    // known: RUNNING; unknown on a registered agent: GONE; unknown anywhere: UNKNOWN (framework F is not
    // PARTITION_AWARE, so both unknowns read TASK_LOST)
    assertThat(named).extracting(TaskStatus::state)
        .containsExactly(TaskState.TASK_RUNNING, TaskState.TASK_LOST, TaskState.TASK_LOST);
    assertThat(named).allSatisfy(s -> assertThat(s.reason()).isEqualTo(TaskStatus.Reason.REASON_RECONCILIATION));
  }
}
