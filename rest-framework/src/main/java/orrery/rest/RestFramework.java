package orrery.rest;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import orrery.protocol.bus.Addresses;
import orrery.protocol.json.MesosJson;
import orrery.protocol.json.ProtocolException;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.FrameworkInfo;
import orrery.protocol.messages.TaskMessages.TaskList;
import orrery.protocol.messages.TaskMessages.TaskQuery;
import orrery.protocol.mesos.Offer;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskStatus;
import orrery.protocol.mesos.Filters;
import orrery.protocol.messages.FrameworkMessages.ConnectionClosed;
import orrery.protocol.messages.FrameworkMessages.FrameworkConnected;
import orrery.protocol.messages.RestTaskMessages;
import orrery.protocol.scheduler.Call;
import orrery.protocol.scheduler.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in framework behind {@code /v1/tasks}, for people who have no framework of their own. It speaks to
 * offer-service with the same calls as any framework, on the event bus; it suppresses offers while its queue is
 * empty and revives them when a task is queued. One runs in the cluster, beside the leading offer broker (see
 * {@link RestFrameworkVerticle}).
 */
public final class RestFramework {

  private static final Logger LOG = LoggerFactory.getLogger(RestFramework.class);
  public static final FrameworkId ID = RestTaskMessages.FRAMEWORK_ID;
  public static final String NAME = ID.value();

  /**
   * The tasks asked for and not yet launched, by id: a Vert.x shared map, so that in a cluster (where it is a
   * Hazelcast map with a backup on another member) they outlive the process that runs the REST framework, and the
   * next one queues them again. A task leaves it once the registry has it (its first status update) or it is killed
   * before its launch. In {@code orrery standalone} the map is local and dies with the process, like the queue.
   */
  static final String QUEUED_MAP = "orrery-rest-queued";
  private static final long START_RETRY_MILLIS = 500;
  private static final long REVIVE_AGAIN_MILLIS = 5_000;

  private final Vertx vertx;
  private final EventBus bus;
  private final RestTaskBook book = new RestTaskBook();
  private final String connection = "rest:" + UUID.randomUUID();
  private FrameworkId frameworkId;
  private MessageConsumer<JsonObject> events;
  private MessageConsumer<ConnectionClosed> closed;
  private boolean suppressed;
  private long reviveTimer = -1;
  private AsyncMap<String, JsonObject> queued;

  public RestFramework(Vertx vertx) {
    this.vertx = vertx;
    this.bus = vertx.eventBus();
  }

  /**
   * Reads back what the registry has of its tasks (after a restart) and queues again the tasks asked for that were
   * not launched, subscribes, listens on its event address, then tells offer-service it is connected. In a cluster
   * the registry or offer-service may not be up yet: it tries again every half second until both have answered.
   */
  public Future<Void> start() {
    return attemptStart().recover(failure -> {
      LOG.info("REST framework not subscribed yet ({}); trying again", failure.getMessage());
      return vertx.timer(START_RETRY_MILLIS).compose(t -> start());
    }).onSuccess(v -> {
      if (reviveTimer < 0) {
        reviveTimer = vertx.setPeriodic(REVIVE_AGAIN_MILLIS, id -> reviveWhileQueued());
      }
    });
  }

  /**
   * Tasks wait: REVIVE again, now and then, as Marathon does. A REVIVE can be lost on its way to an allocator that
   * is failing over, and the tasks would otherwise wait for ever on a framework the new allocator holds suppressed.
   */
  private void reviveWhileQueued() {
    if (frameworkId != null && book.hasQueued()) {
      suppressed = false;
      call(Call.revive(frameworkId, List.of()));
    }
  }

  private Future<Void> attemptStart() {
    FrameworkInfo info = FrameworkInfo.of(System.getProperty("user.name", "root"), NAME)
        // A week: the REST framework's tasks outlive a restart or a failover of the offer broker it runs beside.
        .withFailoverTimeout(7 * 24 * 3600)
        .withCapabilities(FrameworkInfo.Capability.Type.TASK_KILLING_STATE).withId(ID);
    return vertx.sharedData().<String, JsonObject>getAsyncMap(QUEUED_MAP).compose(map -> {
      queued = map;
      return bus.<TaskList>request(Addresses.REGISTRY_TASKS, new TaskQuery(ID));
    }).compose(recorded -> {
      book.restore(recorded.body().tasks());
      if (!recorded.body().tasks().isEmpty()) {
        LOG.info("REST framework knows its {} task(s) from the registry again", recorded.body().tasks().size());
      }
      return queued.entries();
    }).compose(waiting -> {
      queueAgain(waiting);
      return call(Call.subscribe(info));
    }).compose(reply -> {
      Event subscribed = MesosJson.fromJsonObject(reply, Event.class);
      frameworkId = subscribed.subscribed().frameworkId();
      if (events == null) { // once, whatever the attempt
        events = bus.<JsonObject>consumer(Addresses.framework(frameworkId), m -> onEvent(m.body()));
        // Offer-service closes a connection when its framework subscribed on another one: here, a second REST
        // framework under the same id, which only a second leading offer broker would run.
        closed = bus.<ConnectionClosed>consumer(Addresses.GATEWAY_CLOSE_CONNECTION, m -> {
          if (connection.equals(m.body().connection())) {
            LOG.error("REST framework: offer-service gave {} to another connection (a second REST framework?); "
                + "this one gets no offers and no updates now", ID);
          }
        });
      }
      return Future.all(events.completion(), closed.completion());
    }).compose(v -> bus.request(Addresses.OFFERS_CONNECTED, new FrameworkConnected(frameworkId, connection)))
        .onSuccess(v -> LOG.info("REST framework subscribed as {}", frameworkId))
        .mapEmpty();
  }

  /** The tasks asked for before a restart and not launched: queued again (a launched one is the registry's). */
  private void queueAgain(Map<String, JsonObject> waiting) {
    int again = 0;
    for (Map.Entry<String, JsonObject> entry : waiting.entrySet()) {
      TaskId id = TaskId.of(entry.getKey());
      TaskRequest request;
      try {
        request = TaskRequest.fromJson(entry.getValue());
      } catch (ProtocolException e) { // written by another version of Orrery, say: it would never read better
        LOG.error("REST framework drops queued task {}, which it cannot read: {}", id, e.getMessage());
        forget(id);
        continue;
      }
      if (book.restoreQueued(id, request)) {
        again++;
      } else {
        forget(id);
      }
    }
    if (again > 0) {
      LOG.info("REST framework queued again {} task(s) asked for before it restarted", again);
    }
  }

  /**
   * Queues a task under the id the gateway gave it, once it is recorded in the shared map (it then outlives this
   * process): the task, as queued. An id it knows already is the same request asked again (its answer was lost): the
   * task as it is now, queued once.
   */
  public Future<RestTask> submit(TaskId id, TaskRequest request) {
    RestTask known = book.get(id);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return queued.put(id.value(), request.toJson()).map(recorded -> {
      RestTask asked = book.get(id); // asked twice while the first put was on its way
      if (asked != null) {
        return asked;
      }
      RestTask task = book.submit(id, request);
      reviveIfSuppressed();
      return task;
    });
  }

  /** The task is the registry's now (or was killed before its launch): no longer kept in the shared map. */
  private void forget(TaskId id) {
    queued.remove(id.value()).onFailure(e ->
        LOG.warn("REST framework could not take task {} off its shared queue: {}", id, e.getMessage()));
  }

  /** Kills a task: the decision says what happened; null when the id is unknown. */
  public RestTaskBook.KillDecision kill(TaskId id) {
    RestTaskBook.KillDecision decision = book.kill(id, System.currentTimeMillis());
    if (decision instanceof RestTaskBook.KillLaunched launched) {
      call(Call.kill(frameworkId, id, launched.task().agentId()));
    } else if (decision instanceof RestTaskBook.Dequeued) {
      forget(id);
    }
    return decision;
  }

  public RestTaskBook book() {
    return book;
  }

  public FrameworkId frameworkId() {
    return frameworkId;
  }

  /** Subscribed, and told offer-service it listens: it gets offers and updates. */
  public boolean subscribed() {
    return frameworkId != null && reviveTimer >= 0;
  }

  /** Stops asking for offers again; the verticle's undeployment drops its consumers. */
  public void stop() {
    if (reviveTimer >= 0) {
      vertx.cancelTimer(reviveTimer);
    }
  }

  private void onEvent(JsonObject json) {
    Event event = MesosJson.fromJsonObject(json, Event.class);
    switch (event.type()) {
      case OFFERS -> offers(event.offers().offers());
      case UPDATE -> update(event.update().status());
      case ERROR -> LOG.error("REST framework got an error from the master: {}", event.error().message());
      default -> { }
    }
  }

  private void offers(List<Offer> offers) {
    RestTaskBook.Plan plan = book.match(offers);
    for (RestTaskBook.Launch launch : plan.launches()) {
      call(Call.accept(frameworkId, List.of(launch.offer().id()),
          List.of(Offer.Operation.launch(launch.tasks())), new Filters(0.0)))
          .onFailure(e -> book.requeue(launch.tasks()));
    }
    if (!plan.declines().isEmpty()) {
      call(Call.decline(frameworkId, plan.declines(), new Filters(Filters.DEFAULT_REFUSE_SECONDS)));
    }
    // Offers with nothing queued: the master does not know this framework suppressed them (a broker that took over
    // knows nothing of earlier SUPPRESS calls), so it is told again.
    if (!book.hasQueued()) {
      suppressed = true;
      call(Call.suppress(frameworkId, List.of()));
    }
  }

  private void update(TaskStatus status) {
    RestTask before = book.get(status.taskId());
    if (!book.update(status)) {
      LOG.warn("REST framework got an update for task {}, which it does not know", status.taskId());
    } else if (before.status() == null && !book.get(status.taskId()).queued()) {
      forget(status.taskId()); // its first status: the registry has recorded its launch
    }
    // A task launched on an offer that was gone is queued again (see RestTaskBook.update).
    if (book.hasQueued()) {
      reviveIfSuppressed();
    }
    if (status.uuid() != null) {
      call(Call.acknowledge(frameworkId, status.agentId(), status.taskId(), status.uuid()));
    }
  }

  private void reviveIfSuppressed() {
    if (suppressed) {
      suppressed = false;
      call(Call.revive(frameworkId, List.of()));
    }
  }

  private Future<JsonObject> call(Call call) {
    DeliveryOptions options = new DeliveryOptions().addHeader(Addresses.CONNECTION_HEADER, connection);
    return bus.<JsonObject>request(Addresses.SCHEDULER, MesosJson.toJsonObject(call), options)
        .map(reply -> reply.body())
        .onFailure(e -> LOG.warn("REST framework's {} call failed: {}", call.type(), e.getMessage()));
  }
}
