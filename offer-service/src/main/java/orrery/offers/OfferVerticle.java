package orrery.offers;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import orrery.offers.core.CallRejected;
import orrery.offers.core.OfferBroker;
import orrery.offers.core.OutstandingOffer;
import orrery.protocol.bus.Addresses;
import orrery.protocol.bus.BusCodecs;
import orrery.protocol.bus.FailureCodes;
import orrery.protocol.json.MesosJson;
import orrery.protocol.json.ProtocolException;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.Offer;
import orrery.protocol.messages.AgentMessages.AgentRemoved;
import orrery.protocol.messages.AllocatorMessages.Allocations;
import orrery.protocol.messages.FrameworkMessages.ConnectionClosed;
import orrery.protocol.messages.FrameworkMessages.FrameworkConnected;
import orrery.protocol.messages.FrameworkMessages.FrameworkDisconnected;
import orrery.protocol.messages.FrameworkMessages.FrameworkRef;
import orrery.protocol.messages.FrameworkMessages.KnownFrameworks;
import orrery.protocol.messages.FrameworkMessages.MayRegister;
import orrery.protocol.messages.FrameworkMessages.Permission;
import orrery.protocol.messages.RoleMessages;
import orrery.protocol.messages.RoleMessages.OfferedResources;
import orrery.protocol.messages.RoleMessages.RoleResources;
import orrery.protocol.messages.ServiceHealth;
import orrery.protocol.resources.Resources;
import orrery.protocol.scheduler.Call;
import orrery.protocol.scheduler.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Offer-service: translates scheduler calls, allocations and connection changes into {@link OfferBroker} calls. */
public final class OfferVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(OfferVerticle.class);
  private static final int RESTORE_ATTEMPTS = 60;
  private static final long RESTORE_RETRY_MILLIS = 500;

  private final OfferOptions options;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private final List<Meter> meters = new ArrayList<>();
  private OfferBroker broker;
  private Outbox outbox;
  private SchedulerCalls calls;
  private MultiGauge roleOffered;
  /** The role and resource kinds offered so far: each keeps a row, showing 0 when nothing is offered. */
  private final Map<String, Set<String>> offeredKinds = new TreeMap<>();

  public OfferVerticle(OfferOptions options) {
    this.options = options;
  }

  @Override
  public Future<?> start() {
    EventBus bus = vertx.eventBus();
    BusCodecs.register(bus);
    broker = new OfferBroker(options.masterInfo().id());
    outbox = new Outbox(vertx);
    calls = new SchedulerCalls(broker, outbox, options);
    // Frameworks recorded before a restart are known again before any call is taken.
    return knownFrameworks(RESTORE_ATTEMPTS).compose(known -> {
      List<OfferBroker.Disconnected> waiting = broker.restore(known.frameworks(), System.currentTimeMillis());
      if (!waiting.isEmpty()) {
        LOG.info("{} framework(s) known from the registry; each is torn down unless it subscribes again in time",
            waiting.size());
      }
      waiting.forEach(this::watchFailover);
      // Listening, it says so: an allocator drops what it offered through a broker before this one, and gateways
      // tell this one the framework streams they still hold.
      return listen(bus).onSuccess(v -> bus.publish(Addresses.OFFERS_STARTED, null));
    });
  }

  /** Asks the registry for the frameworks it recorded, trying again while it is not there yet. */
  private Future<KnownFrameworks> knownFrameworks(int attemptsLeft) {
    return outbox.ask(Addresses.REGISTRY_FRAMEWORKS, null).map(reply -> (KnownFrameworks) reply)
        .recover(failure -> {
          if (attemptsLeft <= 1) {
            return Future.failedFuture(new IllegalStateException("the registry did not say which frameworks it "
                + "knows: " + failure.getMessage(), failure));
          }
          LOG.warn("asking the registry for its frameworks: {}; trying again", failure.getMessage());
          return vertx.timer(RESTORE_RETRY_MILLIS).compose(t -> knownFrameworks(attemptsLeft - 1));
        });
  }

  private Future<?> listen(EventBus bus) {

    consumers.add(bus.<JsonObject>consumer(Addresses.SCHEDULER, this::onCall));
    this.<Allocations>on(Addresses.OFFERS_ALLOCATIONS, m -> offer(m.body()));
    this.<FrameworkConnected>on(Addresses.OFFERS_CONNECTED, m -> {
      if (broker.connected(m.body().frameworkId(), m.body().connection())) {
        outbox.send(Addresses.ALLOCATOR_ACTIVATE_FRAMEWORK, new FrameworkRef(m.body().frameworkId()));
        // It listens again: whatever it has not acknowledged comes to it once more.
        outbox.send(Addresses.REGISTRY_FRAMEWORK_CONNECTED, new FrameworkRef(m.body().frameworkId()));
      } else if (!broker.mayRegister(m.body().frameworkId(), m.body().connection())) {
        // A connection a broker before this one had: its framework subscribed on another since, or is gone.
        outbox.publish(Addresses.GATEWAY_CLOSE_CONNECTION, new ConnectionClosed(m.body().connection()));
      }
    });
    this.<ConnectionClosed>on(Addresses.OFFERS_DISCONNECTED, m -> disconnected(m.body().connection()));
    consumers.add(bus.<MayRegister>consumer(Addresses.OFFERS_MAY_REGISTER, m ->
        m.reply(new Permission(broker.mayRegister(m.body().frameworkId(), m.body().connection())))));
    this.<Object>on(Addresses.ALLOCATOR_STARTED, m -> {
      OfferBroker.AllocatorChanged changed = broker.allocatorStarted();
      LOG.info("a new allocator started: telling it {} framework(s) again, rescinding {} offer(s) of the one before",
          changed.frameworks().size(), changed.rescinded().size());
      for (OutstandingOffer offer : changed.rescinded()) {
        outbox.toFramework(offer.frameworkId(), Event.rescind(offer.id()));
      }
      changed.frameworks().forEach(add -> outbox.send(Addresses.ALLOCATOR_ADD_FRAMEWORK, add));
    });
    this.<AgentRemoved>on(Addresses.AGENT_REMOVED, m -> {
      for (OutstandingOffer offer : broker.agentRemoved(m.body().agentId())) {
        outbox.toFramework(offer.frameworkId(), Event.rescind(offer.id()));
      }
    });
    consumers.add(bus.consumer(Addresses.OFFERS_HEALTH, m -> m.reply(ServiceHealth.up("offers"))));
    consumers.add(bus.consumer(Addresses.OFFERS_OFFERED, m -> m.reply(new OfferedResources(
        broker.offeredByRole().entrySet().stream().map(e -> new RoleResources(e.getKey(), e.getValue())).toList()))));

    long heartbeatMillis = Math.max(1, Math.round(options.heartbeatIntervalSeconds() * 1000));
    vertx.setPeriodic(heartbeatMillis, id -> {
      JsonObject heartbeat = MesosJson.toJsonObject(Event.heartbeat());
      broker.connectedFrameworks().forEach(f -> bus.send(Addresses.framework(f), heartbeat.copy()));
    });
    meters.add(Gauge.builder("orrery.offers.outstanding", broker, OfferBroker::outstandingOffers)
        .register(Metrics.globalRegistry));
    meters.add(Gauge.builder("orrery.frameworks", broker, OfferBroker::frameworkCount)
        .register(Metrics.globalRegistry));
    roleOffered = MultiGauge.builder("orrery.role.offered")
        .description("Scalar resources in a role's outstanding offers").register(Metrics.globalRegistry);
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  @Override
  public Future<?> stop() {
    meters.forEach(Metrics.globalRegistry::remove);
    roleOffered.register(List.of(), true);
    return Future.succeededFuture();
  }

  private <T> void on(String address, Handler<Message<T>> handler) {
    consumers.add(vertx.eventBus().<T>consumer(address, message -> {
      handler.handle(message);
      message.reply(null);
    }));
  }

  private void onCall(Message<JsonObject> message) {
    String connection = message.headers().get(Addresses.CONNECTION_HEADER);
    try {
      if (connection == null || connection.isBlank()) {
        throw CallRejected.badRequest("the call did not say which connection it came on");
      }
      Call call = MesosJson.fromJsonObject(message.body(), Call.class);
      LOG.debug("{} call on connection {}", call.type(), connection);
      calls.handle(call, connection).onComplete(answer -> {
        if (answer.succeeded()) {
          message.reply(answer.result());
          if (call.type() == Call.Type.TEARDOWN) {
            // After the reply: tearing down closes the caller's connection, on which a bridge client awaits it.
            teardown(call.frameworkId());
          }
        } else {
          message.fail(failureCode(answer.cause()), answer.cause().getMessage());
        }
      });
    } catch (ProtocolException e) {
      message.fail(FailureCodes.BAD_REQUEST, e.getMessage());
    } catch (CallRejected e) {
      message.fail(e.code(), e.getMessage());
    }
  }

  /** A refusal by another service keeps its code (400, 404, ...); a service that did not answer is a 503. */
  private static int failureCode(Throwable cause) {
    if (cause instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      return reply.failureCode();
    }
    return FailureCodes.UNAVAILABLE;
  }

  private void offer(Allocations allocations) {
    OfferBroker.OfferRound round = broker.offer(allocations.allocations());
    for (Map.Entry<FrameworkId, List<Offer>> entry : round.offers().entrySet()) {
      outbox.toFramework(entry.getKey(), Event.offers(entry.getValue()));
    }
    outbox.recover(round.returned());
    updateRoleOffered();
  }

  /**
   * New roles and kinds are offered only here, so the rows are renewed here; each row reads the broker when
   * scraped, so it follows accepts, declines and rescinds without being renewed.
   */
  private void updateRoleOffered() {
    boolean added = false;
    for (Map.Entry<String, Resources> entry : broker.offeredByRole().entrySet()) {
      added |= offeredKinds.computeIfAbsent(entry.getKey(), role -> new TreeSet<>())
          .addAll(RoleMessages.reportedKinds(entry.getValue()));
    }
    if (!added) {
      return;
    }
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    offeredKinds.forEach((role, kinds) -> kinds.forEach(kind -> rows.add(MultiGauge.Row.of(
        Tags.of("role", role, "resource", kind), broker,
        b -> b.offeredByRole().getOrDefault(role, Resources.empty()).scalar(kind)))));
    roleOffered.register(rows, true);
  }

  private void disconnected(String connection) {
    for (OfferBroker.Disconnected d : broker.disconnected(connection, System.currentTimeMillis())) {
      LOG.info("framework {} disconnected; torn down unless it subscribes again within {} ms", d.frameworkId(),
          d.failoverDeadlineMillis() - System.currentTimeMillis());
      outbox.send(Addresses.ALLOCATOR_DEACTIVATE_FRAMEWORK, new FrameworkRef(d.frameworkId()));
      outbox.send(Addresses.REGISTRY_FRAMEWORK_DISCONNECTED,
          new FrameworkDisconnected(d.frameworkId(), d.failoverDeadlineMillis()));
      outbox.recover(d.recovered());
      watchFailover(d);
    }
  }

  /** Tears the framework down at its deadline unless it has subscribed again by then. */
  private void watchFailover(OfferBroker.Disconnected d) {
    long delay = Math.max(1, d.failoverDeadlineMillis() - System.currentTimeMillis());
    vertx.setTimer(delay, id -> {
      if (broker.failoverExpired(d.frameworkId(), System.currentTimeMillis())) {
        LOG.info("framework {} did not return within its failover timeout", d.frameworkId());
        teardown(d.frameworkId());
      }
    });
  }

  /** Removes a framework: the allocator releases all it holds; the registry kills its tasks. */
  private void teardown(FrameworkId frameworkId) {
    String connection = broker.connectionOf(frameworkId);
    broker.teardown(frameworkId);
    if (connection != null) {
      // As a Mesos master closes the subscription stream of a framework it removes.
      outbox.publish(Addresses.GATEWAY_CLOSE_CONNECTION, new ConnectionClosed(connection));
    }
    outbox.send(Addresses.ALLOCATOR_REMOVE_FRAMEWORK, new FrameworkRef(frameworkId));
    outbox.send(Addresses.REGISTRY_FRAMEWORK_REMOVED, new FrameworkRef(frameworkId));
    LOG.info("framework {} torn down", frameworkId);
  }
}
