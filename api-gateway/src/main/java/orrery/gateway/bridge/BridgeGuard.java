package orrery.gateway.bridge;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.bridge.BridgeOptions;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.eventbus.bridge.tcp.BridgeEvent;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import orrery.gateway.Connections;
import orrery.protocol.bus.Addresses;
import orrery.protocol.bus.Requests;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.messages.FrameworkMessages.ConnectionClosed;
import orrery.protocol.messages.FrameworkMessages.FrameworkConnected;
import orrery.protocol.messages.FrameworkMessages.MayRegister;
import orrery.protocol.messages.FrameworkMessages.Permission;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guards the TCP event-bus bridge. Only {@code orrery.scheduler} may be sent to and only framework event addresses
 * listened on; every call is stamped with its socket's connection id (whatever the client put there), and a socket
 * may listen only on the events of a framework it subscribed itself, so no framework's offers or updates are
 * readable from a foreign connection.
 */
public final class BridgeGuard implements Handler<BridgeEvent> {

  private static final Logger LOG = LoggerFactory.getLogger(BridgeGuard.class);

  /** How long a registration waits for the offer broker's permission, asking again while it is unanswered. */
  private static final long MAY_REGISTER_FOR_MILLIS = 15_000;
  private static final long MAY_REGISTER_TIMEOUT_MILLIS = 3_000;
  private static final long MAY_REGISTER_PAUSE_MILLIS = 500;

  private final Vertx vertx;
  private final EventBus bus;
  private final Connections connections;
  private final Map<NetSocket, String> sockets = new IdentityHashMap<>();

  public BridgeGuard(Vertx vertx, Connections connections) {
    this.vertx = vertx;
    this.bus = vertx.eventBus();
    this.connections = connections;
  }

  public static BridgeOptions permitted() {
    return new BridgeOptions()
        .addInboundPermitted(new PermittedOptions().setAddress(Addresses.SCHEDULER))
        .addOutboundPermitted(new PermittedOptions()
            .setAddressRegex(Pattern.quote(Addresses.FRAMEWORK_PREFIX) + ".+"));
  }

  @Override
  public void handle(BridgeEvent event) {
    String connection = connectionOf(event.socket());
    JsonObject raw = event.getRawMessage();
    String address = raw == null ? null : raw.getString("address");
    BridgeEventType type = event.type();
    if (type == BridgeEventType.SEND && Addresses.SCHEDULER.equals(address)) {
      LOG.debug("bridge connection {} sends a {} call", connection,
          raw.getJsonObject("body") == null ? null : raw.getJsonObject("body").getValue("type"));
      JsonObject headers = raw.getJsonObject("headers");
      if (headers == null) {
        headers = new JsonObject();
        raw.put("headers", headers);
      }
      headers.put(Addresses.CONNECTION_HEADER, connection);
      event.complete(true);
    } else if (type == BridgeEventType.PUBLISH) {
      // Calls need answers; nothing may be published into the cluster from outside.
      event.complete(false);
    } else if (type == BridgeEventType.REGISTER) {
      FrameworkId frameworkId = frameworkOf(address);
      if (frameworkId == null) {
        event.complete(false);
        return;
      }
      // Asked again while the offer broker does not answer (it may be failing over): a framework whose listening
      // is refused gets no events at all.
      Requests.<Permission>askUntil(vertx, Addresses.OFFERS_MAY_REGISTER, new MayRegister(frameworkId, connection),
              MAY_REGISTER_FOR_MILLIS, MAY_REGISTER_TIMEOUT_MILLIS, MAY_REGISTER_PAUSE_MILLIS)
          .onSuccess(permission -> {
            if (!permission.allowed()) {
              LOG.warn("bridge connection {} may not listen on {}", connection, address);
            }
            event.complete(permission.allowed());
          })
          .onFailure(e -> {
            LOG.warn("bridge connection {} may not listen on {}: the offer broker did not say whether it may ({})",
                connection, address, e.getMessage());
            event.complete(false);
          });
    } else if (type == BridgeEventType.REGISTERED) {
      FrameworkId frameworkId = frameworkOf(address);
      LOG.info("bridge connection {} listens for framework {}", connection, frameworkId);
      bus.send(Addresses.OFFERS_CONNECTED, new FrameworkConnected(frameworkId, connection));
      connections.listening(connection, frameworkId);
      event.complete(true);
    } else {
      // Replies to messages the bridge delivered, unregistering, pings.
      event.complete(true);
    }
  }

  private String connectionOf(NetSocket socket) {
    String connection = sockets.get(socket);
    if (connection == null) {
      String id = "bridge:" + UUID.randomUUID();
      sockets.put(socket, id);
      connections.add(id, socket::close);
      LOG.info("bridge connection {} from {}", id, socket.remoteAddress());
      socket.closeHandler(v -> {
        LOG.info("bridge connection {} closed", id);
        sockets.remove(socket);
        connections.remove(id);
        bus.send(Addresses.OFFERS_DISCONNECTED, new ConnectionClosed(id));
      });
      connection = id;
    }
    return connection;
  }

  private static FrameworkId frameworkOf(String address) {
    if (address == null || !address.startsWith(Addresses.FRAMEWORK_PREFIX)
        || address.length() == Addresses.FRAMEWORK_PREFIX.length()) {
      return null;
    }
    return FrameworkId.of(address.substring(Addresses.FRAMEWORK_PREFIX.length()));
  }
}
