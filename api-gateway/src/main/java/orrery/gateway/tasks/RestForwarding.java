package orrery.gateway.tasks;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BooleanSupplier;
import orrery.gateway.HttpReplies;
import orrery.protocol.bus.Addresses;

/**
 * One REST framework serves every gateway of a cluster (two under the one framework id would take it from each
 * other): a gateway that does not run it forwards {@code /v1/tasks} requests, as they are, to the HTTP API of the
 * gateway that does, which it asks for over the event bus. Mounted before the {@code /v1/tasks} APIs.
 */
public final class RestForwarding {

  private static final long WHERE_TIMEOUT_MILLIS = 5_000;

  private final Vertx vertx;
  private final BooleanSupplier runsHere;
  private final HttpClient client;

  public RestForwarding(Vertx vertx, BooleanSupplier runsHere) {
    this.vertx = vertx;
    this.runsHere = runsHere;
    this.client = vertx.createHttpClient();
  }

  public void mount(Router router) {
    router.route("/v1/tasks*").handler(this::route);
  }

  private void route(RoutingContext ctx) {
    if (runsHere.getAsBoolean()) {
      ctx.next();
      return;
    }
    // The body first: the request must not end unread while the REST framework's gateway is looked up.
    ctx.request().body()
        .compose(body -> vertx.eventBus().<String>request(Addresses.GATEWAY_REST_FRAMEWORK, null,
                new DeliveryOptions().setSendTimeout(WHERE_TIMEOUT_MILLIS))
            .recover(e -> Future.failedFuture(new IllegalStateException(
                "no gateway runs the REST framework yet (" + e.getMessage() + ")")))
            .compose(where -> forward(ctx, where.body(), body)))
        .onSuccess(response -> {
          ctx.response().setStatusCode(response.status());
          if (response.contentType() != null) {
            ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, response.contentType());
          }
          if (response.location() != null) {
            ctx.response().putHeader(HttpHeaders.LOCATION, response.location());
          }
          ctx.response().end(response.body());
        })
        .onFailure(e -> HttpReplies.reject(ctx, 503, "/v1/tasks: " + e.getMessage()));
  }

  private record Forwarded(int status, String contentType, String location, Buffer body) {}

  private Future<Forwarded> forward(RoutingContext ctx, String where, Buffer body) {
    int colon = where.lastIndexOf(':');
    RequestOptions request = new RequestOptions().setMethod(ctx.request().method())
        .setHost(where.substring(0, colon)).setPort(Integer.parseInt(where.substring(colon + 1)))
        .setURI(ctx.request().uri());
    String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (contentType != null) {
      request.putHeader(HttpHeaders.CONTENT_TYPE, contentType);
    }
    return client.request(request)
        .compose(forwarded -> forwarded.send(body))
        .compose(response -> response.body().map(answer -> new Forwarded(response.statusCode(),
            response.getHeader(HttpHeaders.CONTENT_TYPE), location(response), answer)));
  }

  private static String location(HttpClientResponse response) {
    return response.getHeader(HttpHeaders.LOCATION);
  }
}
