package orrery.e2e.recovery;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
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
import orrery.sdk.SchedulerHttpClient;

/**
 * A framework on the HTTP API that outlives the master: it acknowledges every update as it arrives, remembers
 * every update of every task in the order it came, and subscribes again under its id when the master is back.
 */
final class RecoveringFramework {

  private static final long SUBSCRIBE_TIMEOUT_SECONDS = 90;

  private final Vertx vertx;
  private final int port;
  private final FrameworkInfo info;
  private final Map<TaskId, List<TaskStatus>> updates = new LinkedHashMap<>();
  private final LinkedBlockingDeque<Offer> offers = new LinkedBlockingDeque<>();
  private volatile SchedulerHttpClient client;
  private FrameworkId id;

  RecoveringFramework(Vertx vertx, int port, FrameworkInfo info) {
    this.vertx = vertx;
    this.port = port;
    this.info = info;
  }

  /** Subscribes, or subscribes again under its id; tries until the master answers. */
  FrameworkId subscribe() throws Exception {
    if (client != null) {
      client.close().otherwiseEmpty().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    offers.clear();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SUBSCRIBE_TIMEOUT_SECONDS);
    Exception last = null;
    while (System.nanoTime() < deadline) {
      SchedulerHttpClient attempt = new SchedulerHttpClient(vertx, "127.0.0.1", port);
      client = attempt;
      try {
        Event subscribed = await(attempt.subscribe(id == null ? info : info.withId(id), this::onEvent));
        id = subscribed.subscribed().frameworkId();
        return id;
      } catch (Exception e) {
        last = e;
        attempt.close().otherwiseEmpty();
        Thread.sleep(200);
      }
    }
    throw new AssertionError("could not subscribe within " + SUBSCRIBE_TIMEOUT_SECONDS + " s", last);
  }

  FrameworkId id() {
    return id;
  }

  /** The next offer, or null if none comes within {@code seconds}. */
  Offer nextOffer(long seconds) throws InterruptedException {
    return offers.poll(seconds, TimeUnit.SECONDS);
  }

  Future<Integer> launch(Offer offer, List<TaskInfo> tasks) {
    return client.call(Call.accept(id, List.of(offer.id()), List.of(Offer.Operation.launch(tasks)), new Filters(0.0)));
  }

  Future<Integer> decline(Offer offer) {
    return client.call(Call.decline(id, List.of(offer.id()), new Filters(0.0)));
  }

  Future<Integer> reconcile(List<Call.Reconcile.Task> tasks) {
    return client.call(Call.reconcile(id, tasks));
  }

  Future<Integer> kill(TaskId task) {
    return client.call(Call.kill(id, task, null));
  }

  Future<Integer> teardown() {
    return client.call(Call.teardown(id));
  }

  /** Every update of the task received so far, in order, duplicates and reconciliation answers included. */
  synchronized List<TaskStatus> updatesOf(TaskId task) {
    return List.copyOf(updates.getOrDefault(task, List.of()));
  }

  synchronized Map<TaskId, List<TaskStatus>> allUpdates() {
    Map<TaskId, List<TaskStatus>> copy = new LinkedHashMap<>();
    updates.forEach((task, list) -> copy.put(task, List.copyOf(list)));
    return copy;
  }

  /** The state of the task's latest update, or null before any. */
  synchronized TaskState latestState(TaskId task) {
    List<TaskStatus> list = updates.get(task);
    return list == null || list.isEmpty() ? null : list.get(list.size() - 1).state();
  }

  /** Waits until an update of the task in {@code state} has arrived. */
  synchronized void awaitState(TaskId task, TaskState state, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (updates.getOrDefault(task, List.of()).stream().noneMatch(s -> s.state() == state)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("no " + state + " for " + task + " within " + seconds + " s; it had "
            + updates.getOrDefault(task, List.of()).stream().map(TaskStatus::state).toList());
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
          // Lost with the master now and then: the agent sends the update again until one arrives.
          client.call(Call.acknowledge(id, status.agentId(), status.taskId(), status.uuid()));
        }
      }
      default -> { }
    }
  }

  private synchronized void record(TaskStatus status) {
    updates.computeIfAbsent(status.taskId(), t -> new ArrayList<>()).add(status);
    notifyAll();
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
