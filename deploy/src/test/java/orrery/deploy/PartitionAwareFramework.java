package orrery.deploy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import orrery.protocol.mesos.CommandInfo;
import orrery.protocol.mesos.Filters;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.FrameworkInfo;
import orrery.protocol.mesos.Offer;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskInfo;
import orrery.protocol.mesos.TaskStatus;
import orrery.protocol.resources.Resources;
import orrery.protocol.scheduler.Call;
import orrery.protocol.scheduler.Event;
import orrery.sdk.SchedulerHttpClient;

/**
 * A PARTITION_AWARE framework on the gateway's Mesos v1 HTTP API, as the container tests drive it: it keeps the
 * offers it is sent, acknowledges every update and remembers the states each task went through.
 */
final class PartitionAwareFramework {

  private final SchedulerHttpClient client;
  private final LinkedBlockingDeque<Offer> offers = new LinkedBlockingDeque<>();
  private final Map<String, List<String>> states = new HashMap<>();
  private FrameworkId id;

  PartitionAwareFramework(Vertx vertx, int gatewayPort) {
    this.client = new SchedulerHttpClient(vertx, "127.0.0.1", gatewayPort);
  }

  void subscribe() throws Exception {
    FrameworkInfo info = FrameworkInfo.of("tester", "partition-aware").withFailoverTimeout(600)
        .withCapabilities(FrameworkInfo.Capability.Type.PARTITION_AWARE);
    id = await(client.subscribe(info, this::onEvent)).subscribed().frameworkId();
  }

  Offer nextOffer(long seconds) throws InterruptedException {
    return offers.poll(seconds, TimeUnit.SECONDS);
  }

  /** Declined for an hour: the framework wants nothing more of that agent. */
  void decline(Offer offer) throws Exception {
    await(client.call(Call.decline(id, List.of(offer.id()), new Filters(3600.0))));
  }

  /** Launches {@code sleep 600} on the offer; returns the task's id. */
  String launchSleeper(Offer offer) throws Exception {
    TaskId task = TaskId.of("partitioned-" + offer.agentId().value());
    TaskInfo info = TaskInfo.command(task.value(), task, offer.agentId(),
        Resources.parse("cpus:0.1;mem:16").toList(), CommandInfo.shell("sleep 600"));
    await(client.call(Call.accept(id, List.of(offer.id()), List.of(Offer.Operation.launch(List.of(info))),
        new Filters(3600.0))));
    await(client.call(Call.suppress(id, List.of())));
    return task.value();
  }

  void kill(String task) throws Exception {
    await(client.call(Call.kill(id, TaskId.of(task), null)));
  }

  void teardown() throws Exception {
    await(client.call(Call.teardown(id)));
  }

  synchronized List<String> statesOf(String task) {
    return List.copyOf(states.getOrDefault(task, List.of()));
  }

  void awaitState(String task, String state, long seconds) throws InterruptedException {
    awaitState(task, state, 1, seconds);
  }

  /** Waits until the task has been in {@code state} {@code times} times (a task may run, vanish and run again). */
  synchronized void awaitState(String task, String state, int times, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (states.getOrDefault(task, List.of()).stream().filter(state::equals).count() < times) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(task + " was not " + state + " " + times + " time(s) within " + seconds
            + " s; it went through " + states.getOrDefault(task, List.of()));
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  private void onEvent(Event event) {
    switch (event.type()) {
      case OFFERS -> offers.addAll(event.offers().offers());
      case RESCIND -> offers.removeIf(o -> o.id().equals(event.rescind().offerId()));
      case UPDATE -> {
        TaskStatus status = event.update().status();
        record(status);
        if (status.uuid() != null) {
          client.call(Call.acknowledge(id, status.agentId(), status.taskId(), status.uuid()));
        }
      }
      default -> { }
    }
  }

  private synchronized void record(TaskStatus status) {
    states.computeIfAbsent(status.taskId().value(), t -> new ArrayList<>()).add(status.state().name());
    notifyAll();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
