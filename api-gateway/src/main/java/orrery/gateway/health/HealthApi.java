package orrery.gateway.health;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import orrery.protocol.bus.Addresses;
import orrery.protocol.messages.AgentMessages.AgentList;
import orrery.protocol.messages.ServiceHealth;

/**
 * {@code GET /health}: 200 only when every service (registry, allocator, offer broker, the REST framework behind
 * {@code /v1/tasks}) answers up and at least one agent is registered, 503 otherwise, with what was found either way.
 * {@code GET /metrics}: the process's meters in the Prometheus text format.
 */
public final class HealthApi {

  private static final DeliveryOptions QUICK = new DeliveryOptions().setSendTimeout(2000);
  private static final List<String> SERVICES = List.of(
      Addresses.ALLOCATOR_HEALTH, Addresses.OFFERS_HEALTH, Addresses.REGISTRY_HEALTH, Addresses.REST_HEALTH);

  private final EventBus bus;
  private final PrometheusMeterRegistry prometheus;

  public HealthApi(EventBus bus) {
    this.bus = bus;
    this.prometheus = prometheusRegistry();
  }

  public void mount(Router router) {
    router.get("/health").handler(this::health);
    router.get("/metrics").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(prometheus.scrape()));
  }

  private void health(RoutingContext ctx) {
    JsonObject services = new JsonObject();
    List<Future<?>> checks = SERVICES.stream().<Future<?>>map(address -> {
      String name = address.split("\\.")[1];
      return bus.<ServiceHealth>request(address, null, QUICK)
          .onSuccess(reply -> services.put(name, reply.body().up() ? "UP" : "DOWN"))
          .onFailure(e -> services.put(name, "DOWN: " + e.getMessage()));
    }).toList();
    Future<Integer> agents = bus.<AgentList>request(Addresses.REGISTRY_AGENTS, null, QUICK)
        .map(reply -> reply.body().agents().size()).otherwise(0);
    Future.join(checks).eventually(() -> agents).onComplete(done -> {
      int agentCount = agents.succeeded() ? agents.result() : 0;
      boolean up = checks.stream().allMatch(Future::succeeded)
          && services.stream().allMatch(e -> "UP".equals(e.getValue())) && agentCount > 0;
      JsonObject body = new JsonObject().put("status", up ? "UP" : "DOWN").put("services", services)
          .put("agents", agentCount);
      ctx.response().setStatusCode(up ? 200 : 503).putHeader("Content-Type", "application/json")
          .end(body.encode());
    });
  }

  /** The Prometheus registry the launcher put into the global one, or a new one added there now. */
  public static PrometheusMeterRegistry prometheusRegistry() {
    synchronized (Metrics.globalRegistry) {
      return Metrics.globalRegistry.getRegistries().stream()
          .filter(PrometheusMeterRegistry.class::isInstance).map(PrometheusMeterRegistry.class::cast).findFirst()
          .orElseGet(() -> {
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            Metrics.addRegistry(registry);
            return registry;
          });
    }
  }
}
