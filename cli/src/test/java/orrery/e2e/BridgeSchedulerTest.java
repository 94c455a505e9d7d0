package orrery.e2e;

import static orrery.e2e.ClusterFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import orrery.protocol.bus.Addresses;
import orrery.protocol.mesos.Filters;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.FrameworkInfo;
import orrery.protocol.mesos.Offer;
import orrery.protocol.mesos.TaskInfo;
import orrery.protocol.mesos.TaskState;
import orrery.protocol.mesos.TaskStatus;
import orrery.protocol.scheduler.Call;
import orrery.protocol.scheduler.Event;
import orrery.sdk.BridgeSchedulerClient;
import orrery.sdk.SchedulerCallException;
import org.junit.jupiter.api.Test;

/** A framework on the TCP event-bus bridge, against a standalone cluster, over real sockets. */
class BridgeSchedulerTest extends StandaloneClusterTest {

  private static BridgeSchedulerClient connect() throws Exception {
    return await(BridgeSchedulerClient.connect(fixture.clients, "127.0.0.1", fixture.cluster.bridgePort()));
  }

  private static void acknowledge(BridgeSchedulerClient client, TaskStatus status) throws Exception {
    await(client.request(Call.acknowledge(client.frameworkId(), status.agentId(), status.taskId(), status.uuid())));
  }

  @Test
  void launchesWatchesAndKillsTasks() throws Exception {
    BridgeSchedulerClient client = connect();
    EventLog events = new EventLog();
    Event subscribed = await(client.subscribe(FrameworkInfo.of("tester", "bridge-framework"), events::add));
    FrameworkId id = subscribed.subscribed().frameworkId();

    Offer offer = events.takeType(Event.Type.OFFERS).offers().offers().get(0);
    TaskInfo quick = Tasks.shell("quick", offer, "echo done", 0.5, 64);
    TaskInfo slow = Tasks.shell("slow", offer, "sleep 600", 0.5, 64);
    await(client.request(Call.accept(id, List.of(offer.id()),
        List.of(Offer.Operation.launch(List.of(quick, slow))), new Filters(0.0))));

    for (TaskState expected : List.of(TaskState.TASK_STARTING, TaskState.TASK_RUNNING, TaskState.TASK_FINISHED)) {
      TaskStatus status = events.nextUpdate(quick.taskId());
      assertThat(status.state()).isEqualTo(expected);
      acknowledge(client, status);
    }
    acknowledge(client, events.awaitState(slow.taskId(), TaskState.TASK_STARTING));
    acknowledge(client, events.awaitState(slow.taskId(), TaskState.TASK_RUNNING));

    await(client.request(Call.kill(id, slow.taskId(), offer.agentId())));
    TaskStatus killing = events.nextUpdate(slow.taskId());
    assertThat(killing.state()).isEqualTo(TaskState.TASK_KILLING);
    acknowledge(client, killing);
    TaskStatus killed = events.nextUpdate(slow.taskId());
    assertThat(killed.state()).isEqualTo(TaskState.TASK_KILLED);
    acknowledge(client, killed);

    await(client.request(Call.teardown(id)));
    await(client.close());
  }

  @Test
  void anotherConnectionCannotReadAFrameworksEvents() throws Exception {
    BridgeSchedulerClient owner = connect();
    EventLog ownerEvents = new EventLog();
    FrameworkId id = await(owner.subscribe(FrameworkInfo.of("tester", "bridge-owner"), ownerEvents::add))
        .subscribed().frameworkId();

    BridgeSchedulerClient intruder = connect();
    LinkedBlockingQueue<String> errors = new LinkedBlockingQueue<>();
    List<Object> stolen = Collections.synchronizedList(new ArrayList<>());
    intruder.onError(errors::add);
    intruder.listen(Addresses.framework(id), stolen::add);
    assertThat(errors.poll(EventLog.TIMEOUT_SECONDS, TimeUnit.SECONDS)).isNotNull();

    // The owner still gets its offers; the intruder never sees one.
    Offer offer = ownerEvents.takeType(Event.Type.OFFERS).offers().offers().get(0);
    assertThat(stolen).isEmpty();

    // Nor can the intruder act for the framework.
    assertThatThrownBy(() -> await(intruder.request(Call.decline(id, List.of(offer.id()), null))))
        .isInstanceOf(ExecutionException.class).cause().isInstanceOf(SchedulerCallException.class)
        .hasMessageContaining("403");

    // Nothing but the scheduler address may be sent to.
    assertThat(stolen).isEmpty();
    await(owner.request(Call.teardown(id)));
    await(owner.close());
    await(intruder.close());
  }

  @Test
  void badCallsAreAnsweredWithTheField() throws Exception {
    BridgeSchedulerClient client = connect();
    Call noName = Call.subscribe(FrameworkInfo.of("tester", "x"));
    io.vertx.core.json.JsonObject json = orrery.protocol.json.MesosJson.toJsonObject(noName);
    json.getJsonObject("subscribe").getJsonObject("framework_info").remove("name");
    assertThatThrownBy(() -> await(client.request(json)))
        .cause().isInstanceOf(SchedulerCallException.class)
        .hasMessageContaining("400").hasMessageContaining("subscribe.framework_info.name");
    await(client.close());
  }

  @Test
  void closingTheConnectionDeactivatesAndTearsDownTheFramework() throws Exception {
    BridgeSchedulerClient first = connect();
    EventLog events = new EventLog();
    FrameworkId id = await(first.subscribe(FrameworkInfo.of("tester", "bridge-gone"), events::add))
        .subscribed().frameworkId();
    events.takeType(Event.Type.OFFERS);
    await(first.close());

    // failover_timeout 0: the framework is removed at once. Once another framework is offered the whole agent,
    // the first one's teardown (which happens before any new allocation) is done.
    BridgeSchedulerClient second = connect();
    EventLog nextEvents = new EventLog();
    await(second.subscribe(FrameworkInfo.of("tester", "bridge-next"), nextEvents::add));
    Offer whole = nextEvents.takeType(Event.Type.OFFERS).offers().offers().get(0);
    assertThat(orrery.protocol.resources.Resources.of(whole.resources()))
        .isEqualTo(orrery.protocol.resources.Resources.parse(ClusterFixture.AGENT_RESOURCES));
    FrameworkInfo again = FrameworkInfo.of("tester", "bridge-gone").withId(id);
    assertThatThrownBy(() -> await(second.request(Call.subscribe(again))))
        .cause().isInstanceOf(SchedulerCallException.class).hasMessageContaining("torn down");
    await(second.request(Call.teardown(second.frameworkId())));
    await(second.close());
  }
}
