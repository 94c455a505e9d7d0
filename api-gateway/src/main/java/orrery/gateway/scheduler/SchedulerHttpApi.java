package orrery.gateway.scheduler;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.UUID;
import orrery.gateway.Connections;
import orrery.gateway.HttpReplies;
import orrery.protocol.bus.Addresses;
import orrery.protocol.json.MesosJson;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.messages.FrameworkMessages.ConnectionClosed;
import orrery.protocol.messages.FrameworkMessages.FrameworkConnected;
import orrery.protocol.recordio.RecordIo;
import orrery.protocol.scheduler.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/scheduler}, the Mesos v1 scheduler HTTP API. SUBSCRIBE opens a chunked RecordIO event stream
 * named by a {@code Mesos-Stream-Id}; every other call must carry that id and is answered 202. The calls themselves
 * are decided by offer-service: this class only moves them and their answers.
 */
public final class SchedulerHttpApi {

  private static final Logger LOG = LoggerFactory.getLogger(SchedulerHttpApi.class);
  public static final String STREAM_ID = "Mesos-Stream-Id";

  private final EventBus bus;
  private final Connections connections;

  public SchedulerHttpApi(Vertx vertx, Connections connections) {
    this.bus = vertx.eventBus();
    this.connections = connections;
  }

  public void mount(Router router) {
    router.post("/api/v1/scheduler").handler(BodyHandler.create().setBodyLimit(16 << 20)).handler(this::call);
  }

  private void call(RoutingContext ctx) {
    JsonObject body = HttpReplies.jsonBody(ctx, "a Mesos v1 Call");
    if (body == null) {
      return;
    }
    if ("SUBSCRIBE".equals(body.getValue("type"))) {
      subscribe(ctx, body);
      return;
    }
    String streamId = ctx.request().getHeader(STREAM_ID);
    if (streamId == null || streamId.isBlank()) {
      HttpReplies.reject(ctx, 400, "All non-subscribe calls must include the '" + STREAM_ID + "' header");
      return;
    }
    bus.request(Addresses.SCHEDULER, body, connectionOf(streamId)).onComplete(reply -> {
      if (reply.succeeded()) {
        ctx.response().setStatusCode(202).end();
      } else {
        HttpReplies.fail(ctx, reply.cause());
      }
    });
  }

  private void subscribe(RoutingContext ctx, JsonObject body) {
    String streamId = UUID.randomUUID().toString();
    String connection = connection(streamId);
    bus.<JsonObject>request(Addresses.SCHEDULER, body, connectionOf(streamId)).onComplete(reply -> {
      if (reply.failed()) {
        HttpReplies.fail(ctx, reply.cause());
        return;
      }
      JsonObject subscribed = reply.result().body();
      FrameworkId frameworkId = MesosJson.fromJsonObject(subscribed, Event.class).subscribed().frameworkId();
      HttpServerResponse response = ctx.response().setChunked(true).setStatusCode(200)
          .putHeader("Content-Type", "application/json").putHeader(STREAM_ID, streamId)
          .putHeader("Cache-Control", "no-cache");
      // SUBSCRIBED goes first; nothing else can arrive before the consumer below exists.
      writeRecord(response, subscribed);
      MessageConsumer<JsonObject> events = bus.consumer(Addresses.framework(frameworkId),
          m -> writeRecord(response, m.body()));
      connections.add(connection, () -> {
        events.unregister();
        if (!response.ended() && !response.closed()) {
          response.end();
        }
      });
      response.closeHandler(v -> closed(connection, events));
      response.exceptionHandler(e -> LOG.debug("event stream {} failed: {}", streamId, e.getMessage()));
      events.completion()
          .compose(v -> bus.request(Addresses.OFFERS_CONNECTED, new FrameworkConnected(frameworkId, connection)))
          .onSuccess(v -> connections.listening(connection, frameworkId))
          .onFailure(e -> {
            LOG.warn("framework {} could not be activated: {}", frameworkId, e.getMessage());
            response.end();
          });
    });
  }

  private void closed(String connection, MessageConsumer<JsonObject> events) {
    events.unregister();
    connections.remove(connection);
    bus.send(Addresses.OFFERS_DISCONNECTED, new ConnectionClosed(connection));
  }

  /** Each record is written as one HTTP chunk, as Mesos does and some clients expect. */
  private static void writeRecord(HttpServerResponse response, JsonObject event) {
    if (!response.ended() && !response.closed()) {
      response.write(Buffer.buffer(RecordIo.encode(event.toBuffer().getBytes())));
    }
  }

  private static String connection(String streamId) {
    return "http:" + streamId;
  }

  private static DeliveryOptions connectionOf(String streamId) {
    return new DeliveryOptions().addHeader(Addresses.CONNECTION_HEADER, connection(streamId));
  }
}
