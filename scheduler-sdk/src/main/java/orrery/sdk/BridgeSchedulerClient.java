package orrery.sdk;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;
import java.util.UUID;
import orrery.protocol.bus.Addresses;
import orrery.protocol.json.MesosJson;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.FrameworkInfo;
import orrery.protocol.scheduler.Call;
import orrery.protocol.scheduler.Event;

/**
 * A framework's side of the TCP event-bus bridge: frames of a 4-byte length and a JSON message. Calls are requests
 * to {@code orrery.scheduler}; events arrive on {@code orrery.framework.<id>} once this connection registers it.
 */
public final class BridgeSchedulerClient {

  /**
   * Held for as long as this client: Vert.x closes a client it finds unreachable, with its connections, when the
   * garbage collector runs (seen: a framework's connection closed at once, its SUBSCRIBE never answered).
   */
  private final NetClient netClient;
  private final NetSocket socket;
  private final Map<String, Promise<JsonObject>> pending = new ConcurrentHashMap<>();
  /** Set once the connection has closed: a request made after is failed at once. */
  private volatile boolean closed;
  private final Map<String, Handler<JsonObject>> listeners = new ConcurrentHashMap<>();
  private Handler<String> errors = message -> { };
  private FrameworkId frameworkId;

  private BridgeSchedulerClient(NetClient netClient, NetSocket socket) {
    this.netClient = netClient;
    this.socket = socket;
    RecordParser parser = RecordParser.newFixed(4);
    parser.handler(new Handler<>() {
      private int length = -1;

      @Override
      public void handle(Buffer buffer) {
        if (length < 0) {
          length = buffer.getInt(0);
          parser.fixedSizeMode(length);
        } else {
          length = -1;
          parser.fixedSizeMode(4);
          onFrame(buffer.toJsonObject());
        }
      }
    });
    socket.handler(parser);
    // A request the bridge can no longer answer fails, rather than leaving its caller waiting for ever.
    socket.closeHandler(end -> {
      closed = true;
      for (String address : pending.keySet()) {
        failPending(address);
      }
    });
  }

  public static Future<BridgeSchedulerClient> connect(Vertx vertx, String host, int port) {
    NetClient netClient = vertx.createNetClient();
    return netClient.connect(port, host).map(socket -> new BridgeSchedulerClient(netClient, socket));
  }

  private void failPending(String replyAddress) {
    Promise<JsonObject> reply = pending.remove(replyAddress);
    if (reply != null) {
      reply.fail(new SchedulerCallException(503, "the bridge connection closed before the call was answered"));
    }
  }

  /** Bridge errors that answer no request, such as a refused registration ("blocked by bridgeEvent handler"). */
  public BridgeSchedulerClient onError(Handler<String> handler) {
    this.errors = handler;
    return this;
  }

  /** Subscribes, then registers this connection for the framework's events, which go to {@code events}. */
  public Future<Event> subscribe(FrameworkInfo info, Handler<Event> events) {
    return request(Call.subscribe(info)).map(reply -> {
      Event subscribed = MesosJson.fromJsonObject(reply, Event.class);
      frameworkId = subscribed.subscribed().frameworkId();
      listen(Addresses.framework(frameworkId), json -> events.handle(MesosJson.fromJsonObject(json, Event.class)));
      return subscribed;
    });
  }

  /** Sends a call and returns the reply body (the SUBSCRIBED event, or an empty object). */
  public Future<JsonObject> request(Call call) {
    return request(MesosJson.toJsonObject(call));
  }

  /** Sends a call written as JSON by hand (or by another library) and returns the reply body. */
  public Future<JsonObject> request(JsonObject call) {
    String replyAddress = UUID.randomUUID().toString();
    Promise<JsonObject> reply = Promise.promise();
    pending.put(replyAddress, reply);
    if (closed) {
      // Closed before the call was pending: nothing would fail it later.
      failPending(replyAddress);
      return reply.future();
    }
    write(new JsonObject().put("type", "send").put("address", Addresses.SCHEDULER)
        .put("replyAddress", replyAddress).put("body", call))
        .onFailure(e -> failPending(replyAddress));
    return reply.future();
  }

  /** Registers for messages on an address; the bridge answers a refusal with an error frame. */
  public void listen(String address, Handler<JsonObject> handler) {
    listeners.put(address, handler);
    write(new JsonObject().put("type", "register").put("address", address));
  }

  /** This end of the bridge connection, as {@code host:port}. */
  public String localAddress() {
    return socket.localAddress().toString();
  }

  public FrameworkId frameworkId() {
    return frameworkId;
  }

  public Future<Void> close() {
    return socket.close().eventually(() -> netClient.close());
  }

  private Future<Void> write(JsonObject frame) {
    Buffer json = frame.toBuffer();
    return socket.write(Buffer.buffer(4 + json.length()).appendInt(json.length()).appendBuffer(json));
  }

  private void onFrame(JsonObject frame) {
    String address = frame.getString("address");
    String type = frame.getString("type");
    if ("err".equals(type)) {
      Promise<JsonObject> reply = address == null ? null : pending.remove(address);
      if (reply != null) {
        reply.fail(new SchedulerCallException(frame.getInteger("failureCode", 500), frame.getString("message")));
      } else {
        errors.handle(frame.getString("message"));
      }
      return;
    }
    Promise<JsonObject> reply = address == null ? null : pending.remove(address);
    if (reply != null) {
      reply.complete(frame.getJsonObject("body"));
      return;
    }
    Handler<JsonObject> listener = address == null ? null : listeners.get(address);
    if (listener != null) {
      listener.handle(frame.getJsonObject("body"));
    }
  }
}
