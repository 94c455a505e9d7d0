package orrery.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import orrery.protocol.mesos.TaskId;
import org.junit.jupiter.api.Test;

class LaunchWindowTest {

  private static final TaskId A = TaskId.of("a");
  private static final TaskId B = TaskId.of("b");

  @Test
  void aLaunchConfirmedRunningFreesItsSlotAndTellsItsLatency() {
    LaunchWindow window = new LaunchWindow(2);
    assertThat(window.slots()).isEqualTo(2);
    window.accepted(A, 1_000);
    window.accepted(B, 1_500);
    assertThat(window.slots()).isZero();

    assertThat(window.running(A, 9_000)).isEqualTo(8_000);
    assertThat(window.slots()).isEqualTo(1);
    assertThat(window.inFlight()).isEqualTo(1);
    assertThat(window.peak()).isEqualTo(2);
  }

  @Test
  void aTaskThatEndsWithoutRunningFreesItsSlotAndAnUnknownOneChangesNothing() {
    LaunchWindow window = new LaunchWindow(1);
    window.accepted(A, 0);
    window.ended(A);
    assertThat(window.slots()).isEqualTo(1);
    assertThat(window.running(B, 5)).isEqualTo(-1);
    assertThat(window.inFlight()).isZero();
  }

  @Test
  void withoutALimitEveryOfferIsUsed() {
    LaunchWindow window = new LaunchWindow(0);
    for (int i = 0; i < 1000; i++) {
      window.accepted(TaskId.of("t" + i), i);
    }
    assertThat(window.slots()).isEqualTo(Integer.MAX_VALUE);
    assertThat(window.peak()).isEqualTo(1000);
    assertThatThrownBy(() -> new LaunchWindow(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
