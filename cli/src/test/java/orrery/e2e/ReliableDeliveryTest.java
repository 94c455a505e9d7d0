package orrery.e2e;

import static orrery.e2e.ClusterFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import orrery.protocol.json.MesosJson;
import orrery.protocol.mesos.Filters;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.FrameworkInfo;
import orrery.protocol.mesos.Offer;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskInfo;
import orrery.protocol.mesos.TaskState;
import orrery.protocol.mesos.TaskStatus;
import orrery.protocol.scheduler.Call;
import orrery.protocol.scheduler.Event;
import orrery.sdk.SchedulerCallException;
import orrery.sdk.SchedulerHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Mesos' delivery guarantees over the HTTP API: failover within the timeout, teardown after it, reconciliation. */
class ReliableDeliveryTest extends StandaloneClusterTest {

  private final List<SchedulerHttpClient> clients = new ArrayList<>();

  @AfterEach
  void closeClients() throws Exception {
    for (SchedulerHttpClient client : clients) {
      if (client.frameworkId() != null) {
        client.call(Call.teardown(client.frameworkId())).otherwiseEmpty();
      }
      await(client.close().otherwiseEmpty());
    }
  }

  private SchedulerHttpClient client() {
    SchedulerHttpClient client = new SchedulerHttpClient(fixture.clients, "127.0.0.1", fixture.cluster.httpPort());
    clients.add(client);
    return client;
  }

  /** Launches {@code sleep 600} on the next offer and acknowledges its TASK_STARTING. */
  private TaskInfo launchSleep(SchedulerHttpClient client, EventLog events, String id) throws Exception {
    Offer offer = events.takeType(Event.Type.OFFERS).offers().offers().get(0);
    TaskInfo task = Tasks.shell(id, offer, "sleep 600", 0.1, 32);
    await(client.call(Call.accept(client.frameworkId(), List.of(offer.id()),
        List.of(Offer.Operation.launch(List.of(task))), new Filters(0.0))));
    ack(client, events.awaitState(task.taskId(), TaskState.TASK_STARTING));
    return task;
  }

  private static void ack(SchedulerHttpClient client, TaskStatus status) throws Exception {
    await(client.call(Call.acknowledge(client.frameworkId(), status.agentId(), status.taskId(), status.uuid())));
  }

  @Test
  void aFrameworkThatReturnsInTimeGetsWhatItHadNotAcknowledged() throws Exception {
    SchedulerHttpClient first = client();
    EventLog events = new EventLog();
    FrameworkInfo info = FrameworkInfo.of("tester", "failover").withFailoverTimeout(60);
    FrameworkId id = await(first.subscribe(info, events::add)).subscribed().frameworkId();
    TaskInfo task = launchSleep(first, events, "failover-1");
    TaskStatus running = events.awaitState(task.taskId(), TaskState.TASK_RUNNING);
    // Not acknowledged: the connection drops first.
    await(first.close());

    SchedulerHttpClient second = client();
    EventLog again = new EventLog();
    await(second.subscribe(info.withId(id), again::add));

    TaskStatus resent = again.awaitState(task.taskId(), TaskState.TASK_RUNNING);
    assertThat(resent.uuid()).isEqualTo(running.uuid());
    ack(second, resent);
    await(second.call(Call.kill(id, task.taskId(), null)));
    ack(second, again.awaitState(task.taskId(), TaskState.TASK_KILLING));
    again.awaitState(task.taskId(), TaskState.TASK_KILLED);
  }

  @Test
  void aFrameworkThatDoesNotReturnInTimeIsTornDownWithItsTasks() throws Exception {
    SchedulerHttpClient first = client();
    EventLog events = new EventLog();
    FrameworkInfo info = FrameworkInfo.of("tester", "gone-for-good").withFailoverTimeout(1);
    FrameworkId id = await(first.subscribe(info, events::add)).subscribed().frameworkId();
    TaskInfo task = launchSleep(first, events, "orphan-1");
    ack(first, events.awaitState(task.taskId(), TaskState.TASK_RUNNING));
    await(first.close());

    // After its second of grace the framework is removed and the agent kills its task.
    JsonNode killed = awaitAgentTask(task.taskId(), "TASK_KILLED");
    assertThat(killed.path("state").asText()).isEqualTo("TASK_KILLED");
    SchedulerHttpClient second = client();
    assertThatThrownBy(() -> await(second.subscribe(info.withId(id), e -> { })))
        .cause().isInstanceOf(SchedulerCallException.class).hasMessageContaining("torn down");
  }

  @Test
  void reconciliationAnswersTheLatestStatesAndRefusesOtherFrameworksTasks() throws Exception {
    SchedulerHttpClient client = client();
    EventLog events = new EventLog();
    FrameworkId id = await(client.subscribe(FrameworkInfo.of("tester", "reconciler"), events::add))
        .subscribed().frameworkId();
    TaskInfo task = launchSleep(client, events, "reconciled-1");
    ack(client, events.awaitState(task.taskId(), TaskState.TASK_RUNNING));

    // Explicit: the named task's latest state, and TASK_LOST for an id nobody knows.
    await(client.call(Call.reconcile(id, List.of(new Call.Reconcile.Task(task.taskId(), null),
        new Call.Reconcile.Task(TaskId.of("never-launched"), null)))));
    TaskStatus known = events.awaitState(task.taskId(), TaskState.TASK_RUNNING);
    assertThat(known.reason()).isEqualTo(TaskStatus.Reason.REASON_RECONCILIATION);
    assertThat(known.uuid()).as("reconciliation answers are not acknowledged").isNull();
    TaskStatus unknown = events.awaitState(TaskId.of("never-launched"), TaskState.TASK_LOST);
    assertThat(unknown.reason()).isEqualTo(TaskStatus.Reason.REASON_RECONCILIATION);
    // Implicit: every task of the framework.
    await(client.call(Call.reconcile(id, List.of())));
    assertThat(events.awaitState(task.taskId(), TaskState.TASK_RUNNING).reason())
        .isEqualTo(TaskStatus.Reason.REASON_RECONCILIATION);

    SchedulerHttpClient other = client();
    FrameworkId otherId = await(other.subscribe(FrameworkInfo.of("tester", "nosy"), e -> { }))
        .subscribed().frameworkId();
    assertThatThrownBy(() -> await(other.call(Call.reconcile(otherId,
        List.of(new Call.Reconcile.Task(task.taskId(), null))))))
        .cause().isInstanceOf(SchedulerCallException.class).hasMessageContaining("403")
        .hasMessageContaining("another framework");
    // An acknowledgement no update carried is refused too, and changes nothing.
    assertThatThrownBy(() -> await(client.call(Call.acknowledge(id, task.agentId(), task.taskId(),
        new byte[16])))).cause().isInstanceOf(SchedulerCallException.class).hasMessageContaining("400");
  }

  /** Polls the agent's /state until the task is listed (among running or completed tasks) in {@code state}. */
  private JsonNode awaitAgentTask(TaskId task, String state) throws Exception {
    long deadline = System.nanoTime() + EventLog.TIMEOUT_SECONDS * 1_000_000_000L;
    String last = "";
    while (System.nanoTime() < deadline) {
      last = fixture.get("http://127.0.0.1:" + fixture.cluster.agentPort() + "/state").body();
      JsonNode listed = findTask(MesosJson.mapper().readTree(last), task.value());
      if (listed != null && state.equals(listed.path("state").asText())) {
        return listed;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("task " + task + " never " + state + " on the agent: " + last);
  }

  private static JsonNode findTask(JsonNode node, String id) {
    if (node.isObject()) {
      JsonNode taskId = node.get("task_id");
      if (taskId != null && id.equals(taskId.asText())) {
        return node;
      }
    }
    for (JsonNode child : node) {
      JsonNode found = findTask(child, id);
      if (found != null) {
        return found;
      }
    }
    return null;
  }
}
