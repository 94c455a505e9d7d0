package orrery.e2e;

import static orrery.e2e.ClusterFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import orrery.protocol.mesos.Filters;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.FrameworkInfo;
import orrery.protocol.mesos.Offer;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskInfo;
import orrery.protocol.mesos.TaskState;
import orrery.protocol.mesos.TaskStatus;
import orrery.protocol.resources.Resources;
import orrery.protocol.scheduler.Call;
import orrery.protocol.scheduler.Event;
import orrery.sdk.SchedulerCallException;
import orrery.sdk.SchedulerHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A framework on the Mesos v1 scheduler HTTP API, against a standalone cluster, over real sockets. */
class HttpSchedulerApiTest extends StandaloneClusterTest {

  private SchedulerHttpClient client;
  private final EventLog events = new EventLog();

  @AfterEach
  void teardownFramework() throws Exception {
    if (client != null && client.frameworkId() != null) {
      await(client.call(Call.teardown(client.frameworkId())));
      await(client.close());
    }
  }

  private FrameworkId subscribe(String name) throws Exception {
    client = new SchedulerHttpClient(fixture.clients, "127.0.0.1", fixture.cluster.httpPort());
    Event subscribed = await(client.subscribe(FrameworkInfo.of("tester", name), events::add));
    assertThat(subscribed.subscribed().heartbeatIntervalSeconds()).isEqualTo(0.5);
    assertThat(subscribed.subscribed().masterInfo().id()).isEqualTo(fixture.cluster.masterId());
    assertThat(client.streamId()).isNotBlank();
    return subscribed.subscribed().frameworkId();
  }

  private TaskStatus acknowledged(TaskStatus status) throws Exception {
    assertThat(status.uuid()).as("agent updates carry a uuid").isNotNull();
    await(client.call(Call.acknowledge(client.frameworkId(), status.agentId(), status.taskId(), status.uuid())));
    return status;
  }

  @Test
  void launchesARealCommandAndSeesEveryUpdateInOrder() throws Exception {
    FrameworkId id = subscribe("http-launch");
    Offer offer = events.takeType(Event.Type.OFFERS).offers().offers().get(0);
    assertThat(offer.frameworkId()).isEqualTo(id);
    assertThat(offer.agentId()).isEqualTo(fixture.cluster.agentId());
    assertThat(offer.url().address().port()).isEqualTo(fixture.cluster.agentPort());
    assertThat(Resources.of(offer.resources())).isEqualTo(Resources.parse(ClusterFixture.AGENT_RESOURCES));
    assertThat(offer.allocationInfo().role()).isEqualTo("*");

    TaskInfo task = Tasks.shell("echo-1", offer, "echo hello from the task", 0.5, 64);
    int status = await(client.call(Call.accept(id, List.of(offer.id()),
        List.of(Offer.Operation.launch(List.of(task))), new Filters(0.0))));
    assertThat(status).isEqualTo(202);

    TaskId taskId = task.taskId();
    assertThat(acknowledged(events.nextUpdate(taskId)).state()).isEqualTo(TaskState.TASK_STARTING);
    assertThat(acknowledged(events.nextUpdate(taskId)).state()).isEqualTo(TaskState.TASK_RUNNING);
    TaskStatus finished = acknowledged(events.nextUpdate(taskId));
    assertThat(finished.state()).isEqualTo(TaskState.TASK_FINISHED);
    assertThat(finished.agentId()).isEqualTo(offer.agentId());
    assertThat(finished.source()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
    assertThat(finished.timestamp()).isPositive();

    // The task really ran: its stdout is in its sandbox, served by the agent.
    JsonObject state = new JsonObject(fixture.get("http://127.0.0.1:" + fixture.cluster.agentPort() + "/state").body());
    String sandbox = findSandbox(state, "echo-1");
    HttpResponse<String> stdout = fixture.get("http://127.0.0.1:" + fixture.cluster.agentPort()
        + "/files/read?offset=0&path=" + java.net.URLEncoder.encode(sandbox + "/stdout", "UTF-8"));
    assertThat(new JsonObject(stdout.body()).getString("data")).isEqualTo("hello from the task\n");
  }

  @Test
  void killsALongRunningTask() throws Exception {
    FrameworkId id = subscribe("http-kill");
    Offer offer = events.takeType(Event.Type.OFFERS).offers().offers().get(0);
    TaskInfo task = Tasks.shell("sleeper", offer, "sleep 600", 0.5, 64);
    await(client.call(Call.accept(id, List.of(offer.id()), List.of(Offer.Operation.launch(List.of(task))), null)));
    acknowledged(events.awaitState(task.taskId(), TaskState.TASK_STARTING));
    acknowledged(events.awaitState(task.taskId(), TaskState.TASK_RUNNING));

    await(client.call(Call.kill(id, task.taskId(), offer.agentId())));
    assertThat(acknowledged(events.nextUpdate(task.taskId())).state()).isEqualTo(TaskState.TASK_KILLING);
    assertThat(acknowledged(events.nextUpdate(task.taskId())).state()).isEqualTo(TaskState.TASK_KILLED);
  }

  @Test
  void invalidAcceptLaunchesNothingAndReturnsTheOffer() throws Exception {
    FrameworkId id = subscribe("http-invalid");
    Offer offer = events.takeType(Event.Type.OFFERS).offers().offers().get(0);
    TaskInfo tooBig = Tasks.shell("too-big", offer, "echo never", 64, 64);
    TaskInfo fine = Tasks.shell("fine", offer, "echo never either", 0.1, 32);
    await(client.call(Call.accept(id, List.of(offer.id()),
        List.of(Offer.Operation.launch(List.of(tooBig, fine))), new Filters(0.0))));

    for (TaskInfo task : List.of(tooBig, fine)) {
      TaskStatus error = events.nextUpdate(task.taskId());
      assertThat(error.state()).isEqualTo(TaskState.TASK_ERROR);
      assertThat(error.reason()).isEqualTo(TaskStatus.Reason.REASON_TASK_INVALID);
      assertThat(error.source()).isEqualTo(TaskStatus.Source.SOURCE_MASTER);
      assertThat(error.message()).contains("cpus:64.1").contains("short by cpus:60.1");
      assertThat(error.uuid()).as("master-generated updates are not acknowledged").isNull();
    }
    // Nothing reached the agent, and the whole agent is offered again.
    JsonObject state = new JsonObject(fixture.get("http://127.0.0.1:" + fixture.cluster.agentPort() + "/state").body());
    assertThat(state.encode()).doesNotContain("too-big").doesNotContain("\"fine\"");
    Offer again = events.takeType(Event.Type.OFFERS).offers().offers().get(0);
    assertThat(Resources.of(again.resources())).isEqualTo(Resources.parse(ClusterFixture.AGENT_RESOURCES));

    // An offer that is no longer outstanding cannot be used.
    await(client.call(Call.accept(id, List.of(offer.id()), List.of(Offer.Operation.launch(List.of(fine))), null)));
    assertThat(events.nextUpdate(fine.taskId()).message()).contains("is not outstanding");
    await(client.call(Call.decline(id, List.of(again.id()), new Filters(0.0))));
  }

  @Test
  void sendsHeartbeats() throws Exception {
    subscribe("http-heartbeat");
    assertThat(events.takeType(Event.Type.HEARTBEAT).type()).isEqualTo(Event.Type.HEARTBEAT);
  }

  @Test
  void refusesMalformedCallsWithAMessage() throws Exception {
    String url = fixture.gateway() + "/api/v1/scheduler";
    HttpResponse<String> protobuf = fixture.post(url, "application/x-protobuf", "x");
    assertThat(protobuf.statusCode()).isEqualTo(415);

    HttpResponse<String> noStream = fixture.post(url, "application/json",
        "{\"type\":\"DECLINE\",\"framework_id\":{\"value\":\"x\"},\"decline\":{}}");
    assertThat(noStream.statusCode()).isEqualTo(400);
    assertThat(noStream.body()).contains("Mesos-Stream-Id");

    HttpResponse<String> unknownStream = fixture.post(url, "application/json",
        "{\"type\":\"DECLINE\",\"framework_id\":{\"value\":\"x\"},\"decline\":{}}", "Mesos-Stream-Id", "nope");
    assertThat(unknownStream.statusCode()).isEqualTo(403);

    HttpResponse<String> missingField = fixture.post(url, "application/json",
        "{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":{\"user\":\"u\"}}}");
    assertThat(missingField.statusCode()).isEqualTo(400);
    assertThat(missingField.body()).contains("subscribe.framework_info.name");

    HttpResponse<String> notJson = fixture.post(url, "application/json", "{nope");
    assertThat(notJson.statusCode()).isEqualTo(400);
  }

  @Test
  void callsFromAnotherStreamAreForbidden() throws Exception {
    FrameworkId id = subscribe("http-owner");
    Offer offer = events.takeType(Event.Type.OFFERS).offers().offers().get(0);
    // The intruder is a framework of its own, with a stream of its own, acting for the owner.
    SchedulerHttpClient intruder = new SchedulerHttpClient(fixture.clients, "127.0.0.1", fixture.cluster.httpPort());
    FrameworkId intruderId = await(intruder.subscribe(FrameworkInfo.of("tester", "http-intruder"), event -> { }))
        .subscribed().frameworkId();
    try {
      await(intruder.call(Call.decline(id, List.of(offer.id()), null)));
      throw new AssertionError("a call on another framework's stream was accepted");
    } catch (java.util.concurrent.ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(SchedulerCallException.class);
      assertThat(((SchedulerCallException) e.getCause()).status()).isEqualTo(403);
    } finally {
      await(intruder.call(Call.teardown(intruderId)));
      await(intruder.close());
    }
    await(client.call(Call.decline(id, List.of(offer.id()), new Filters(0.0))));
  }

  @Test
  void declinedOffersComeBackAfterTheFilter() throws Exception {
    FrameworkId id = subscribe("http-decline");
    Offer first = events.takeType(Event.Type.OFFERS).offers().offers().get(0);
    long declined = System.nanoTime();
    await(client.call(Call.decline(id, List.of(first.id()), new Filters(1.0))));
    Offer second = events.takeType(Event.Type.OFFERS).offers().offers().get(0);
    assertThat(second.id()).isNotEqualTo(first.id());
    assertThat((System.nanoTime() - declined) / 1_000_000).as("refused for at least 1 s").isGreaterThanOrEqualTo(1000);
    await(client.call(Call.decline(id, List.of(second.id()), new Filters(0.0))));
  }

  private static String findSandbox(JsonObject state, String taskId) {
    for (String key : List.of("tasks", "completed_tasks")) {
      JsonArray tasks = state.getJsonArray(key, new JsonArray());
      for (int i = 0; i < tasks.size(); i++) {
        JsonObject task = tasks.getJsonObject(i);
        if (taskId.equals(task.getString("task_id")) || taskId.equals(idValue(task))) {
          return task.getString("sandbox", task.getString("directory"));
        }
      }
    }
    throw new AssertionError("task " + taskId + " not in the agent's state: " + state.encodePrettily());
  }

  private static String idValue(JsonObject task) {
    Object id = task.getValue("task_id");
    return id instanceof JsonObject json ? json.getString("value") : null;
  }
}
