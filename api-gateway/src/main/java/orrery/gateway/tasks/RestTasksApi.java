package orrery.gateway.tasks;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.UUID;
import orrery.protocol.bus.Addresses;
import orrery.protocol.bus.Requests;
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

  /** Each request waits this long for an answer before it is asked again (within the gateway's answer time). */
  private static final long ATTEMPT_TIMEOUT_MILLIS = 3_000;
  private static final long PAUSE_MILLIS = 500;

  private final Vertx vertx;
  private final long answerMillis;

  public RestTasksApi(Vertx vertx, long answerMillis) {
    this.vertx = vertx;
    this.answerMillis = answerMillis;
  }

  public void mount(Router router) {
    router.post("/v1/tasks").handler(BodyHandler.create().setBodyLimit(1 << 20)).handler(this::launch);
    router.get("/v1/tasks").handler(ctx -> relay(ctx, 200, ask(Addresses.REST_TASKS, null)));
    router.get("/v1/tasks/:id").handler(ctx -> relay(ctx, 200, ask(Addresses.REST_TASK, ref(ctx))));
    router.delete("/v1/tasks/:id").handler(ctx -> relay(ctx, 202, ask(Addresses.REST_KILL, ref(ctx))));
  }

  /**
   * Asked again while unanswered, for up to the gateway's answer time: every request here may be asked twice (a task
   * to queue carries the id the gateway gave it, which the REST framework queues once).
   */
  private Future<JsonObject> ask(String address, Object message) {
    return Requests.askUntil(vertx, address, message, answerMillis, ATTEMPT_TIMEOUT_MILLIS, PAUSE_MILLIS);
  }

  private void launch(RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      error(ctx, 400, "", "the body is not a JSON object: " + e.getMessage());
      return;
    }
    // The id is given here, so that the request can be asked again without queueing the task twice. The REST
    // framework checks the name it is made of, with the rest of the body.
    String prefix = body != null && body.getValue("name") instanceof String name ? name : "task";
    TaskId id = TaskId.of(prefix + "-" + UUID.randomUUID().toString().substring(0, 8));
    relay(ctx, 201, ask(Addresses.REST_SUBMIT, RestTaskMessages.submit(id, body))
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
