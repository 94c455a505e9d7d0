package orrery.agent.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import orrery.protocol.json.MesosJson;
import orrery.protocol.messages.ServiceHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's HTTP API, Mesos-style: {@code /state}, {@code /files/read}, {@code /files/download},
 * {@code /files/browse} and {@code /health}. File access runs on worker threads; {@code /state} on the agent's
 * context, where its state lives.
 */
public final class AgentRouter {

  private static final Logger LOG = LoggerFactory.getLogger(AgentRouter.class);
  private static final String JSON = "application/json";

  private final Vertx vertx;
  private final Supplier<AgentState> state;
  private final SandboxFiles files;

  private AgentRouter(Vertx vertx, Supplier<AgentState> state, SandboxFiles files) {
    this.vertx = vertx;
    this.state = state;
    this.files = files;
  }

  /** @param state called on the agent's context for each {@code /state} request */
  public static Router create(Vertx vertx, Supplier<AgentState> state, SandboxFiles files) {
    AgentRouter api = new AgentRouter(vertx, state, files);
    Router router = Router.router(vertx);
    router.get("/health").handler(ctx -> json(ctx, 200, MesosJson.write(ServiceHealth.up("agent"))));
    router.get("/state").handler(ctx -> json(ctx, 200, api.state.get().toJson().encode()));
    router.get("/files/read").handler(api::read);
    router.get("/files/download").handler(api::download);
    router.get("/files/browse").handler(api::browse);
    return router;
  }

  private void read(RoutingContext ctx) {
    long offset;
    long length;
    try {
      offset = longParam(ctx, "offset", -1);
      length = longParam(ctx, "length", -1);
    } catch (FileAccessException e) {
      fail(ctx, e);
      return;
    }
    String path = ctx.request().getParam("path");
    blocking(ctx, () -> files.read(path, offset, length)).onSuccess(chunk -> json(ctx, 200,
        new JsonObject().put("data", chunk.data()).put("offset", chunk.offset()).encode()));
  }

  private void download(RoutingContext ctx) {
    blocking(ctx, () -> files.regularFile(ctx.request().getParam("path"))).onSuccess(file -> ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/octet-stream")
        .putHeader("Content-Disposition", "attachment; filename=\"" + file.getFileName() + "\"")
        .sendFile(file.toString())
        .onFailure(e -> {
          LOG.warn("sending {} failed: {}", file, e.getMessage());
          if (!ctx.response().headWritten()) {
            json(ctx, 404, new JsonObject().put("error", "cannot send " + file + ": " + e.getMessage()).encode());
          } else {
            ctx.response().reset(); // part of the file went out: the client must see the download fail
          }
        }));
  }

  private void browse(RoutingContext ctx) {
    blocking(ctx, () -> files.browse(ctx.request().getParam("path"))).onSuccess(entries -> {
      JsonArray list = new JsonArray();
      entries.forEach(e -> list.add(new JsonObject().put("path", e.path()).put("size", e.size())
          .put("mode", e.mode()).put("mtime", e.mtime()).put("nlink", e.nlink()).put("uid", e.uid())
          .put("gid", e.gid())));
      json(ctx, 200, list.encode());
    });
  }

  /** Runs a file operation off the event loop; a failure is answered here, so callers handle success only. */
  private <T> Future<T> blocking(RoutingContext ctx, Callable<T> operation) {
    return vertx.executeBlocking(operation, false).onFailure(e -> {
      if (e instanceof FileAccessException access) {
        fail(ctx, access);
      } else {
        LOG.error("{} failed", ctx.request().uri(), e);
        json(ctx, 500, new JsonObject().put("error", String.valueOf(e.getMessage())).encode());
      }
    });
  }

  private static long longParam(RoutingContext ctx, String name, long absent) throws FileAccessException {
    String text = ctx.request().getParam(name);
    if (text == null || text.isEmpty()) {
      return absent;
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new FileAccessException(400, name, "'" + name + "' must be an integer, was '" + text + "'");
    }
  }

  private static void fail(RoutingContext ctx, FileAccessException e) {
    if (e.status() >= 500) {
      LOG.error("{}: {}", ctx.request().uri(), e.getMessage());
    }
    JsonObject body = new JsonObject().put("error", e.getMessage());
    if (e.parameter() != null) {
      body.put("field", e.parameter());
    }
    json(ctx, e.status(), body.encode());
  }

  private static void json(RoutingContext ctx, int status, String body) {
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(body);
  }
}
