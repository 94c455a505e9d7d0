package orrery.gateway.tasks;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import orrery.protocol.bus.Addresses;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.messages.RestTaskMessages;
import orrery.protocol.messages.RestTaskMessages.RestTaskRef;

/**
 * {@code /v1/tasks}: launch, list, show and kill tasks of the built-in REST framework. The framework runs once in
 * the cluster (beside the offer broker, see rest-framework); every gateway passes these requests to it on the event
 * bus, so that any gateway serves the same tasks. What it answers (tasks as JSON, or a refusal with its code and
 * error body) is passed on as it is.
 */
public final class RestTasksApi {

  private static final DeliveryOptions QUICK = new DeliveryOptions().setSendTimeout(10_000);

  private final EventBus bus;

  public RestTasksApi(EventBus bus) {
    this.bus = bus;
  }

  public void mount(Router router) {
    router.post("/v1/tasks").handler(BodyHandler.create().setBodyLimit(1 << 20)).handler(this::launch);
    router.get("/v1/tasks").handler(ctx -> relay(ctx, 200, ask(Addresses.REST_TASKS, null)));
    router.get("/v1/tasks/:id").handler(ctx -> relay(ctx, 200, ask(Addresses.REST_TASK, ref(ctx))));
    router.delete("/v1/tasks/:id").handler(ctx -> relay(ctx, 202, ask(Addresses.REST_KILL, ref(ctx))));
  }

  private Future<JsonObject> ask(String address, Object message) {
    return bus.<JsonObject>request(address, message, QUICK).map(Message::body);
  }

  private void launch(RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      error(ctx, 400, "", "the body is not a JSON object: " + e.getMessage());
      return;
    }
    relay(ctx, 201, ask(Addresses.REST_SUBMIT, body)
        .onSuccess(task -> ctx.response().putHeader("Location", "/v1/tasks/" + task.getString("id"))));
  }

  private static RestTaskRef ref(RoutingContext ctx) {
    return new RestTaskRef(TaskId.of(ctx.pathParam("id")));
  }

  private static void relay(RoutingContext ctx, int code, Future<JsonObject> asked) {
    asked.onComplete(answer -> {
      if (answer.succeeded()) {
        ctx.response().setStatusCode(code).putHeader("Content-Type", "application/json")
            .end(answer.result().encode());
      } else {
        refused(ctx, answer.cause());
      }
    });
  }

  /** Seconds a client should wait before it asks again while no REST framework runs (a broker's failover). */
  static final String RETRY_AFTER_SECONDS = "2";

  /**
   * A refusal keeps its code and error body. No REST framework listening (it runs beside the leading offer broker,
   * which may be failing over) is a 503 with {@code Retry-After}: nothing was done, so any request may be sent again.
   * No answer in time is a 504: the request may have taken effect.
   */
  static void refused(RoutingContext ctx, Throwable cause) {
    ReplyFailure failure = cause instanceof ReplyException reply ? reply.failureType() : null;
    if (failure == ReplyFailure.RECIPIENT_FAILURE && ((ReplyException) cause).failureCode() >= 400
        && ((ReplyException) cause).failureCode() < 600) {
      ReplyException reply = (ReplyException) cause;
      ctx.response().setStatusCode(reply.failureCode()).putHeader("Content-Type", "application/json")
          .end(RestTaskMessages.errorBody(reply).encode());
    } else if (failure == ReplyFailure.TIMEOUT) {
      error(ctx, 504, null, "the REST framework did not answer in time; the request may have taken effect "
          + "(GET /v1/tasks shows the tasks): " + cause.getMessage());
    } else {
      ctx.response().putHeader("Retry-After", RETRY_AFTER_SECONDS);
      error(ctx, 503, null, "the REST framework is not running now (it runs beside the leading offer broker, which "
          + "may be failing over); nothing was done: try again in " + RETRY_AFTER_SECONDS + " s");
    }
  }

  static void error(RoutingContext ctx, int code, String field, String message) {
    ctx.response().setStatusCode(code).putHeader("Content-Type", "application/json")
        .end(RestTaskMessages.refusal(field, message));
  }
}
