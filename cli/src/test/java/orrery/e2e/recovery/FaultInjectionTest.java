package orrery.e2e.recovery;

import static orrery.e2e.recovery.RecoveringFramework.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import orrery.protocol.mesos.FrameworkInfo;
import orrery.protocol.mesos.Offer;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskInfo;
import orrery.protocol.mesos.TaskState;
import orrery.protocol.mesos.TaskStatus;
import orrery.protocol.resources.Resources;
import orrery.protocol.scheduler.Call;
import orrery.registry.core.RegistrySnapshot;
import orrery.registry.core.TaskRecord;
import orrery.registry.store.RegistryStore;
import orrery.registry.store.RegistryStoreSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hundreds of tasks start, run and end while the control plane (registry included) is killed with SIGKILL again
 * and again at random moments. The framework behaves as a real one: it acknowledges every update, subscribes again
 * under its id, reconciles what it has not heard of, and launches anew (under a new id) what was lost. Afterwards
 * the durable registry is read directly: every task's history is complete and in order, every update the framework
 * received is in it, and no task ran twice.
 */
class FaultInjectionTest {

  private static final int TASKS = 300;
  private static final int KILLS = 8;
  private static final long SEED = 20261125L;
  private static final long DEADLINE_SECONDS = 300;
  // At most 40 at once on the agent's 4 cpus, so that the run spans every kill.
  private static final Resources TASK = Resources.cpusMem(0.1, 16);

  @TempDir
  Path dir;

  private final Vertx clients = Vertx.vertx();
  private StandaloneProcess cluster;

  /** One task the framework wants done; it may take several attempts (task ids) when one is lost. */
  private static final class Wanted {
    final int number;
    final List<TaskId> attempts = new ArrayList<>();
    long launchedAtNanos;
    boolean done;

    Wanted(int number) {
      this.number = number;
    }

    TaskId current() {
      return attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
    }
  }

  @AfterEach
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    await(clients.close());
  }

  @Test
  void killingTheControlPlaneAtRandomLosesNoUpdateAndRunsNoTaskTwice() throws Exception {
    SplittableRandom random = new SplittableRandom(SEED);
    Path runs = dir.resolve("runs.log");
    Path workDir = dir.resolve("work");
    cluster = StandaloneProcess.start(workDir, ControlPlaneCrashTest.RESOURCES);
    RecoveringFramework framework = new RecoveringFramework(clients, cluster.httpPort,
        FrameworkInfo.of("tester", "fault-injection").withFailoverTimeout(3600));
    framework.subscribe();

    List<Wanted> wanted = new ArrayList<>();
    Deque<Wanted> toLaunch = new ArrayDeque<>();
    for (int i = 0; i < TASKS; i++) {
      Wanted w = new Wanted(i);
      wanted.add(w);
      toLaunch.add(w);
    }
    int kills = 0;
    int killsWhileBusy = 0;
    long start = System.nanoTime();
    long nextKill = start + millis(1_500 + random.nextInt(2_500));
    long nextReconcile = start;
    while (wanted.stream().anyMatch(w -> !w.done) || kills < KILLS) {
      assertThat(System.nanoTime() - start).as("all tasks done within %s s", DEADLINE_SECONDS)
          .isLessThan(TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS));
      if (kills < KILLS && System.nanoTime() >= nextKill) {
        if (wanted.stream().anyMatch(w -> !w.done)) {
          killsWhileBusy++;
        }
        cluster.kill();
        kills++;
        Thread.sleep(200 + random.nextInt(1_500));
        cluster.startAgain();
        framework.subscribe();
        nextKill = System.nanoTime() + millis(1_500 + random.nextInt(3_000));
        nextReconcile = System.nanoTime();
      }
      settle(framework, wanted, toLaunch);
      if (System.nanoTime() >= nextReconcile) {
        reconcileSilent(framework, wanted);
        nextReconcile = System.nanoTime() + millis(3_000);
      }
      Offer offer = framework.nextOffer(1);
      if (offer != null) {
        launchFrom(offer, framework, toLaunch, runs, random);
      }
    }
    assertThat(kills).isEqualTo(KILLS);
    assertThat(killsWhileBusy).as("kills while tasks were still to do").isGreaterThanOrEqualTo(6);
    long relaunched = wanted.stream().mapToInt(w -> w.attempts.size() - 1).sum();
    System.out.printf("fault injection: %d tasks, %d kills (%d while busy), %d attempt(s) lost and launched again%n",
        TASKS, kills, killsWhileBusy, relaunched);

    Map<TaskId, List<TaskStatus>> received = framework.allUpdates();
    List<TaskId> attempts = wanted.stream().flatMap(w -> w.attempts.stream()).toList();
    assertStartedAtMostOnce(runs, attempts);
    received.forEach(ControlPlaneCrashTest::assertAgentUpdatesInOrder);

    cluster.close();
    cluster = null;
    RegistrySnapshot stored;
    try (RegistryStore store = RegistryStoreSettings.embedded(workDir).open()) {
      stored = store.load().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
    Map<TaskId, TaskRecord> byId = new LinkedHashMap<>();
    stored.tasks().stream().filter(t -> t.frameworkId().equals(framework.id()))
        .forEach(t -> byId.put(t.taskId(), t));
    for (Wanted w : wanted) {
      TaskRecord finished = byId.get(w.current());
      assertThat(finished).as("task %s is recorded", w.current()).isNotNull();
      assertThat(finished.state()).isEqualTo(TaskState.TASK_FINISHED);
    }
    for (Map.Entry<TaskId, List<TaskStatus>> entry : received.entrySet()) {
      TaskRecord record = byId.get(entry.getKey());
      if (record == null && entry.getValue().stream().allMatch(s -> s.uuid() == null)) {
        // An ACCEPT lost with the master: the framework heard of the task only from reconciliation, as unknown.
        assertThat(entry.getValue()).allSatisfy(s -> {
          assertThat(s.state()).isEqualTo(TaskState.TASK_LOST);
          assertThat(s.reason()).isEqualTo(TaskStatus.Reason.REASON_RECONCILIATION);
        });
        continue;
      }
      assertThat(record).as("task %s, which the framework heard of, is recorded", entry.getKey()).isNotNull();
      assertHistoryComplete(record, entry.getValue());
    }
  }

  /** Attempts whose latest update ended them: done when finished, launched anew when lost on the way. */
  private static void settle(RecoveringFramework framework, List<Wanted> wanted, Deque<Wanted> toLaunch) {
    for (Wanted w : wanted) {
      if (w.done || w.current() == null || toLaunch.contains(w)) {
        continue;
      }
      TaskState state = framework.latestState(w.current());
      if (state == TaskState.TASK_FINISHED) {
        w.done = true;
      } else if (state != null && state.isTerminal()) {
        toLaunch.add(w); // lost, dropped or gone with the master or its agent: try again under a new id
      }
    }
  }

  /** Asks about attempts launched a while ago that nothing was heard of, as Marathon does after a failover. */
  private static void reconcileSilent(RecoveringFramework framework, List<Wanted> wanted) {
    List<Call.Reconcile.Task> silent = new ArrayList<>();
    long cutoff = System.nanoTime() - millis(3_000);
    for (Wanted w : wanted) {
      if (!w.done && w.current() != null && w.launchedAtNanos < cutoff) {
        TaskState state = framework.latestState(w.current());
        if (state == null || !state.isTerminal()) {
          silent.add(new Call.Reconcile.Task(w.current(), null));
        }
      }
    }
    if (!silent.isEmpty()) {
      framework.reconcile(silent);
    }
  }

  private static void launchFrom(Offer offer, RecoveringFramework framework, Deque<Wanted> toLaunch, Path runs,
      SplittableRandom random) {
    Resources left = Resources.of(offer.resources());
    List<TaskInfo> tasks = new ArrayList<>();
    List<Wanted> launched = new ArrayList<>();
    while (!toLaunch.isEmpty() && tasks.size() < 25 && left.contains(TASK)) {
      Wanted w = toLaunch.poll();
      TaskId id = TaskId.of("t" + w.number + "-a" + w.attempts.size());
      w.attempts.add(id);
      w.launchedAtNanos = System.nanoTime();
      launched.add(w);
      double seconds = random.nextInt(60) / 10.0;
      tasks.add(TaskInfo.command(id.value(), id, offer.agentId(), TASK.toList(offer.allocationInfo().role()),
          orrery.protocol.mesos.CommandInfo.shell("echo " + id.value() + " >> " + runs + "; sleep " + seconds)));
      left = left.minus(TASK);
    }
    if (tasks.isEmpty()) {
      framework.decline(offer);
      return;
    }
    // An ACCEPT lost with the master is found out by reconciliation (TASK_LOST), and its tasks are launched anew.
    framework.launch(offer, tasks);
  }

  /** Every attempt wrote its id once when it started; twice would mean it was launched twice. */
  private static void assertStartedAtMostOnce(Path runs, List<TaskId> attempts) throws Exception {
    Map<String, Integer> starts = new LinkedHashMap<>();
    for (String line : Files.readAllLines(runs)) {
      starts.merge(line, 1, Integer::sum);
    }
    assertThat(starts).allSatisfy((id, count) -> assertThat(count).as("starts of %s", id).isEqualTo(1));
    Set<String> known = new HashSet<>();
    attempts.forEach(a -> known.add(a.value()));
    assertThat(known).containsAll(starts.keySet());
  }

  /**
   * The registry's history of a task holds each update once, the agent's in the order they happened, and every
   * update the framework was sent (it is forwarded only once written) is among them.
   */
  private static void assertHistoryComplete(TaskRecord record, List<TaskStatus> received) {
    List<String> uuids = record.history().stream().filter(s -> s.uuid() != null)
        .map(s -> Base64.getEncoder().encodeToString(s.uuid())).toList();
    assertThat(uuids).as("history of %s", record.taskId()).doesNotHaveDuplicates();
    ControlPlaneCrashTest.assertAgentUpdatesInOrder(record.taskId(), record.history());
    assertThat(record.history().get(0).state()).isEqualTo(TaskState.TASK_STAGING);
    for (TaskStatus status : received) {
      if (status.uuid() != null) {
        assertThat(uuids).as("%s of %s, received by the framework, is in the registry's history", status.state(),
            record.taskId()).contains(Base64.getEncoder().encodeToString(status.uuid()));
      }
    }
  }

  private static long millis(long millis) {
    return TimeUnit.MILLISECONDS.toNanos(millis);
  }
}
