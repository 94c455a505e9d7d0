package orrery.agent.core;

import static orrery.agent.core.TestIds.uuid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.OptionalLong;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskState;
import orrery.protocol.mesos.TaskStatus;
import orrery.protocol.messages.TaskMessages.StatusUpdate;
import org.junit.jupiter.api.Test;

class StatusUpdateStreamTest {

  private static final FrameworkId FRAMEWORK = FrameworkId.of("fw");
  private final StatusUpdateStream stream = new StatusUpdateStream(FRAMEWORK, new RetryPolicy(2_000, 60_000));

  private static TaskStatus status(TaskState state, int uuid) {
    return TaskStatus.builder(TaskId.of("t"), state).agentId(AgentId.of("a")).uuid(uuid(uuid)).build();
  }

  @Test
  void sendsTheFirstUpdateAtOnceAndResendsItWithBackoffUntilAcknowledged() {
    List<StatusUpdate> first = stream.enqueue(status(TaskState.TASK_STARTING, 1), 0);
    assertThat(first).singleElement().satisfies(u -> {
      assertThat(u.frameworkId()).isEqualTo(FRAMEWORK);
      assertThat(u.status().uuid()).isEqualTo(uuid(1));
      assertThat(u.latestState()).isEqualTo(TaskState.TASK_STARTING);
    });
    // sent at 0; due again at 0+2 = 2 s, 2+4 = 6 s, 6+8 = 14 s, 14+16 = 30 s, 30+32 = 62 s, 62+60 (capped) = 122 s
    long[] resends = {2_000, 6_000, 14_000, 30_000, 62_000, 122_000, 182_000};
    for (long at : resends) {
      assertThat(stream.nextSendAt()).isEqualTo(OptionalLong.of(at));
      assertThat(stream.due(at - 1)).as("not before %d", at).isEmpty();
      assertThat(stream.due(at)).singleElement().extracting(u -> u.status().uuid()).isEqualTo(uuid(1));
    }
  }

  @Test
  void aLateTickResendsOnceAndCountsTheNextDelayFromThen() {
    stream.enqueue(status(TaskState.TASK_STARTING, 1), 0);
    assertThat(stream.due(5_000)).hasSize(1); // due at 2 s, the timer came at 5 s
    assertThat(stream.nextSendAt()).isEqualTo(OptionalLong.of(9_000)); // 5 s + 4 s
    assertThat(stream.due(8_999)).isEmpty();
  }

  @Test
  void keepsOneUpdateInFlightAndSendsTheNextOnAcknowledgementWithTheLatestState() {
    stream.enqueue(status(TaskState.TASK_STARTING, 1), 0);
    assertThat(stream.enqueue(status(TaskState.TASK_RUNNING, 2), 10)).as("waits for STARTING's ack").isEmpty();
    assertThat(stream.enqueue(status(TaskState.TASK_FINISHED, 3), 20)).isEmpty();
    assertThat(stream.pendingCount()).isEqualTo(3);

    // The resent head already tells the registry where the task is now.
    assertThat(stream.due(2_000)).singleElement().satisfies(u -> {
      assertThat(u.status().state()).isEqualTo(TaskState.TASK_STARTING);
      assertThat(u.latestState()).isEqualTo(TaskState.TASK_FINISHED);
    });

    StatusUpdateStream.Acknowledged acked = stream.acknowledge(uuid(1), 3_000);
    assertThat(acked.accepted()).isTrue();
    assertThat(acked.toSend()).singleElement().satisfies(u -> {
      assertThat(u.status().state()).isEqualTo(TaskState.TASK_RUNNING);
      assertThat(u.latestState()).isEqualTo(TaskState.TASK_FINISHED);
    });
    // The backoff starts over for the new head: sent at 3 s, due at 5 s.
    assertThat(stream.nextSendAt()).isEqualTo(OptionalLong.of(5_000));
  }

  @Test
  void ignoresAnAcknowledgementThatIsNotForTheUpdateInFlight() {
    stream.enqueue(status(TaskState.TASK_STARTING, 1), 0);
    stream.enqueue(status(TaskState.TASK_RUNNING, 2), 0);

    assertThat(stream.acknowledge(uuid(2), 100).accepted()).as("RUNNING is not in flight yet").isFalse();
    assertThat(stream.acknowledge(uuid(9), 100).accepted()).isFalse();
    assertThat(stream.pendingCount()).isEqualTo(2);
    assertThat(stream.nextSendAt()).isEqualTo(OptionalLong.of(2_000));

    assertThat(stream.acknowledge(uuid(1), 100).accepted()).isTrue();
    assertThat(stream.acknowledge(uuid(1), 200).accepted()).as("a duplicate").isFalse();
  }

  @Test
  void isDoneOnceTheTerminalUpdateIsAcknowledged() {
    stream.enqueue(status(TaskState.TASK_RUNNING, 1), 0);
    stream.enqueue(status(TaskState.TASK_FAILED, 2), 0);
    assertThat(stream.isDone()).isFalse();
    stream.acknowledge(uuid(1), 10);
    assertThat(stream.isDone()).as("FAILED sent, not acknowledged").isFalse();
    assertThat(stream.acknowledge(uuid(2), 20).toSend()).isEmpty();
    assertThat(stream.isDone()).isTrue();
    assertThat(stream.nextSendAt()).isEmpty();
    assertThat(stream.due(1_000_000)).isEmpty();
  }

  @Test
  void refusesAnUpdateAfterATerminalOne() {
    stream.enqueue(status(TaskState.TASK_KILLED, 1), 0);
    assertThatThrownBy(() -> stream.enqueue(status(TaskState.TASK_RUNNING, 2), 0))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("after its terminal TASK_KILLED");
  }

  @Test
  void withoutAcknowledgementsSendsWhatIsQueuedOnceAndEachLaterUpdateOnce() {
    stream.enqueue(status(TaskState.TASK_STARTING, 1), 0);
    stream.enqueue(status(TaskState.TASK_RUNNING, 2), 0);

    List<StatusUpdate> unsent = stream.stopExpectingAcknowledgements();
    assertThat(unsent).extracting(u -> u.status().state()).containsExactly(TaskState.TASK_RUNNING);
    assertThat(stream.nextSendAt()).isEmpty();

    assertThat(stream.enqueue(status(TaskState.TASK_KILLING, 3), 10)).hasSize(1);
    assertThat(stream.isDone()).isFalse();
    assertThat(stream.enqueue(status(TaskState.TASK_KILLED, 4), 20)).singleElement()
        .extracting(StatusUpdate::latestState).isEqualTo(TaskState.TASK_KILLED);
    assertThat(stream.isDone()).isTrue();
    assertThat(stream.due(1_000_000)).isEmpty();
  }

  @Test
  void refusesAnUpdateWithoutUuid() {
    TaskStatus noUuid = TaskStatus.builder(TaskId.of("t"), TaskState.TASK_RUNNING).agentId(AgentId.of("a")).build();
    assertThatThrownBy(() -> stream.enqueue(noUuid, 0)).hasMessageContaining("uuid");
  }
}
