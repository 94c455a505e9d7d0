package orrery.protocol.mesos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import orrery.protocol.json.ProtocolException;
import orrery.protocol.mesos.Durations.DurationInfo;
import org.junit.jupiter.api.Test;

/** Defaults and self-validation of the smaller Mesos records. */
class MesosRecordsTest {

  @Test
  void refuseSecondsDefaultsToFiveWhenAbsentNegativeOrNotANumber() {
    assertThat(Filters.effectiveRefuseSeconds(null)).isEqualTo(5.0);
    assertThat(new Filters(null).effectiveRefuseSeconds()).isEqualTo(5.0);
    assertThat(new Filters(-1.0).effectiveRefuseSeconds()).isEqualTo(5.0);
    assertThat(new Filters(Double.NaN).effectiveRefuseSeconds()).isEqualTo(5.0);
  }

  @Test
  void refuseSecondsZeroAndPositiveAreKept() {
    // Zero is a real choice: re-offer at once.
    assertThat(new Filters(0.0).effectiveRefuseSeconds()).isEqualTo(0.0);
    assertThat(Filters.effectiveRefuseSeconds(new Filters(30.5))).isEqualTo(30.5);
  }

  @Test
  void killPolicyGracePeriod() {
    assertThat(new KillPolicy(null).gracePeriodMillis()).isEqualTo(KillPolicy.DEFAULT_GRACE_PERIOD_MILLIS);
    // 2 500 000 000 ns = 2500 ms
    assertThat(new KillPolicy(new DurationInfo(2_500_000_000L)).gracePeriodMillis()).isEqualTo(2500);
    // A negative grace period kills at once rather than waiting a negative time.
    assertThat(new KillPolicy(new DurationInfo(-5L)).gracePeriodMillis()).isZero();
    assertThat(DurationInfo.ofMillis(1500).nanoseconds()).isEqualTo(1_500_000_000L);
  }

  @Test
  void agentPortDefaultsToMesosAgentPort() {
    AgentInfo agent = new AgentInfo("agent-1", null, null, null, null, null);

    assertThat(agent.effectivePort()).isEqualTo(5051);
    assertThat(agent.withId(AgentId.of("S-1")).id()).isEqualTo(AgentId.of("S-1"));
    assertThat(agent.resources()).isEmpty();
  }

  @Test
  void resourceRecordValidatesItself() {
    assertThat(Resource.scalar("cpus", 1.5).scalar().value()).isEqualTo(1.5);
    assertThat(Resource.scalar("cpus", 1).withAllocationRole("etl").allocationInfo().role()).isEqualTo("etl");
    assertThat(Resource.scalar("cpus", 1).withAllocationRole("etl").role()).isEqualTo("*");

    ProtocolException negative = catchThrowableOfType(ProtocolException.class, () -> Resource.scalar("cpus", -1));
    ProtocolException noName = catchThrowableOfType(ProtocolException.class, () -> Resource.scalar("", 1));
    ProtocolException rangesMissing = catchThrowableOfType(ProtocolException.class,
        () -> new Resource("ports", Value.Type.RANGES, null, null, null, null, null));

    assertThat(negative.field()).isEqualTo("scalar.value");
    assertThat(noName.field()).isEqualTo("name");
    assertThat(rangesMissing.field()).isEqualTo("ranges");
  }

  @Test
  void valueKinds() {
    ProtocolException nan = catchThrowableOfType(ProtocolException.class, () -> new Value.Scalar(Double.NaN));
    ProtocolException negativeBegin = catchThrowableOfType(ProtocolException.class, () -> Value.Range.of(-1, 3));

    assertThat(nan.field()).isEqualTo("value");
    assertThat(negativeBegin.field()).isEqualTo("begin");
    assertThat(new Value.Set(null).item()).isEmpty();
    assertThat(new Value.Ranges(List.of(Value.Range.of(1, 2))).range()).containsExactly(Value.Range.of(1, 2));
  }

  @Test
  void attributeNeedsTheValueOfItsType() {
    ProtocolException e = catchThrowableOfType(ProtocolException.class,
        () -> new Attribute("rack", Value.Type.SCALAR, null, null, null, new Value.Text("r1")));

    assertThat(e.field()).isEqualTo("scalar");
    assertThat(Attribute.text("rack", "r1").text().value()).isEqualTo("r1");
  }

  @Test
  void idsCompareAndPrintByValue() {
    assertThat(TaskId.of("a")).isLessThan(TaskId.of("b"));
    assertThat(AgentId.of("S-1").toString()).isEqualTo("S-1");
    assertThat(ContainerId.of("c-1").parent()).isNull();
    ProtocolException blank = catchThrowableOfType(ProtocolException.class, () -> OfferId.of(" "));
    assertThat(blank.field()).isEqualTo("value");
  }

  @Test
  void statusBuilderKeepsWhatItWasGiven() {
    TaskStatus status = TaskStatus.builder(TaskId.of("t-1"), TaskState.TASK_FAILED)
        .reason(TaskStatus.Reason.REASON_COMMAND_EXECUTOR_FAILED).executorId(ExecutorId.of("e-1")).healthy(false)
        .timestampMillis(1500).labels(new Labels(List.of(new Labels.Label("k", "v")))).build();

    // 1500 ms = 1.5 s since the epoch
    assertThat(status.timestamp()).isEqualTo(1.5);
    TaskStatus copy = status.toBuilder().build();
    assertThat(copy).isEqualTo(status);
    assertThat(copy.reason()).isEqualTo(TaskStatus.Reason.REASON_COMMAND_EXECUTOR_FAILED);
    assertThat(copy.healthy()).isFalse();
  }

  @Test
  void commandInfoShellDefault() {
    // Mesos runs a command through the shell unless shell is explicitly false.
    assertThat(new CommandInfo(null, null, null, "echo hi", null, null).isShell()).isTrue();
    assertThat(new CommandInfo(null, null, false, "/bin/echo", List.of("echo", "hi"), null).isShell()).isFalse();
  }
}
