package orrery.agent.core;

import static org.assertj.core.api.Assertions.assertThat;

import orrery.protocol.mesos.TaskState;
import org.junit.jupiter.api.Test;

class ExitStatusTest {

  @Test
  void describesExitsAndSignalsAsTheMesosCommandExecutorDoes() {
    assertThat(ExitStatus.describe(0)).isEqualTo("Command exited with status 0");
    assertThat(ExitStatus.describe(3)).isEqualTo("Command exited with status 3");
    assertThat(ExitStatus.describe(128)).isEqualTo("Command exited with status 128");
    assertThat(ExitStatus.describe(129)).isEqualTo("Command terminated with signal SIGHUP");
    assertThat(ExitStatus.describe(137)).isEqualTo("Command terminated with signal SIGKILL");
    assertThat(ExitStatus.describe(143)).isEqualTo("Command terminated with signal SIGTERM");
    assertThat(ExitStatus.describe(159)).isEqualTo("Command terminated with signal SIGSYS");
    assertThat(ExitStatus.describe(160)).isEqualTo("Command exited with status 160");
    assertThat(ExitStatus.describe(255)).isEqualTo("Command exited with status 255");
  }

  @Test
  void onlyZeroFinishes() {
    assertThat(ExitStatus.stateOf(0)).isEqualTo(TaskState.TASK_FINISHED);
    assertThat(ExitStatus.stateOf(1)).isEqualTo(TaskState.TASK_FAILED);
    assertThat(ExitStatus.stateOf(143)).isEqualTo(TaskState.TASK_FAILED);
  }
}
