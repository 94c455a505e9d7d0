package orrery.e2e;

import static orrery.e2e.ClusterFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import orrery.protocol.mesos.Filters;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.FrameworkInfo;
import orrery.protocol.mesos.Offer;
import orrery.protocol.mesos.TaskInfo;
import orrery.protocol.mesos.TaskState;
import orrery.protocol.mesos.TaskStatus;
import orrery.protocol.resources.Resources;
import orrery.protocol.scheduler.Call;
import orrery.protocol.scheduler.Event;
import orrery.sdk.SchedulerHttpClient;
import org.junit.jupiter.api.Test;

/**
 * A new allocator while everything else runs (what a standby taking over is): it learns the agents and their running
 * tasks from the registry, offer-service tells it the frameworks again and rescinds the old allocator's offers, and
 * offers go on, leaving out what the running task holds.
 */
class AllocatorRestartTest extends StandaloneClusterTest {

  @Test
  void aNewAllocatorOffersOnWithoutOfferingWhatRunningTasksHold() throws Exception {
    SchedulerHttpClient client = new SchedulerHttpClient(fixture.clients, "127.0.0.1", fixture.cluster.httpPort());
    EventLog events = new EventLog();
    FrameworkId id = await(client.subscribe(FrameworkInfo.of("tester", "through-a-new-allocator"), events::add))
        .subscribed().frameworkId();
    Offer first = events.takeType(Event.Type.OFFERS).offers().offers().get(0);
    TaskInfo task = Tasks.shell("held-1", first, "sleep 600", 1, 256);
    await(client.call(Call.accept(id, List.of(first.id()), List.of(Offer.Operation.launch(List.of(task))),
        new Filters(0.0))));
    for (TaskState state : List.of(TaskState.TASK_STARTING, TaskState.TASK_RUNNING)) {
      TaskStatus status = events.awaitState(task.taskId(), state);
      await(client.call(Call.acknowledge(id, status.agentId(), status.taskId(), status.uuid())));
    }
    // What the task left free comes back as an offer, outstanding when the allocator goes.
    Offer outstanding = events.takeType(Event.Type.OFFERS).offers().offers().get(0);

    await(fixture.cluster.restartAllocator());

    assertThat(events.take(e -> e.type() == Event.Type.RESCIND
        && e.rescind().offerId().equals(outstanding.id()), "RESCIND of the old allocator's offer")).isNotNull();
    Offer fresh = events.takeType(Event.Type.OFFERS).offers().offers().get(0);
    Resources agent = Resources.parse(ClusterFixture.AGENT_RESOURCES);
    assertThat(Resources.of(fresh.resources()).scalar("cpus")).isEqualTo(agent.scalar("cpus") - 1);
    assertThat(Resources.of(fresh.resources()).scalar("mem")).isEqualTo(agent.scalar("mem") - 256);

    await(client.call(Call.decline(id, List.of(fresh.id()), new Filters(0.0))));
    await(client.call(Call.kill(id, task.taskId(), null)));
    TaskStatus killing = events.awaitState(task.taskId(), TaskState.TASK_KILLING);
    await(client.call(Call.acknowledge(id, killing.agentId(), killing.taskId(), killing.uuid())));
    TaskStatus killed = events.awaitState(task.taskId(), TaskState.TASK_KILLED);
    await(client.call(Call.acknowledge(id, killed.agentId(), killed.taskId(), killed.uuid())));
    // Its resources come back to the new allocator, once: declining what is offered meanwhile, the whole agent is
    // offered again, and never more than it.
    while (true) {
      Offer next = events.takeType(Event.Type.OFFERS).offers().offers().get(0);
      Resources offered = Resources.of(next.resources());
      assertThat(agent.contains(offered)).as("offered %s of %s", offered, agent).isTrue();
      if (offered.equals(agent)) {
        break;
      }
      await(client.call(Call.decline(id, List.of(next.id()), new Filters(0.0))));
    }
    await(client.call(Call.teardown(id)));
    await(client.close());
  }
}
