package orrery.protocol.scheduler;

import static orrery.protocol.json.JsonTrees.assertWrites;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import orrery.protocol.json.MesosJson;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.CommandInfo;
import orrery.protocol.mesos.Filters;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.FrameworkInfo;
import orrery.protocol.mesos.MasterInfo;
import orrery.protocol.mesos.Offer;
import orrery.protocol.mesos.OfferId;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskInfo;
import orrery.protocol.mesos.TaskState;
import orrery.protocol.mesos.TaskStatus;
import orrery.protocol.resources.Resources;
import org.junit.jupiter.api.Test;

/**
 * The static factories that services and the SDK use to build calls and events: each writes the Mesos JSON a
 * framework expects, and that JSON reads back to the same fields.
 */
class FactoriesTest {

  private static final FrameworkId FW = FrameworkId.of("fw-7");

  private static Call roundTrip(Call call) {
    return MesosJson.read(MesosJson.write(call), Call.class);
  }

  private static Event roundTrip(Event event) {
    return MesosJson.read(MesosJson.write(event), Event.class);
  }

  @Test
  void subscribeOfANewFramework() {
    Call call = Call.subscribe(FrameworkInfo.of("deploy", "batch").withRoles("analytics", "etl"));

    assertWrites(call, """
        {"type": "SUBSCRIBE",
         "subscribe": {"framework_info": {"user": "deploy", "name": "batch", "roles": ["analytics", "etl"],
                                          "capabilities": [{"type": "MULTI_ROLE"}]}}}
        """);
    assertThat(roundTrip(call)).isEqualTo(call);
  }

  @Test
  void subscribeOfAKnownFrameworkNamesItAtTheTop() {
    Call call = Call.subscribe(FrameworkInfo.of("deploy", "batch").withId(FW).withFailoverTimeout(3600));

    assertThat(call.frameworkId()).isEqualTo(FW);
    assertWrites(call, """
        {"framework_id": {"value": "fw-7"}, "type": "SUBSCRIBE",
         "subscribe": {"framework_info": {"user": "deploy", "name": "batch", "id": {"value": "fw-7"},
                                          "failover_timeout": 3600}}}
        """);
    assertThat(roundTrip(call)).isEqualTo(call);
  }

  @Test
  void acceptWithALaunch() {
    TaskInfo task = TaskInfo.command("sleeper", TaskId.of("t-1"), AgentId.of("S-1"),
        Resources.cpusMem(0.25, 64).toList("analytics"), CommandInfo.shell("sleep 60"));
    Call call = Call.accept(FW, List.of(OfferId.of("O-1")), List.of(Offer.Operation.launch(List.of(task))),
        new Filters(10.0));

    assertWrites(call, """
        {"framework_id": {"value": "fw-7"}, "type": "ACCEPT",
         "accept": {
           "offer_ids": [{"value": "O-1"}],
           "operations": [{"type": "LAUNCH", "launch": {"task_infos": [{
             "name": "sleeper", "task_id": {"value": "t-1"}, "agent_id": {"value": "S-1"},
             "resources": [
               {"name": "cpus", "type": "SCALAR", "scalar": {"value": 0.25}, "role": "*",
                "allocation_info": {"role": "analytics"}},
               {"name": "mem", "type": "SCALAR", "scalar": {"value": 64}, "role": "*",
                "allocation_info": {"role": "analytics"}}],
             "command": {"shell": true, "value": "sleep 60"}}]}}],
           "filters": {"refuse_seconds": 10}}}
        """);
    // No byte[] is set (data is absent), so record equality compares every field.
    assertThat(roundTrip(call)).isEqualTo(call);
  }

  @Test
  void declineReviveSuppressKillReconcileTeardown() {
    List<Call> calls = List.of(
        Call.decline(FW, List.of(OfferId.of("O-1"), OfferId.of("O-2")), new Filters(30.0)),
        Call.revive(FW, List.of("etl")),
        Call.suppress(FW, List.of("analytics", "etl")),
        Call.kill(FW, TaskId.of("t-1"), AgentId.of("S-1")),
        Call.reconcile(FW, List.of(new Call.Reconcile.Task(TaskId.of("t-1"), null))),
        Call.teardown(FW));

    assertWrites(calls.get(0), """
        {"framework_id": {"value": "fw-7"}, "type": "DECLINE",
         "decline": {"offer_ids": [{"value": "O-1"}, {"value": "O-2"}], "filters": {"refuse_seconds": 30}}}
        """);
    assertWrites(calls.get(1), """
        {"framework_id": {"value": "fw-7"}, "type": "REVIVE", "revive": {"roles": ["etl"]}}
        """);
    assertWrites(calls.get(2), """
        {"framework_id": {"value": "fw-7"}, "type": "SUPPRESS", "suppress": {"roles": ["analytics", "etl"]}}
        """);
    assertWrites(calls.get(3), """
        {"framework_id": {"value": "fw-7"}, "type": "KILL",
         "kill": {"task_id": {"value": "t-1"}, "agent_id": {"value": "S-1"}}}
        """);
    assertWrites(calls.get(4), """
        {"framework_id": {"value": "fw-7"}, "type": "RECONCILE", "reconcile": {"tasks": [{"task_id": {"value": "t-1"}}]}}
        """);
    assertWrites(calls.get(5), """
        {"framework_id": {"value": "fw-7"}, "type": "TEARDOWN"}
        """);
    for (Call call : calls) {
      assertThat(roundTrip(call)).as("%s", call.type()).isEqualTo(call);
    }
  }

  @Test
  void acknowledgeCarriesTheUuidBytes() {
    byte[] uuid = {0x0f, (byte) 0x8e, 0x3c, 0x1a};
    Call call = Call.acknowledge(FW, AgentId.of("S-1"), TaskId.of("t-1"), uuid);

    // 0f 8e 3c -> 000011 111000 111000 111100 -> D 4 4 8; 1a -> 000110 10(0000) -> G g ==
    assertWrites(call, """
        {"framework_id": {"value": "fw-7"}, "type": "ACKNOWLEDGE",
         "acknowledge": {"agent_id": {"value": "S-1"}, "task_id": {"value": "t-1"}, "uuid": "D448Gg=="}}
        """);
    Call back = roundTrip(call);
    assertThat(back.acknowledge().uuid()).containsExactly(uuid);
    assertThat(back.acknowledge().agentId()).isEqualTo(AgentId.of("S-1"));
    assertThat(back.acknowledge().taskId()).isEqualTo(TaskId.of("t-1"));
  }

  @Test
  void subscribedEvent() {
    MasterInfo master = new MasterInfo("master-1", 16777343L, 5050, null, "localhost", "0.1.0", null);
    Event event = Event.subscribed(FW, 15, master);

    assertWrites(event, """
        {"type": "SUBSCRIBED",
         "subscribed": {"framework_id": {"value": "fw-7"}, "heartbeat_interval_seconds": 15,
                        "master_info": {"id": "master-1", "ip": 16777343, "port": 5050, "hostname": "localhost",
                                        "version": "0.1.0"}}}
        """);
    assertThat(roundTrip(event)).isEqualTo(event);
  }

  @Test
  void offersEvent() {
    Offer offer = new Offer(OfferId.of("O-1"), FW, AgentId.of("S-1"), "agent-1", null, null,
        Resources.parse("cpus:2;ports:[31000-31009]").toList("*"), null, null, null,
        new orrery.protocol.mesos.Resource.AllocationInfo("*"));
    Event event = Event.offers(List.of(offer));

    assertWrites(event, """
        {"type": "OFFERS", "offers": {"offers": [{
          "id": {"value": "O-1"}, "framework_id": {"value": "fw-7"}, "agent_id": {"value": "S-1"},
          "hostname": "agent-1", "allocation_info": {"role": "*"},
          "resources": [
            {"name": "cpus", "type": "SCALAR", "scalar": {"value": 2}, "role": "*", "allocation_info": {"role": "*"}},
            {"name": "ports", "type": "RANGES", "ranges": {"range": [{"begin": 31000, "end": 31009}]}, "role": "*",
             "allocation_info": {"role": "*"}}]}]}}
        """);
    assertThat(roundTrip(event)).isEqualTo(event);
  }

  @Test
  void rescindFailureErrorHeartbeatEvents() {
    assertWrites(Event.rescind(OfferId.of("O-1")),
        "{\"type\": \"RESCIND\", \"rescind\": {\"offer_id\": {\"value\": \"O-1\"}}}");
    assertWrites(Event.failure(AgentId.of("S-1")),
        "{\"type\": \"FAILURE\", \"failure\": {\"agent_id\": {\"value\": \"S-1\"}}}");
    assertWrites(Event.error("Framework has been removed"),
        "{\"type\": \"ERROR\", \"error\": {\"message\": \"Framework has been removed\"}}");
    assertWrites(Event.heartbeat(), "{\"type\": \"HEARTBEAT\"}");
    for (Event event : List.of(Event.rescind(OfferId.of("O-1")), Event.failure(AgentId.of("S-1")),
        Event.error("bye"), Event.heartbeat())) {
      assertThat(roundTrip(event)).as("%s", event.type()).isEqualTo(event);
    }
  }

  @Test
  void updateEventFromTheBuilder() {
    TaskStatus status = TaskStatus.builder(TaskId.of("t-1"), TaskState.TASK_FINISHED)
        .agentId(AgentId.of("S-1")).source(TaskStatus.Source.SOURCE_EXECUTOR).message("exit 0")
        .timestampMillis(1_718_000_000_250L).uuid(new byte[] {1, 2, 3}).build();
    Event event = Event.update(status);

    // 1 718 000 000 250 ms / 1000 = 1 718 000 000.25 s; 01 02 03 -> 000000 010000 001000 000011 -> "AQID"
    assertWrites(event, """
        {"type": "UPDATE", "update": {"status": {
          "task_id": {"value": "t-1"}, "state": "TASK_FINISHED", "message": "exit 0", "source": "SOURCE_EXECUTOR",
          "agent_id": {"value": "S-1"}, "timestamp": 1718000000.25, "uuid": "AQID"}}}
        """);
    TaskStatus back = roundTrip(event).update().status();
    assertThat(back.state()).isEqualTo(TaskState.TASK_FINISHED);
    assertThat(back.timestamp()).isEqualTo(1_718_000_000.25);
    assertThat(back.uuid()).containsExactly(1, 2, 3);
    assertThat(back.toBuilder().build().message()).isEqualTo("exit 0");
  }
}
