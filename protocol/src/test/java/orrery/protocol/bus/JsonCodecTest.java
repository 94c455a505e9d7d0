package orrery.protocol.bus;

import static orrery.protocol.json.JsonTrees.assertSameJson;
import static orrery.protocol.json.JsonTrees.tree;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.AgentInfo;
import orrery.protocol.mesos.Attribute;
import orrery.protocol.mesos.CommandInfo;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.FrameworkInfo;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskInfo;
import orrery.protocol.mesos.TaskState;
import orrery.protocol.mesos.TaskStatus;
import orrery.protocol.messages.AgentMessages;
import orrery.protocol.messages.AllocatorMessages;
import orrery.protocol.messages.FrameworkMessages;
import orrery.protocol.messages.ServiceHealth;
import orrery.protocol.messages.TaskMessages;
import orrery.protocol.resources.Resources;
import orrery.protocol.scheduler.Call;
import org.junit.jupiter.api.Test;

/**
 * Between cluster members a message travels as its Mesos JSON; within one JVM it is the same object. A record
 * that does not come back equal would behave differently in clustered mode than in standalone.
 */
class JsonCodecTest {

  private static final AgentInfo AGENT = new AgentInfo("agent-4.example.org", 5051,
      Resources.parse("cpus:4;mem:8192").toList(), List.of(Attribute.text("rack", "r7")), AgentId.of("S-4"), null);

  /** Encodes after some bytes already in the buffer, as the cluster's frame does, and decodes from there. */
  private static <T> T wireRoundTrip(Class<T> type, T value) {
    JsonCodec<T> codec = new JsonCodec<>(type);
    Buffer buffer = Buffer.buffer().appendString("frame-header");
    int pos = buffer.length();
    codec.encodeToWire(buffer, value);
    return codec.decodeFromWire(pos, buffer);
  }

  @Test
  void agentMessagesComeBackEqual() {
    List<Object> messages = List.of(
        new AgentMessages.RegisterAgent(AGENT, List.of(new AgentMessages.AgentTask(FrameworkId.of("F"),
            TaskId.of("t1"), TaskState.TASK_RUNNING, "web", Resources.parse("cpus:1;mem:32")))),
        new AgentMessages.AgentRegistered(AgentId.of("S-4"), true),
        new AgentMessages.AddAgent(AGENT, Resources.parse("cpus:4;mem:8192;ports:[31000-32000]"), List.of(), false),
        new AgentMessages.AgentHeartbeat(AgentId.of("S-4")),
        new AgentMessages.HeartbeatReply(false),
        new AgentMessages.UnregisterAgent(AgentId.of("S-4")),
        new AgentMessages.AgentRemoved(AgentId.of("S-4"), "missed 5 heartbeats"),
        new AgentMessages.AgentList(List.of(new AgentMessages.AgentSummary(AgentId.of("S-4"), "agent-4", 5051,
            Resources.parse("cpus:4"), true))));

    messages.forEach(JsonCodecTest::assertComesBackEqual);
  }

  @Test
  void allocatorAndFrameworkMessagesComeBackEqual() {
    FrameworkId fw = FrameworkId.of("fw-7");
    List<Object> messages = List.of(
        new AllocatorMessages.AddFramework(fw, List.of("analytics", "etl"), List.of("etl"), true),
        new AllocatorMessages.RecoverResources(fw, "analytics", AgentId.of("S-4"), Resources.parse("cpus:0.5"), 5.0),
        new AllocatorMessages.ReviveOffers(fw, List.of()),
        new AllocatorMessages.SuppressOffers(fw, List.of("etl")),
        new AllocatorMessages.Allocations(List.of(new AllocatorMessages.Allocation(fw, "analytics", AGENT,
            Resources.parse("cpus:2;mem:1024;ports:[31000-31009]")))),
        new FrameworkMessages.FrameworkRef(fw),
        new FrameworkMessages.FrameworkSubscribed(FrameworkInfo.of("deploy", "batch").withId(fw).withRoles("etl")),
        new FrameworkMessages.FrameworkConnected(fw, "conn-1"),
        new FrameworkMessages.ConnectionClosed("conn-1"),
        new FrameworkMessages.MayRegister(fw, "conn-1"),
        new FrameworkMessages.Permission(false),
        ServiceHealth.up("allocator"),
        new ServiceHealth("registry", false, "store unreachable"));

    messages.forEach(JsonCodecTest::assertComesBackEqual);
  }

  @Test
  void taskMessagesWithoutBytesComeBackEqual() {
    FrameworkId fw = FrameworkId.of("fw-7");
    TaskInfo task = TaskInfo.command("sleeper", TaskId.of("t-1"), AgentId.of("S-4"),
        Resources.cpusMem(0.5, 64).toList(), CommandInfo.shell("sleep 5"));
    List<Object> messages = List.of(
        new TaskMessages.LaunchTasks(fw, AgentId.of("S-4"), List.of(task)),
        new TaskMessages.KillTask(fw, TaskId.of("t-1"), AgentId.of("S-4"), null),
        new TaskMessages.ReconcileTasks(fw, true, List.of(new Call.Reconcile.Task(TaskId.of("t-1"), null))),
        new TaskMessages.TaskQuery(null),
        new TaskMessages.TaskQuery(fw),
        new TaskMessages.TaskList(List.of(new TaskMessages.TaskView(fw, TaskId.of("t-1"), "sleeper",
            AgentId.of("S-4"), Resources.cpusMem(0.5, 64),
            TaskStatus.builder(TaskId.of("t-1"), TaskState.TASK_RUNNING).build(), task))));

    messages.forEach(JsonCodecTest::assertComesBackEqual);
  }

  @Test
  void messagesWithBytesComeBackWithTheSameBytes() {
    // byte[] fields compare by reference in record equals, so these are checked field by field.
    byte[] uuid = {1, 2, 3, (byte) 0xff};
    TaskStatus status = TaskStatus.builder(TaskId.of("t-1"), TaskState.TASK_FAILED).agentId(AgentId.of("S-4"))
        .uuid(uuid).data("exit 2".getBytes(StandardCharsets.UTF_8)).message("failed").build();
    TaskMessages.StatusUpdate update = new TaskMessages.StatusUpdate(FrameworkId.of("fw-7"), status,
        TaskState.TASK_FAILED);
    TaskMessages.Acknowledgement ack = new TaskMessages.Acknowledgement(FrameworkId.of("fw-7"), AgentId.of("S-4"),
        TaskId.of("t-1"), uuid);

    TaskMessages.StatusUpdate updateBack = wireRoundTrip(TaskMessages.StatusUpdate.class, update);
    TaskMessages.Acknowledgement ackBack = wireRoundTrip(TaskMessages.Acknowledgement.class, ack);

    assertThat(updateBack.frameworkId()).isEqualTo(update.frameworkId());
    assertThat(updateBack.latestState()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(updateBack.status().taskId()).isEqualTo(status.taskId());
    assertThat(updateBack.status().agentId()).isEqualTo(status.agentId());
    assertThat(updateBack.status().message()).isEqualTo("failed");
    assertThat(updateBack.status().uuid()).containsExactly(uuid);
    assertThat(updateBack.status().data()).asString(StandardCharsets.UTF_8).isEqualTo("exit 2");
    assertThat(ackBack.frameworkId()).isEqualTo(ack.frameworkId());
    assertThat(ackBack.agentId()).isEqualTo(ack.agentId());
    assertThat(ackBack.taskId()).isEqualTo(ack.taskId());
    assertThat(ackBack.uuid()).containsExactly(uuid);
  }

  @Test
  void theWireCarriesLengthThenMesosJson() {
    JsonCodec<FrameworkMessages.FrameworkConnected> codec = new JsonCodec<>(FrameworkMessages.FrameworkConnected.class);
    Buffer buffer = Buffer.buffer();

    codec.encodeToWire(buffer, new FrameworkMessages.FrameworkConnected(FrameworkId.of("fw-7"), "conn-1"));

    int length = buffer.getInt(0);
    assertThat(buffer.length()).isEqualTo(4 + length);
    assertSameJson(tree(buffer.getString(4, 4 + length)),
        tree("{\"framework_id\": {\"value\": \"fw-7\"}, \"connection\": \"conn-1\"}"));
  }

  @Test
  void withinOneJvmTheSameObjectIsPassed() {
    FrameworkMessages.FrameworkRef ref = new FrameworkMessages.FrameworkRef(FrameworkId.of("fw-7"));

    assertThat(new JsonCodec<>(FrameworkMessages.FrameworkRef.class).transform(ref)).isSameAs(ref);
  }

  @Test
  void codecIsNamedAfterItsTypeAndIsNoSystemCodec() {
    JsonCodec<ServiceHealth> codec = new JsonCodec<>(ServiceHealth.class);

    assertThat(codec.name()).isEqualTo("orrery:orrery.protocol.messages.ServiceHealth");
    assertThat(codec.systemCodecID()).isEqualTo((byte) -1);
  }

  @SuppressWarnings("unchecked")
  private static <T> void assertComesBackEqual(T value) {
    Class<T> type = (Class<T>) value.getClass();
    assertThat(wireRoundTrip(type, value)).as("%s", type.getSimpleName()).isEqualTo(value);
  }
}
