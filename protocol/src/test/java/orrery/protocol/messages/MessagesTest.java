package orrery.protocol.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import orrery.protocol.json.ProtocolException;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.AgentInfo;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskState;
import orrery.protocol.mesos.TaskStatus;
import orrery.protocol.resources.Resources;
import org.junit.jupiter.api.Test;

/** Internal messages check the facts their receivers rely on, so a service never handles a half message. */
class MessagesTest {

  private static final FrameworkId FW = FrameworkId.of("fw-7");

  @Test
  void statusUpdateFromAnAgentMustBeAcknowledgeable() {
    // Without uuid the update could never be acknowledged, and the agent would resend it for ever.
    TaskStatus noUuid = TaskStatus.builder(TaskId.of("t-1"), TaskState.TASK_RUNNING).agentId(AgentId.of("S-1")).build();
    TaskStatus noAgent = TaskStatus.builder(TaskId.of("t-1"), TaskState.TASK_RUNNING).uuid(new byte[] {1}).build();

    ProtocolException uuid = catchThrowableOfType(ProtocolException.class,
        () -> new TaskMessages.StatusUpdate(FW, noUuid, TaskState.TASK_RUNNING));
    ProtocolException agent = catchThrowableOfType(ProtocolException.class,
        () -> new TaskMessages.StatusUpdate(FW, noAgent, TaskState.TASK_RUNNING));

    assertThat(uuid.field()).isEqualTo("status.uuid");
    assertThat(agent.field()).isEqualTo("status.agent_id");
  }

  @Test
  void allocationsAreForAgentsWithAnId() {
    AgentInfo unregistered = new AgentInfo("agent-1", null, null, null, null, null);

    ProtocolException e = catchThrowableOfType(ProtocolException.class,
        () -> new AllocatorMessages.Allocation(FW, "*", unregistered, Resources.parse("cpus:1")));

    assertThat(e.field()).isEqualTo("agent.id");
  }

  @Test
  void recoveredResourcesNameTheirRole() {
    ProtocolException e = catchThrowableOfType(ProtocolException.class,
        () -> new AllocatorMessages.RecoverResources(FW, null, AgentId.of("S-1"), Resources.empty(), null));

    assertThat(e.field()).isEqualTo("role");
  }

  @Test
  void absentListsAreEmpty() {
    assertThat(new AllocatorMessages.ReviveOffers(FW, null).roles()).isEmpty();
    assertThat(new AllocatorMessages.AddFramework(FW, List.of("etl"), null, true).suppressedRoles()).isEmpty();
    assertThat(new TaskMessages.LaunchTasks(FW, AgentId.of("S-1"), null).tasks()).isEmpty();
  }

  @Test
  void connectionNamesMustNotBeBlank() {
    ProtocolException e = catchThrowableOfType(ProtocolException.class,
        () -> new FrameworkMessages.FrameworkConnected(FW, " "));

    assertThat(e.field()).isEqualTo("connection");
    assertThat(ServiceHealth.up("allocator")).isEqualTo(new ServiceHealth("allocator", true, null));
  }
}
