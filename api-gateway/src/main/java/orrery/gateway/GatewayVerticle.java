package orrery.gateway;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.ext.eventbus.bridge.tcp.TcpEventBusBridge;
import io.vertx.ext.web.Router;
import orrery.gateway.bridge.BridgeGuard;
import orrery.gateway.health.HealthApi;
import orrery.gateway.operator.OperatorHttpApi;
import orrery.gateway.scheduler.SchedulerHttpApi;
import orrery.gateway.tasks.RestTasksApi;
import orrery.gateway.tasks.TaskLogsApi;
import orrery.protocol.bus.Addresses;
import orrery.protocol.bus.BusCodecs;
import orrery.protocol.bus.Requests;
import orrery.protocol.messages.FrameworkMessages.ConnectionClosed;
import orrery.protocol.messages.FrameworkMessages.FrameworkConnected;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only edge of the cluster: one HTTP port for the Mesos scheduler and operator APIs, the REST tasks API, health
 * and metrics, and one TCP port for the event-bus bridge.
 */
public final class GatewayVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayVerticle.class);

  private static final int CARRY_OVER_ATTEMPTS = 8;
  private static final long CARRY_OVER_TIMEOUT_MILLIS = 3_000;

  private final GatewayOptions options;
  private final Connections connections = new Connections();
  private HttpServer http;
  private TcpEventBusBridge bridge;
  private int bridgePort;

  public GatewayVerticle(GatewayOptions options) {
    this.options = options;
  }

  @Override
  public Future<?> start() {
    BusCodecs.register(vertx.eventBus());
    vertx.eventBus().<ConnectionClosed>consumer(Addresses.GATEWAY_CLOSE_CONNECTION,
        m -> connections.close(m.body().connection()));
    vertx.eventBus().consumer(Addresses.OFFERS_STARTED, m -> carryOverConnections());
    Router router = Router.router(vertx);
    new SchedulerHttpApi(vertx, connections).mount(router);
    new OperatorHttpApi(vertx.eventBus()).mount(router);
    new RestTasksApi(vertx, options.restAnswerMillis()).mount(router);
    new TaskLogsApi(vertx).mount(router);
    new HealthApi(vertx.eventBus()).mount(router);

    Future<HttpServer> httpStarted = vertx.createHttpServer().requestHandler(router)
        .listen(options.httpPort(), options.host()).onSuccess(server -> http = server);
    // The TCP bridge does not tell which port it bound, so a free one is chosen here when 0 was asked for.
    bridgePort = options.bridgePort() == 0 ? FreePort.pick(options.host()) : options.bridgePort();
    Future<TcpEventBusBridge> bridgeStarted = TcpEventBusBridge.create(vertx, BridgeGuard.permitted(),
            new NetServerOptions(), new BridgeGuard(vertx, connections))
        .listen(bridgePort, options.host()).onSuccess(b -> bridge = b);
    return Future.all(httpStarted, bridgeStarted)
        .onSuccess(v -> LOG.info("gateway listening: HTTP on {}:{}, event-bus bridge on {}:{}", options.host(),
            httpPort(), options.host(), bridgePort()));
  }

  /**
   * An offer broker started (one took over from another): it knows the frameworks from the registry, not their
   * connections. Each framework stream this gateway holds is told to it, so that the stream goes on; one it does not
   * take (the framework subscribed again on another, or was torn down) it closes.
   */
  private void carryOverConnections() {
    var held = connections.listening();
    if (!held.isEmpty()) {
      LOG.info("a new offer broker started: telling it the {} framework connection(s) this gateway holds",
          held.size());
    }
    held.forEach(this::tellOfferBroker);
  }

  /** Asked again while unanswered (a request can be lost while the cluster drops the broker that died). */
  private void tellOfferBroker(FrameworkConnected connected) {
    Requests.askWhileUnanswered(vertx, Addresses.OFFERS_CONNECTED, connected, CARRY_OVER_ATTEMPTS,
        CARRY_OVER_TIMEOUT_MILLIS, 1_000, failure -> { }).onFailure(e ->
        LOG.warn("offer-service did not take framework {} on {} back: {}", connected.frameworkId(),
            connected.connection(), e.getMessage()));
  }

  /** The port the HTTP API listens on (the one picked, when 0 was asked for). */
  public int httpPort() {
    return http.actualPort();
  }

  /** The port the event-bus bridge listens on. */
  public int bridgePort() {
    return bridgePort;
  }

  @Override
  public Future<?> stop() {
    return bridge == null ? Future.succeededFuture() : bridge.close();
  }
}
