package orrery.gateway.tasks;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import orrery.protocol.bus.Addresses;
import orrery.protocol.json.ProtocolException;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.messages.AgentMessages.AgentList;
import orrery.protocol.messages.RestTaskMessages;
import orrery.protocol.messages.RestTaskMessages.RestTaskRef;
import orrery.protocol.messages.AgentMessages.AgentSummary;
import orrery.protocol.messages.TaskMessages.TaskList;
import orrery.protocol.messages.TaskMessages.TaskView;

/**
 * {@code GET /v1/tasks/{id}/logs?file=stdout|stderr&offset=N&length=M}: a task's stdout or stderr without knowing its
 * agent. The registry says which agent runs the task (any framework's) and where that agent listens; the agent's
 * {@code /state} says where the sandbox is; its {@code /files/read} answers, and that answer is passed on as it is:
 * Mesos' {@code {"data": "...", "offset": N}}. The header {@code Orrery-Task-State} carries the task's state as the
 * registry knew it before the read, so that a follower knows that once it is terminal, what it read is all.
 */
public final class TaskLogsApi {

  public static final String STATE_HEADER = "Orrery-Task-State";
  private static final DeliveryOptions QUICK = new DeliveryOptions().setSendTimeout(5_000);
  private static final long AGENT_TIMEOUT_MILLIS = 10_000;

  private final Vertx vertx;
  private final HttpClient agents;

  public TaskLogsApi(Vertx vertx) {
    this.vertx = vertx;
    this.agents = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) AGENT_TIMEOUT_MILLIS));
  }

  public void mount(Router router) {
    router.get("/v1/tasks/:id/logs").handler(this::logs);
  }

  private void logs(RoutingContext ctx) {
    LogRequest request;
    try {
      request = LogRequest.parse(ctx.queryParams().get("file"), ctx.queryParams().get("offset"),
          ctx.queryParams().get("length"));
    } catch (ProtocolException e) {
      RestTasksApi.error(ctx, 400, e.field(), e.getMessage());
      return;
    }
    TaskId id = TaskId.of(ctx.pathParam("id"));
    vertx.eventBus().<TaskList>request(Addresses.REGISTRY_TASKS, null, QUICK).onComplete(tasks -> {
      if (tasks.failed()) {
        RestTasksApi.error(ctx, 503, null, "the registry did not answer: " + tasks.cause().getMessage());
        return;
      }
      TaskView task = LogRequest.choose(tasks.result().body().tasks(), id, RestTaskMessages.FRAMEWORK_ID);
      if (task == null) {
        // Not in the registry: a REST task still queued has no sandbox yet; the REST framework says.
        vertx.eventBus().<JsonObject>request(Addresses.REST_TASK, new RestTaskRef(id), QUICK).onComplete(rest -> {
          if (rest.succeeded()) {
            RestTasksApi.error(ctx, 409, "id", "task '" + id + "' has no sandbox yet: it is "
                + rest.result().body().getString("state"));
          } else {
            RestTasksApi.refused(ctx, rest.cause());
          }
        });
        return;
      }
      vertx.eventBus().<AgentList>request(Addresses.REGISTRY_AGENTS, null, QUICK).onComplete(list -> {
        AgentSummary agent = list.failed() ? null : list.result().body().agents().stream()
            .filter(a -> a.agentId().equals(task.agentId())).findFirst().orElse(null);
        if (agent == null) {
          RestTasksApi.error(ctx, 503, null, "agent " + task.agentId() + " of task '" + id
              + "' is not registered now; its sandbox cannot be reached");
          return;
        }
        read(ctx, request, task, agent);
      });
    });
  }

  private void read(RoutingContext ctx, LogRequest request, TaskView task, AgentSummary agent) {
    String state = task.status() == null ? "TASK_STAGING" : task.status().state().name();
    get(agent, "/state").compose(body -> {
      String sandbox = LogRequest.sandbox(new JsonObject(body.body()), task.taskId(), task.frameworkId());
      if (sandbox == null) {
        // Not there yet (the launch is on its way to the agent) is a conflict to retry; not there any more is 404.
        boolean ended = task.status() != null && task.status().state().isTerminal();
        return Future.succeededFuture(new Answer(ended ? 404 : 409, new JsonObject().put("error", "task '"
            + task.taskId() + "' has no sandbox on agent " + agent.agentId() + (ended ? " any more (deleted by the "
            + "sandbox GC, or forgotten)" : " yet: it is " + state)).put("field", "id").encode()));
      }
      return get(agent, "/files/read?path=" + encode(sandbox + "/" + request.file()) + "&offset=" + request.offset()
          + "&length=" + request.length());
    }).onComplete(answer -> {
      if (answer.failed()) {
        RestTasksApi.error(ctx, 502, null, "agent " + agent.agentId() + " at " + agent.hostname() + ":"
            + agent.port() + " did not answer: " + answer.cause().getMessage());
        return;
      }
      ctx.response().setStatusCode(answer.result().status()).putHeader("Content-Type", "application/json")
          .putHeader(STATE_HEADER, state).end(answer.result().body());
    });
  }

  private record Answer(int status, String body) {}

  private Future<Answer> get(AgentSummary agent, String uri) {
    return agents.request(new RequestOptions().setMethod(HttpMethod.GET).setHost(agent.hostname())
            .setPort(agent.port()).setURI(uri).setTimeout(AGENT_TIMEOUT_MILLIS))
        .compose(request -> request.send())
        .compose(response -> response.body().map(body -> new Answer(response.statusCode(), body.toString())));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

}
