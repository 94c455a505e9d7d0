package orrery.agent.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import orrery.agent.core.SandboxGc.Sandbox;
import orrery.protocol.mesos.ContainerId;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskState;
import org.junit.jupiter.api.Test;

class SandboxGcTest {

  private static final long HOUR = 3_600_000;
  private static final Path A = Path.of("/w/agents/a1/frameworks/f/executors/a/runs/c1");
  private static final Path B = Path.of("/w/agents/a1/frameworks/f/executors/b/runs/c2");
  private static final Path OLD = Path.of("/w/agents/a1/frameworks/f/executors/old/runs/c0");

  private static TaskView task(String id, TaskState state, Path directory) {
    return new TaskView(FrameworkId.of("f"), TaskId.of(id), id, state, List.of(), directory,
        directory == null ? null : ContainerId.of(directory.getFileName().toString()), null);
  }

  @Test
  void aSandboxIsDueOnceItsTaskEndedTheDelayAgo() {
    SandboxGc gc = new SandboxGc(24 * HOUR);
    // a ends (seen terminal) at 10 h; b still runs.
    gc.observe(List.of(task("a", TaskState.TASK_FINISHED, A), task("b", TaskState.TASK_RUNNING, B)), List.of(),
        10 * HOUR);
    List<Sandbox> disk = List.of(new Sandbox(A, 9 * HOUR), new Sandbox(B, 0));

    // 10 h + 24 h = 34 h: not a millisecond before.
    assertThat(gc.due(disk, 34 * HOUR - 1)).isEmpty();
    assertThat(gc.due(disk, 34 * HOUR)).containsExactly(A);
    // b's sandbox was last written at 0, long ago; it runs, so it stays whatever its age.
    assertThat(gc.due(disk, 1000 * HOUR)).containsExactly(A);
  }

  @Test
  void theEndIsTheFirstTimeATaskWasSeenEndedAlsoOnceItMovedToCompleted() {
    SandboxGc gc = new SandboxGc(HOUR);
    gc.observe(List.of(task("a", TaskState.TASK_RUNNING, A)), List.of(), 0);
    gc.observe(List.of(task("a", TaskState.TASK_FAILED, A)), List.of(), 2 * HOUR); // ended, not yet acknowledged
    gc.observe(List.of(), List.of(task("a", TaskState.TASK_FAILED, A)), 2 * HOUR + 30 * 60_000); // acknowledged

    List<Sandbox> disk = List.of(new Sandbox(A, 2 * HOUR));
    assertThat(gc.due(disk, 3 * HOUR - 1)).isEmpty();
    assertThat(gc.due(disk, 3 * HOUR)).containsExactly(A); // 2 h + 1 h, not 2.5 h + 1 h
  }

  @Test
  void aSandboxTheAgentDoesNotKnowCountsFromItsLastModification() {
    SandboxGc gc = new SandboxGc(HOUR);
    gc.observe(List.of(), List.of(), 5 * HOUR);
    List<Sandbox> disk = List.of(new Sandbox(OLD, 4 * HOUR + 1));
    assertThat(gc.due(disk, 5 * HOUR)).isEmpty();
    assertThat(gc.due(disk, 5 * HOUR + 1)).containsExactly(OLD);
  }

  @Test
  void aRunningTaskSandboxIsNeverDueAndARefusedTaskHasNone() {
    SandboxGc gc = new SandboxGc(1);
    gc.observe(List.of(task("a", TaskState.TASK_KILLING, A), task("b", TaskState.TASK_STARTING, B),
        task("refused", TaskState.TASK_FAILED, null)), List.of(), 0);
    assertThat(gc.due(List.of(new Sandbox(A, 0), new Sandbox(B, 0)), 100 * HOUR)).isEmpty();
  }

  @Test
  void aRemovedSandboxIsForgottenAndSoIsOneThatLeftTheDisk() {
    SandboxGc gc = new SandboxGc(HOUR);
    gc.observe(List.of(task("a", TaskState.TASK_FINISHED, A), task("b", TaskState.TASK_FINISHED, B)), List.of(), 0);
    assertThat(gc.due(List.of(new Sandbox(A, 0), new Sandbox(B, 0)), HOUR)).containsExactly(A, B);
    gc.removed(A);
    // B went from disk by other hands; a directory of the same path made later counts from its own modification.
    assertThat(gc.due(List.of(), 2 * HOUR)).isEmpty();
    assertThat(gc.due(List.of(new Sandbox(B, 3 * HOUR)), 3 * HOUR + 1)).isEmpty();
  }

  @Test
  void collectsEveryTenthOfTheDelayBetweenATenthOfASecondAndAMinute() {
    assertThat(new SandboxGc(SandboxGc.DEFAULT_DELAY_MILLIS).intervalMillis()).isEqualTo(60_000);
    assertThat(new SandboxGc(5_000).intervalMillis()).isEqualTo(500);
    assertThat(new SandboxGc(200).intervalMillis()).isEqualTo(100);
    assertThatThrownBy(() -> new SandboxGc(0)).hasMessageContaining("delay must be positive");
  }

  @Test
  void durationsTakeMesosAndShortUnits() {
    assertThat(Durations.parseMillis("--sandbox-gc-delay", "7d")).isEqualTo(SandboxGc.DEFAULT_DELAY_MILLIS);
    assertThat(Durations.parseMillis("--sandbox-gc-delay", "1weeks")).isEqualTo(SandboxGc.DEFAULT_DELAY_MILLIS);
    assertThat(Durations.parseMillis("--sandbox-gc-delay", "30secs")).isEqualTo(30_000);
    assertThat(Durations.parseMillis("--sandbox-gc-delay", "1.5h")).isEqualTo(5_400_000);
    assertThat(Durations.parseMillis("--sandbox-gc-delay", "250ms")).isEqualTo(250);
    assertThatThrownBy(() -> Durations.parseMillis("--sandbox-gc-delay", "7"))
        .hasMessageContaining("--sandbox-gc-delay").hasMessageContaining("'7'");
    assertThatThrownBy(() -> Durations.parseMillis("--sandbox-gc-delay", "7 fortnights"))
        .hasMessageContaining("--sandbox-gc-delay");
  }
}
