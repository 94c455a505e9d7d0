package orrery.gateway;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * What the Mesos-style HTTP APIs (scheduler and operator) share: a JSON body or a refusal, and refusals as plain
 * text with the status a Mesos master would use.
 */
public final class HttpReplies {

  private HttpReplies() {}

  /**
   * The body of a request that must be {@code application/json}, or null after answering 415 (another content
   * type) or 400 (not a JSON object). {@code what} names the expected message in the refusal.
   */
  public static JsonObject jsonBody(RoutingContext ctx, String what) {
    String contentType = ctx.request().getHeader("Content-Type");
    if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
      reject(ctx, 415, "Content-Type must be application/json (protobuf is not supported), not " + contentType);
      return null;
    }
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (DecodeException e) {
      reject(ctx, 400, "Failed to parse the body as JSON: " + e.getMessage());
      return null;
    }
    if (body == null) {
      reject(ctx, 400, "The body must be " + what + " as a JSON object");
    }
    return body;
  }

  /** A refusal by a service keeps its code (400, 403, ...); a service that did not answer is a 503. */
  public static void fail(RoutingContext ctx, Throwable cause) {
    if (cause instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      int code = reply.failureCode() >= 400 && reply.failureCode() < 600 ? reply.failureCode() : 500;
      reject(ctx, code, reply.getMessage());
    } else {
      reject(ctx, 503, "The master is not available: " + cause.getMessage());
    }
  }

  public static void reject(RoutingContext ctx, int code, String message) {
    ctx.response().setStatusCode(code).putHeader("Content-Type", "text/plain; charset=utf-8").end(message);
  }
}
