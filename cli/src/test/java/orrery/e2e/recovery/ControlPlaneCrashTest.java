package orrery.e2e.recovery;

import static orrery.e2e.recovery.RecoveringFramework.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import orrery.protocol.mesos.FrameworkInfo;
import orrery.protocol.mesos.Offer;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskInfo;
import orrery.protocol.mesos.TaskState;
import orrery.protocol.mesos.TaskStatus;
import orrery.protocol.resources.Resources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole control plane killed with SIGKILL in the middle of a run and started again on the same work dir: the
 * registry reloads from its store, the agent recovers its tasks and registers again with them, the framework
 * subscribes again under its id, and nothing is lost or run twice.
 */
class ControlPlaneCrashTest {

  static final String RESOURCES = "cpus:4;mem:4096;disk:4096;ports:[31000-31099]";

  @TempDir
  Path dir;

  private final Vertx clients = Vertx.vertx();
  private StandaloneProcess cluster;

  @AfterEach
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close(); // its agent kills what still runs
    }
    await(clients.close());
  }

  @Test
  void aKilledStandaloneComesBackWithEveryTaskKnownAndNoneLaunchedTwice() throws Exception {
    Path runs = dir.resolve("runs.log");
    cluster = StandaloneProcess.start(dir.resolve("work"), RESOURCES);
    RecoveringFramework framework = new RecoveringFramework(clients, cluster.httpPort,
        FrameworkInfo.of("tester", "crash").withFailoverTimeout(3600));
    framework.subscribe();
    Offer offer = framework.nextOffer(30);
    assertThat(offer).as("an offer before the crash").isNotNull();
    List<TaskInfo> longRunning = new ArrayList<>();
    List<TaskInfo> shortLived = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      longRunning.add(task(offer, "long-" + i, "echo long-" + i + " >> " + runs + "; exec sleep 600"));
    }
    for (int i = 0; i < 3; i++) {
      // They end while the control plane is down: the agent must learn how when it recovers.
      shortLived.add(task(offer, "short-" + i, "echo short-" + i + " >> " + runs + "; sleep 3"));
    }
    List<TaskInfo> all = new ArrayList<>(longRunning);
    all.addAll(shortLived);
    await(framework.launch(offer, all));
    for (TaskInfo task : all) {
      framework.awaitState(task.taskId(), TaskState.TASK_RUNNING, 60);
    }
    // And one through the REST API, whose built-in framework must know it again after the restart.
    RestTasks rest = new RestTasks(cluster.gateway());
    String restTask = rest.launch("exec sleep 600");
    rest.awaitState(restTask, "TASK_RUNNING");

    cluster.kill();
    Thread.sleep(4_000);
    cluster.startAgain();
    framework.subscribe();

    for (TaskInfo task : shortLived) {
      framework.awaitState(task.taskId(), TaskState.TASK_FINISHED, 90);
    }
    await(framework.reconcile(List.of()));
    for (TaskInfo task : longRunning) {
      awaitReconciled(framework, task.taskId(), TaskState.TASK_RUNNING);
    }
    JsonObject restAfter = rest.awaitState(restTask, "TASK_RUNNING");
    assertThat(restAfter.getString("cmd")).isEqualTo("exec sleep 600");
    // The allocator charged the tasks that still run from the start: it offers only what they leave free.
    Offer after = framework.nextOffer(30);
    assertThat(after).as("an offer after the restart").isNotNull();
    assertThat(Resources.of(after.resources()).scalar("cpus")).isLessThanOrEqualTo(4 - 4 * 0.25 - 0.1);
    assertRanOnce(runs, all.stream().map(t -> t.taskId().value()).toList());
    framework.allUpdates().forEach(ControlPlaneCrashTest::assertAgentUpdatesInOrder);

    for (TaskInfo task : longRunning) {
      await(framework.kill(task.taskId()));
      framework.awaitState(task.taskId(), TaskState.TASK_KILLED, 60);
    }
    await(framework.teardown());
    assertThat(rest.kill(restTask)).isEqualTo(202);
    rest.awaitState(restTask, "TASK_KILLED");
  }

  static TaskInfo task(Offer offer, String id, String command) {
    return TaskInfo.command(id, TaskId.of(id), offer.agentId(),
        Resources.cpusMem(0.25, 32).toList(offer.allocationInfo().role()),
        orrery.protocol.mesos.CommandInfo.shell(command));
  }

  private static void awaitReconciled(RecoveringFramework framework, TaskId task, TaskState state)
      throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (framework.updatesOf(task).stream().anyMatch(s -> s.reason() == TaskStatus.Reason.REASON_RECONCILIATION
          && s.state() == state)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no reconciliation answer " + state + " for " + task + ": " + framework.updatesOf(task));
  }

  /** Each task wrote its id once when it started: more would mean it was launched twice. */
  static void assertRanOnce(Path runs, List<String> expected) throws Exception {
    Map<String, Long> started = Files.readAllLines(runs).stream()
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    assertThat(started.values()).as("starts per task: %s", started).allMatch(count -> count == 1);
    assertThat(started.keySet()).containsExactlyInAnyOrderElementsOf(expected);
  }

  /**
   * The updates an agent sent for a task came in the order they happened (duplicates allowed: delivery is at least
   * once). The master's own statuses (reconciliation answers, unreachable) are not part of that order.
   */
  static void assertAgentUpdatesInOrder(TaskId task, List<TaskStatus> updates) {
    int rank = 0;
    for (TaskStatus status : updates) {
      if (status.source() == TaskStatus.Source.SOURCE_MASTER) {
        continue;
      }
      int next = rank(status.state());
      assertThat(next).as("%s of %s after %s", status.state(), task, updates.stream().map(TaskStatus::state)
          .toList()).isGreaterThanOrEqualTo(rank);
      rank = next;
    }
  }

  private static int rank(TaskState state) {
    return switch (state) {
      case TASK_STAGING -> 0;
      case TASK_STARTING -> 1;
      case TASK_RUNNING -> 2;
      case TASK_KILLING -> 3;
      default -> state.isTerminal() ? 4 : 2;
    };
  }
}
