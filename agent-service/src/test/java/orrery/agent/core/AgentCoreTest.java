package orrery.agent.core;

import static orrery.agent.core.TestIds.uuid;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import orrery.agent.core.Effect.ForceKill;
import orrery.agent.core.Effect.Ignored;
import orrery.agent.core.Effect.SendStatusUpdate;
import orrery.agent.core.Effect.StartProcess;
import orrery.agent.core.Effect.Terminate;
import orrery.protocol.json.MesosJson;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.CommandInfo;
import orrery.protocol.mesos.Durations.DurationInfo;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.KillPolicy;
import orrery.protocol.mesos.Resource;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskInfo;
import orrery.protocol.mesos.TaskState;
import orrery.protocol.mesos.TaskStatus;
import orrery.protocol.mesos.TaskStatus.Reason;
import orrery.protocol.mesos.TaskStatus.Source;
import orrery.protocol.messages.TaskMessages.Acknowledgement;
import orrery.protocol.messages.TaskMessages.KillTask;
import orrery.protocol.messages.TaskMessages.LaunchTasks;
import orrery.protocol.messages.TaskMessages.StatusUpdate;
import org.junit.jupiter.api.Test;

class AgentCoreTest {

  private static final AgentId AGENT = AgentId.of("agent-1");
  private static final FrameworkId FRAMEWORK = FrameworkId.of("fw-1");
  private static final Path WORK = Path.of("/work");

  private final AgentCore core = new AgentCore(AGENT, new SandboxLayout(WORK), new RetryPolicy(2_000, 60_000),
      new TestIds(), 2);

  private static TaskInfo shell(String id, String command) {
    return TaskInfo.command(id, TaskId.of(id), AGENT, List.of(Resource.scalar("cpus", 0.5)),
        CommandInfo.shell(command));
  }

  private List<Effect> launch(TaskInfo... tasks) {
    return core.launch(new LaunchTasks(FRAMEWORK, AGENT, List.of(tasks)), 1_000);
  }

  private static TaskKey key(String id) {
    return new TaskKey(FRAMEWORK, TaskId.of(id));
  }

  private static List<TaskStatus> sent(List<Effect> effects) {
    return effects.stream().filter(SendStatusUpdate.class::isInstance)
        .map(e -> ((SendStatusUpdate) e).update().status()).toList();
  }

  private List<Effect> ack(String id, int uuid, long now) {
    return core.acknowledge(new Acknowledgement(FRAMEWORK, AGENT, TaskId.of(id), uuid(uuid)), now);
  }

  /** Launches a shell task and takes it to RUNNING with both updates acknowledged; it used uuids 1 and 2. */
  private void running(String id) {
    launch(shell(id, "sleep 60"));
    ack(id, 1, 1_100);
    core.processStarted(key(id), 4242, 1_200);
    ack(id, 2, 1_300);
  }

  @Test
  void launchReportsStartingThenStartsTheCommandInItsSandbox() {
    List<Effect> effects = launch(shell("t1", "echo hello"));

    assertThat(effects).hasSize(3);
    Path sandbox = Path.of("/work/agents/agent-1/frameworks/fw-1/executors/t1/runs/c1");
    // The sandbox and cgroups are made while the task's checkpoint is written; the rest waits for that write.
    Effect.PrepareContainer prepare = (Effect.PrepareContainer) effects.get(0);
    assertThat(prepare.waitsForCheckpoint()).isFalse();
    assertThat(prepare.spec().directory()).isEqualTo(sandbox);
    TaskStatus starting = ((SendStatusUpdate) effects.get(1)).update().status();
    assertThat(starting.state()).isEqualTo(TaskState.TASK_STARTING);
    assertThat(starting.source()).isEqualTo(Source.SOURCE_EXECUTOR);
    assertThat(starting.agentId()).isEqualTo(AGENT);
    assertThat(starting.uuid()).isEqualTo(uuid(1));
    assertThat(starting.timestamp()).isEqualTo(1.0); // 1 000 ms
    assertThat(starting.executorId()).isNull();

    StartProcess start = (StartProcess) effects.get(2);
    assertThat(start.waitsForCheckpoint()).isTrue();
    assertThat(start.task()).isEqualTo(key("t1"));
    assertThat(start.spec().command()).containsExactly("/bin/sh", "-c", "echo hello");
    assertThat(start.spec().directory()).isEqualTo(sandbox);
    assertThat(start.spec().environment()).containsEntry("MESOS_SANDBOX", sandbox.toString())
        .containsEntry("MESOS_TASK_ID", "t1").containsEntry("MESOS_FRAMEWORK_ID", "fw-1")
        .containsEntry("MESOS_AGENT_ID", "agent-1");

    assertThat(core.tasks()).singleElement().satisfies(t -> {
      assertThat(t.state()).isEqualTo(TaskState.TASK_STARTING);
      assertThat(t.directory()).isEqualTo(sandbox);
      assertThat(t.pid()).isNull();
    });
  }

  @Test
  void updatesFollowTheLifecycleOneInFlightAtATime() {
    launch(shell("t1", "true"));
    assertThat(sent(core.processStarted(key("t1"), 77, 1_100))).as("RUNNING waits for STARTING's ack").isEmpty();
    assertThat(sent(core.processExited(key("t1"), 0, 1_200))).isEmpty();
    assertThat(core.tasks()).singleElement().satisfies(t -> {
      assertThat(t.state()).isEqualTo(TaskState.TASK_FINISHED);
      assertThat(t.pid()).isEqualTo(77L);
    });

    List<Effect> afterStarting = ack("t1", 1, 1_300);
    assertThat(afterStarting).singleElement().satisfies(e -> {
      StatusUpdate update = ((SendStatusUpdate) e).update();
      assertThat(update.status().state()).isEqualTo(TaskState.TASK_RUNNING);
      assertThat(update.status().source()).isEqualTo(Source.SOURCE_EXECUTOR);
      assertThat(update.latestState()).isEqualTo(TaskState.TASK_FINISHED);
    });
    TaskStatus finished = sent(ack("t1", 2, 1_400)).get(0);
    assertThat(finished.state()).isEqualTo(TaskState.TASK_FINISHED);
    assertThat(finished.message()).isEqualTo("Command exited with status 0");
    assertThat(finished.timestamp()).isEqualTo(1.2); // when it exited, not when it was sent

    assertThat(ack("t1", 3, 1_500)).isEmpty();
    assertThat(core.tasks()).isEmpty();
    assertThat(core.completedTasks()).singleElement().extracting(TaskView::state).isEqualTo(TaskState.TASK_FINISHED);
  }

  @Test
  void checkpointsFollowEveryChangeAndARestartedCoreTakesTheTasksBack() {
    running("run");                           // STARTING (1) and RUNNING (2) acknowledged
    launch(shell("wait", "sleep 60"));        // STARTING (3) in flight, not acknowledged; never started
    List<AgentCore.CheckpointChange> changes = core.drainCheckpoints();
    assertThat(changes).extracting(c -> c.task().taskId().value()).containsExactly("run", "wait");
    assertThat(core.drainCheckpoints()).as("nothing changed since").isEmpty();
    TaskCheckpoint run = changes.get(0).checkpoint();
    assertThat(run.phase()).isEqualTo("RUNNING");
    assertThat(run.pid()).isEqualTo(4242L);
    assertThat(run.unacknowledged()).isEmpty();
    assertThat(changes.get(1).checkpoint().unacknowledged()).extracting(TaskStatus::uuid).containsExactly(uuid(3));

    // The agent crashes; a new core recovers from the checkpoints at 9 s.
    AgentCore restarted = new AgentCore(AGENT, new SandboxLayout(WORK), new RetryPolicy(2_000, 60_000),
        new TestIds(), 2);
    List<Effect> effects = restarted.recover(changes.stream().map(AgentCore.CheckpointChange::checkpoint).toList(),
        9_000);
    // "run" is re-attached by its pid; "wait" resends its STARTING (same uuid) and fails: its process never started.
    assertThat(effects).filteredOn(Effect.Reattach.class::isInstance).singleElement()
        .isEqualTo(new Effect.Reattach(key("run"), 4242, null, run.containerId(), false));
    assertThat(sent(effects)).singleElement().satisfies(s -> {
      assertThat(s.state()).isEqualTo(TaskState.TASK_STARTING);
      assertThat(s.uuid()).isEqualTo(uuid(3));
    });
    assertThat(restarted.tasks()).extracting(TaskView::state)
        .containsExactly(TaskState.TASK_RUNNING, TaskState.TASK_FAILED);
    // The re-attached process turns out gone without an exit status.
    TaskStatus lost = sent(restarted.processLost(key("run"), 9_100)).get(0);
    assertThat(lost.state()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(lost.reason()).isEqualTo(TaskStatus.Reason.REASON_AGENT_RESTARTED);
  }

  @Test
  void onlyNewTasksAndNewUpdatesHoldTheirEffectsBackUntilWrittenAcknowledgementsDoNot() {
    launch(shell("t1", "true"));
    assertThat(core.drainCheckpoints()).singleElement().satisfies(c -> {
      assertThat(c.gating()).as("the task is on disk before its process starts").isTrue();
      assertThat(c.checkpoint().unacknowledged()).extracting(TaskStatus::uuid).containsExactly(uuid(1));
    });
    core.processStarted(key("t1"), 77, 1_100);
    assertThat(core.drainCheckpoints()).singleElement().satisfies(c -> {
      assertThat(c.gating()).as("RUNNING and the pid are on disk before RUNNING is sent").isTrue();
      assertThat(c.checkpoint().pid()).isEqualTo(77L);
    });

    // Acknowledging STARTING sends RUNNING, which is on disk already: the stale checkpoint holds nothing back.
    assertThat(sent(ack("t1", 1, 1_200))).extracting(TaskStatus::state).containsExactly(TaskState.TASK_RUNNING);
    assertThat(core.drainCheckpoints()).singleElement().satisfies(c -> {
      assertThat(c.gating()).isFalse();
      assertThat(c.checkpoint().unacknowledged()).extracting(TaskStatus::uuid).containsExactly(uuid(2));
    });

    // An acknowledgement and a new update of the same task before the next drain: the update's rule wins.
    ack("t1", 2, 1_300);
    core.processExited(key("t1"), 0, 1_400);
    assertThat(core.drainCheckpoints()).singleElement().extracting(AgentCore.CheckpointChange::gating)
        .isEqualTo(true);

    // The last acknowledgement forgets the task: its checkpoint goes, without holding anything back.
    ack("t1", 3, 1_500);
    assertThat(core.drainCheckpoints()).singleElement().satisfies(c -> {
      assertThat(c.checkpoint()).isNull();
      assertThat(c.gating()).isFalse();
    });
  }

  @Test
  void aContainerLimitationFailsTheTaskWithItsReasonUnlessTheTaskWasBeingKilled() {
    launch(shell("hog", "eat memory"), shell("doomed", "sleep 60"));
    core.processStarted(key("hog"), 1, 1_100);
    core.processStarted(key("doomed"), 2, 1_100);
    core.kill(new orrery.protocol.messages.TaskMessages.KillTask(FRAMEWORK, TaskId.of("doomed"), AGENT, null), 1_150);
    Limitation oom = Limitation.memory(40L << 20, 32L << 20);
    core.processExited(key("hog"), 137, oom, 1_200);
    core.processExited(key("doomed"), 137, oom, 1_200);
    ack("hog", 1, 1_300);                     // STARTING; RUNNING goes out
    TaskStatus hog = sent(ack("hog", 3, 1_400)).get(0);
    assertThat(hog.state()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(hog.reason()).isEqualTo(TaskStatus.Reason.REASON_CONTAINER_LIMITATION_MEMORY);
    assertThat(hog.source()).isEqualTo(Source.SOURCE_AGENT);
    assertThat(hog.message()).isEqualTo("Memory limit exceeded: the container used 40 MB of its 32 MB limit and was "
        + "killed by the OOM killer");
    assertThat(core.tasks()).filteredOn(t -> t.taskId().value().equals("doomed")).singleElement()
        .extracting(TaskView::state).isEqualTo(TaskState.TASK_KILLED);
  }

  @Test
  void aNonZeroExitFailsTheTaskAndASignalIsNamed() {
    launch(shell("three", "exit 3"), shell("term", "kill -TERM $$"));
    core.processStarted(key("three"), 1, 1_100);
    core.processStarted(key("term"), 2, 1_100);
    core.processExited(key("three"), 3, 1_200);
    core.processExited(key("term"), 143, 1_200);
    ack("three", 1, 1_300); // STARTING of "three"; its RUNNING (3) goes out
    ack("term", 2, 1_300);  // STARTING of "term"; its RUNNING (4) goes out
    TaskStatus three = sent(ack("three", 3, 1_400)).get(0);
    assertThat(three.state()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(three.message()).isEqualTo("Command exited with status 3");

    TaskStatus term = sent(ack("term", 4, 1_400)).get(0);
    assertThat(term.state()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(term.message()).isEqualTo("Command terminated with signal SIGTERM");
  }

  @Test
  void aTaskThatCannotStartFailsWithTheCause() {
    launch(shell("t1", "x"));
    core.processFailedToStart(key("t1"), "Cannot run program \"x\": error=2", 1_100);
    TaskStatus failed = sent(ack("t1", 1, 1_200)).get(0);
    assertThat(failed.state()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(failed.source()).isEqualTo(Source.SOURCE_AGENT);
    assertThat(failed.reason()).isEqualTo(Reason.REASON_CONTAINER_LAUNCH_FAILED);
    assertThat(failed.message()).isEqualTo("Failed to launch the command: Cannot run program \"x\": error=2");
  }

  @Test
  void refusesWhatOnlyLaterReleasesOrOtherAgentsRun() throws Exception {
    TaskInfo withExecutor = MesosJson.read("{\"name\":\"e\",\"task_id\":{\"value\":\"e\"},"
        + "\"agent_id\":{\"value\":\"agent-1\"},\"executor\":{\"executor_id\":{\"value\":\"x\"}}}", TaskInfo.class);
    TaskInfo withContainer = MesosJson.read("{\"name\":\"c\",\"task_id\":{\"value\":\"c\"},"
        + "\"agent_id\":{\"value\":\"agent-1\"},\"command\":{\"value\":\"true\"},"
        + "\"container\":{\"type\":\"DOCKER\",\"docker\":{\"image\":\"busybox\"}}}", TaskInfo.class);
    TaskInfo noCommand = TaskInfo.command("n", TaskId.of("n"), AGENT, List.of(), null);

    List<Effect> effects = launch(withExecutor, withContainer, noCommand);

    assertThat(effects).allMatch(SendStatusUpdate.class::isInstance).hasSize(3);
    assertThat(sent(effects)).allSatisfy(s -> {
      assertThat(s.state()).isEqualTo(TaskState.TASK_FAILED);
      assertThat(s.source()).isEqualTo(Source.SOURCE_AGENT);
      assertThat(s.reason()).isEqualTo(Reason.REASON_CONTAINER_LAUNCH_FAILED);
    });
    assertThat(sent(effects)).extracting(TaskStatus::message).satisfiesExactly(
        m -> assertThat(m).contains("custom executors"),
        m -> assertThat(m).contains("Docker is not available on this agent"),
        m -> assertThat(m).contains("no command"));
    // Refused tasks are held until their update is acknowledged, like any other.
    assertThat(core.tasks()).extracting(TaskView::state).containsOnly(TaskState.TASK_FAILED);
    assertThat(core.tasks()).extracting(TaskView::directory).as("no sandbox for what never ran").containsOnlyNulls();
    ack("e", 1, 2_000);
    assertThat(core.tasks()).hasSize(2);
  }

  @Test
  void refusesIdsThatWouldLeaveTheSandboxLayout() {
    List<Effect> effects = launch(shell("../../etc", "true"));
    assertThat(sent(effects)).singleElement().satisfies(s -> {
      assertThat(s.state()).isEqualTo(TaskState.TASK_FAILED);
      assertThat(s.reason()).isEqualTo(Reason.REASON_TASK_INVALID);
      assertThat(s.message()).contains("task id '../../etc'");
    });
    assertThat(core.tasks()).singleElement().extracting(TaskView::directory).isNull();
  }

  @Test
  void aDuplicateLaunchIsRefusedWithoutDisturbingTheRunningTask() {
    running("t1");
    List<Effect> effects = launch(shell("t1", "echo again"));

    assertThat(effects).singleElement().isInstanceOf(SendStatusUpdate.class);
    StatusUpdate refusal = ((SendStatusUpdate) effects.get(0)).update();
    assertThat(refusal.status().state()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(refusal.status().message()).contains("already TASK_RUNNING");
    assertThat(refusal.latestState()).as("the running task's own state").isEqualTo(TaskState.TASK_RUNNING);
    assertThat(core.tasks()).singleElement().extracting(TaskView::state).isEqualTo(TaskState.TASK_RUNNING);
    assertThat(core.nextRetryAt()).as("the refusal is not retried").isEmpty();
  }

  @Test
  void killSendsKillingAndSigtermWithTheKillsGracePeriodOverTheTasks() {
    TaskInfo task = shell("t1", "sleep 60").withKillPolicy(new KillPolicy(DurationInfo.ofMillis(10_000)));
    launch(task);
    ack("t1", 1, 1_100);
    core.processStarted(key("t1"), 4242, 1_200);
    ack("t1", 2, 1_300);

    List<Effect> effects = core.kill(new KillTask(FRAMEWORK, TaskId.of("t1"), AGENT,
        new KillPolicy(DurationInfo.ofMillis(500))), 2_000);

    assertThat(sent(effects)).singleElement().extracting(TaskStatus::state).isEqualTo(TaskState.TASK_KILLING);
    assertThat(effects.get(1)).isEqualTo(new Terminate(key("t1"), 500));
    assertThat(core.kill(new KillTask(FRAMEWORK, TaskId.of("t1"), AGENT, null), 2_100))
        .singleElement().isInstanceOf(Ignored.class);

    core.processExited(key("t1"), 137, 2_600);
    ack("t1", 3, 2_700);
    assertThat(core.tasks()).singleElement().extracting(TaskView::state).isEqualTo(TaskState.TASK_KILLED);
  }

  @Test
  void theKilledTasksUpdateSaysHowItDied() {
    running("t1");
    core.kill(new KillTask(FRAMEWORK, TaskId.of("t1"), AGENT, null), 2_000);
    core.processExited(key("t1"), 143, 2_100);
    TaskStatus killed = sent(ack("t1", 3, 2_200)).get(0);
    assertThat(killed.state()).isEqualTo(TaskState.TASK_KILLED);
    assertThat(killed.source()).isEqualTo(Source.SOURCE_EXECUTOR);
    assertThat(killed.message()).isEqualTo("Command terminated with signal SIGTERM");
  }

  @Test
  void gracePeriodComesFromTheKillThenTheTaskThenTheDefault() {
    KillPolicy none = new KillPolicy(null);
    KillPolicy one = new KillPolicy(DurationInfo.ofMillis(1_000));
    KillPolicy two = new KillPolicy(DurationInfo.ofMillis(2_000));
    assertThat(KillPolicies.gracePeriodMillis(one, two)).isEqualTo(1_000);
    assertThat(KillPolicies.gracePeriodMillis(null, two)).isEqualTo(2_000);
    assertThat(KillPolicies.gracePeriodMillis(none, two)).isEqualTo(2_000);
    assertThat(KillPolicies.gracePeriodMillis(none, none)).isEqualTo(3_000);
    assertThat(KillPolicies.gracePeriodMillis(null, null)).isEqualTo(KillPolicy.DEFAULT_GRACE_PERIOD_MILLIS);
  }

  @Test
  void aTaskKilledBeforeItsProcessStartsIsKilledAtOnceAndItsProcessNeverRuns() {
    launch(shell("t1", "sleep 60"));
    List<Effect> effects = core.kill(new KillTask(FRAMEWORK, TaskId.of("t1"), AGENT, null), 1_050);
    assertThat(effects).as("KILLED queued behind STARTING; the start called off")
        .containsExactly(new ForceKill(key("t1")));

    TaskStatus killed = sent(ack("t1", 1, 1_100)).get(0);
    assertThat(killed.state()).isEqualTo(TaskState.TASK_KILLED);
    assertThat(killed.reason()).isEqualTo(Reason.REASON_TASK_KILLED_DURING_LAUNCH);
    assertThat(killed.source()).isEqualTo(Source.SOURCE_AGENT);

    // Had the start been too far along to call off, the process dies as soon as it exists, and nobody hears of it.
    assertThat(core.processStarted(key("t1"), 99, 1_200)).first().isEqualTo(new ForceKill(key("t1")));
    assertThat(sent(core.processExited(key("t1"), 137, 1_300))).isEmpty();
    ack("t1", 2, 1_400);
    assertThat(core.processStarted(key("t1"), 99, 1_500)).as("even once forgotten").first()
        .isEqualTo(new ForceKill(key("t1")));
  }

  @Test
  void aStartThatWasCalledOffIsNotReported() {
    launch(shell("t1", "sleep 60"));
    core.kill(new KillTask(FRAMEWORK, TaskId.of("t1"), AGENT, null), 1_050);
    assertThat(core.processFailedToStart(key("t1"), "the task was killed before its process started", 1_100))
        .singleElement().isInstanceOf(Ignored.class);
    assertThat(sent(ack("t1", 1, 1_200))).extracting(TaskStatus::state).containsExactly(TaskState.TASK_KILLED);
  }

  @Test
  void killingWhatIsNotRunningIsIgnored() {
    assertThat(core.kill(new KillTask(FRAMEWORK, TaskId.of("nope"), AGENT, null), 0))
        .singleElement().isInstanceOf(Ignored.class);
    running("t1");
    core.processExited(key("t1"), 0, 2_000);
    assertThat(core.kill(new KillTask(FRAMEWORK, TaskId.of("t1"), AGENT, null), 2_100))
        .singleElement().isInstanceOfSatisfying(Ignored.class,
            i -> assertThat(i.reason()).contains("already TASK_FINISHED"));
  }

  @Test
  void anAcknowledgementForAnotherUpdateIsIgnored() {
    launch(shell("t1", "true"));
    assertThat(ack("t1", 7, 1_100)).singleElement().isInstanceOfSatisfying(Ignored.class,
        i -> assertThat(i.reason()).contains("does not match the update in flight"));
    assertThat(ack("other", 1, 1_100)).singleElement().isInstanceOf(Ignored.class);
    assertThat(core.nextRetryAt()).isEqualTo(OptionalLong.of(3_000)); // STARTING still in flight: sent at 1 s
  }

  @Test
  void retriesAreDueAcrossTasksAtTheirOwnInstants() {
    core.launch(new LaunchTasks(FRAMEWORK, AGENT, List.of(shell("a", "true"))), 0);
    core.launch(new LaunchTasks(FRAMEWORK, AGENT, List.of(shell("b", "true"))), 500);
    assertThat(core.nextRetryAt()).isEqualTo(OptionalLong.of(2_000));   // a: 0 + 2 s
    assertThat(sent(core.retryDue(2_000))).extracting(s -> s.taskId().value()).containsExactly("a");
    assertThat(core.nextRetryAt()).isEqualTo(OptionalLong.of(2_500));   // b: 0.5 + 2 s; a now at 2 + 4 = 6 s
    assertThat(sent(core.retryDue(2_500))).extracting(s -> s.taskId().value()).containsExactly("b");
    assertThat(core.nextRetryAt()).isEqualTo(OptionalLong.of(6_000));
    assertThat(core.retryDue(5_999)).isEmpty();
  }

  @Test
  void shutdownOfAFrameworkKillsItsTasksAndSendsTheirUpdatesOnceWithoutWaiting() {
    running("t1");
    launch(shell("t2", "true")); // STARTING (uuid 3) in flight, never acknowledged
    core.launch(new LaunchTasks(FrameworkId.of("other"), AGENT, List.of(shell("t3", "true"))), 1_000);

    List<Effect> effects = core.shutdownFramework(FRAMEWORK, 5_000);

    assertThat(effects).filteredOn(SendStatusUpdate.class::isInstance).hasSize(2);
    assertThat(sent(effects)).extracting(TaskStatus::taskId, TaskStatus::state).containsExactly(
        org.assertj.core.groups.Tuple.tuple(TaskId.of("t1"), TaskState.TASK_KILLING),
        org.assertj.core.groups.Tuple.tuple(TaskId.of("t2"), TaskState.TASK_KILLED));
    assertThat(effects).contains(new Terminate(key("t1"), KillPolicy.DEFAULT_GRACE_PERIOD_MILLIS));
    assertThat(core.tasks()).extracting(t -> t.taskId().value()).containsExactly("t1", "t3");

    assertThat(sent(core.processExited(key("t1"), 143, 5_100))).singleElement()
        .extracting(TaskStatus::state).isEqualTo(TaskState.TASK_KILLED);
    assertThat(core.tasks()).extracting(t -> t.taskId().value()).as("forgotten without acks").containsExactly("t3");
    assertThat(sent(core.retryDue(1_000_000))).extracting(s -> s.taskId().value()).containsExactly("t3");
  }

  @Test
  void remembersOnlyTheNewestCompletedTasks() { // this core keeps 2
    running("a");
    core.processExited(key("a"), 0, 2_000);
    ack("a", 3, 2_100);
    int uuid = 4;
    for (String id : List.of("b", "c")) {
      launch(shell(id, "x"));
      core.processFailedToStart(key(id), "no", 2_200);
      ack(id, uuid, 2_300);
      ack(id, uuid + 1, 2_400);
      uuid += 2;
    }
    assertThat(core.tasks()).isEmpty();
    assertThat(core.completedTasks()).extracting(t -> t.taskId().value()).containsExactly("b", "c");
  }
}
