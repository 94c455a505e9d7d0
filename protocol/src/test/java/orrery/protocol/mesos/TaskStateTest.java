package orrery.protocol.mesos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Terminal states free resources and end acknowledgement retries; a wrong flag leaks or loses tasks. */
class TaskStateTest {

  /** From mesos.proto: after these a task never changes state again. UNREACHABLE may come back; KILLING not yet. */
  private static final Set<TaskState> TERMINAL = EnumSet.of(
      TaskState.TASK_FINISHED, TaskState.TASK_FAILED, TaskState.TASK_KILLED, TaskState.TASK_ERROR,
      TaskState.TASK_LOST, TaskState.TASK_DROPPED, TaskState.TASK_GONE, TaskState.TASK_GONE_BY_OPERATOR);

  @ParameterizedTest
  @EnumSource(TaskState.class)
  void isTerminalExactlyForTheEndStates(TaskState state) {
    assertThat(state.isTerminal()).isEqualTo(TERMINAL.contains(state));
  }

  @Test
  void theNonTerminalStatesAreTheRest() {
    // Listed out so that a state added to the enum has to be classified here on purpose.
    assertThat(Arrays.stream(TaskState.values()).filter(s -> !s.isTerminal()))
        .containsExactly(TaskState.TASK_STAGING, TaskState.TASK_STARTING, TaskState.TASK_RUNNING,
            TaskState.TASK_KILLING, TaskState.TASK_UNREACHABLE, TaskState.TASK_UNKNOWN);
  }
}
