package orrery.gateway.tasks;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import orrery.protocol.json.MesosJson;
import orrery.protocol.json.ProtocolException;
import orrery.protocol.mesos.TaskId;

/**
 * {@code /v1/tasks}: launch, list, show and kill tasks of the built-in REST framework. A task is shown with its id,
 * name, agent, resources and its latest status in Mesos JSON ({@code state}, {@code reason}, {@code message},
 * {@code healthy}); a task still waiting for an offer has {@code queued: true} and no status.
 */
public final class RestTasksApi {

  private final RestFramework framework;

  public RestTasksApi(RestFramework framework) {
    this.framework = framework;
  }

  public void mount(Router router) {
    router.post("/v1/tasks").handler(BodyHandler.create().setBodyLimit(1 << 20)).handler(this::launch);
    router.get("/v1/tasks").handler(this::list);
    router.get("/v1/tasks/:id").handler(this::show);
    router.delete("/v1/tasks/:id").handler(this::kill);
  }

  private void launch(RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      error(ctx, 400, "", "the body is not a JSON object: " + e.getMessage());
      return;
    }
    try {
      RestTask task = framework.submit(TaskRequest.fromJson(body));
      ctx.response().setStatusCode(201).putHeader("Location", "/v1/tasks/" + task.id())
          .putHeader("Content-Type", "application/json").end(toJson(task).encode());
    } catch (ProtocolException e) {
      error(ctx, 400, e.field(), e.getMessage());
    }
  }

  private void list(RoutingContext ctx) {
    JsonArray tasks = new JsonArray();
    framework.book().all().forEach(task -> tasks.add(toJson(task)));
    ctx.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("tasks", tasks).encode());
  }

  private void show(RoutingContext ctx) {
    RestTask task = framework.book().get(TaskId.of(ctx.pathParam("id")));
    if (task == null) {
      error(ctx, 404, "id", "no task '" + ctx.pathParam("id") + "'");
      return;
    }
    ctx.response().putHeader("Content-Type", "application/json").end(toJson(task).encode());
  }

  private void kill(RoutingContext ctx) {
    RestTaskBook.KillDecision decision = framework.kill(TaskId.of(ctx.pathParam("id")));
    if (decision == null) {
      error(ctx, 404, "id", "no task '" + ctx.pathParam("id") + "'");
    } else if (decision instanceof RestTaskBook.NothingToKill ended) {
      error(ctx, 409, "id", "task '" + ended.task().id() + "' has already ended: " + ended.task().status().state());
    } else {
      RestTask task = decision instanceof RestTaskBook.Dequeued dequeued ? dequeued.task()
          : ((RestTaskBook.KillLaunched) decision).task();
      ctx.response().setStatusCode(202).putHeader("Content-Type", "application/json").end(toJson(task).encode());
    }
  }

  static JsonObject toJson(RestTask task) {
    JsonObject json = new JsonObject()
        .put("id", task.id().value())
        .put("name", task.request().name() == null ? task.id().value() : task.request().name())
        .put("cmd", task.request().cmd())
        .put("image", task.request().image())
        .put("resources", new JsonArray(MesosJson.write(task.request().resources())))
        .put("queued", task.queued());
    if (task.agentId() != null) {
      json.put("agent_id", task.agentId().value());
    }
    if (task.status() != null) {
      json.put("status", MesosJson.toJsonObject(task.status()));
      json.put("state", task.status().state().name());
    } else {
      json.put("state", task.queued() ? "QUEUED" : "TASK_STAGING");
    }
    return json;
  }

  static void error(RoutingContext ctx, int code, String field, String message) {
    JsonObject body = new JsonObject().put("error", message);
    if (field != null && !field.isEmpty()) {
      body.put("field", field);
    }
    ctx.response().setStatusCode(code).putHeader("Content-Type", "application/json").end(body.encode());
  }
}
