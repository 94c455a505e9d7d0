package orrery.rest;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import orrery.protocol.bus.Addresses;
import orrery.protocol.bus.BusCodecs;
import orrery.protocol.bus.FailureCodes;
import orrery.protocol.json.ProtocolException;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.messages.RestTaskMessages;
import orrery.protocol.messages.RestTaskMessages.RestTaskRef;
import orrery.protocol.messages.ServiceHealth;

/**
 * Runs the {@link RestFramework} and answers the gateways' {@code /v1/tasks} on the event bus. There is one in the
 * cluster, deployed beside the leading offer broker (a singleton already), so that every gateway serves the same
 * tasks; in {@code orrery standalone} it runs in the one process. It answers only once subscribed: until then a
 * gateway finds no handler and says the REST framework is not running.
 */
public final class RestFrameworkVerticle extends VerticleBase {

  private RestFramework framework;

  @Override
  public Future<?> start() {
    BusCodecs.register(vertx.eventBus());
    framework = new RestFramework(vertx);
    return framework.start().compose(subscribed -> {
      EventBus bus = vertx.eventBus();
      List<MessageConsumer<?>> consumers = List.of(
          bus.<JsonObject>consumer(Addresses.REST_SUBMIT, this::submit),
          bus.consumer(Addresses.REST_TASKS, this::list),
          bus.<RestTaskRef>consumer(Addresses.REST_TASK, this::show),
          bus.<RestTaskRef>consumer(Addresses.REST_KILL, this::kill),
          bus.consumer(Addresses.REST_HEALTH, m -> m.reply(new ServiceHealth("rest", framework.subscribed(), null))));
      return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
    });
  }

  private void submit(Message<JsonObject> message) {
    TaskRequest request;
    TaskId id;
    try {
      request = TaskRequest.fromJson(message.body().getJsonObject("request"));
      id = TaskId.of(message.body().getString("task_id"));
    } catch (ProtocolException e) {
      message.fail(FailureCodes.BAD_REQUEST, RestTaskMessages.refusal(e.field(), e.getMessage()));
      return;
    } catch (ClassCastException | IllegalArgumentException | NullPointerException e) {
      message.fail(FailureCodes.BAD_REQUEST, RestTaskMessages.refusal("", "the body must be a JSON object"));
      return;
    }
    framework.submit(id, request).onComplete(queued -> {
      if (queued.succeeded()) {
        message.reply(RestTaskJson.of(queued.result()));
      } else {
        message.fail(FailureCodes.UNAVAILABLE, RestTaskMessages.refusal(null,
            "the task could not be recorded, and is not queued: " + queued.cause().getMessage()));
      }
    });
  }

  private void list(Message<Object> message) {
    JsonArray tasks = new JsonArray();
    framework.book().all().forEach(task -> tasks.add(RestTaskJson.of(task)));
    message.reply(new JsonObject().put("tasks", tasks));
  }

  private void show(Message<RestTaskRef> message) {
    RestTask task = framework.book().get(message.body().taskId());
    if (task == null) {
      unknown(message);
    } else {
      message.reply(RestTaskJson.of(task));
    }
  }

  private void kill(Message<RestTaskRef> message) {
    RestTaskBook.KillDecision decision = framework.kill(message.body().taskId());
    if (decision == null) {
      unknown(message);
    } else if (decision instanceof RestTaskBook.NothingToKill ended) {
      message.fail(FailureCodes.CONFLICT, RestTaskMessages.refusal("id",
          "task '" + ended.task().id() + "' has already ended: " + ended.task().status().state()));
    } else {
      RestTask task = decision instanceof RestTaskBook.Dequeued dequeued ? dequeued.task()
          : ((RestTaskBook.KillLaunched) decision).task();
      message.reply(RestTaskJson.of(task));
    }
  }

  private static void unknown(Message<RestTaskRef> message) {
    message.fail(FailureCodes.NOT_FOUND, RestTaskMessages.refusal("id", "no task '" + message.body().taskId() + "'"));
  }

  @Override
  public Future<?> stop() {
    if (framework != null) {
      framework.stop();
    }
    return Future.succeededFuture();
  }
}
