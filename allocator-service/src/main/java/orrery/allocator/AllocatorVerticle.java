package orrery.allocator;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import orrery.allocator.core.Allocator;
import orrery.allocator.core.Allocator.RoleView;
import orrery.protocol.bus.Addresses;
import orrery.protocol.bus.FailureCodes;
import orrery.protocol.messages.AgentMessages.AgentActivation;
import orrery.protocol.messages.AgentMessages.KnownAgent;
import orrery.protocol.messages.AgentMessages.KnownAgents;
import orrery.protocol.bus.BusCodecs;
import orrery.protocol.messages.AgentMessages.AddAgent;
import orrery.protocol.messages.AgentMessages.AgentRemoved;
import orrery.protocol.messages.AllocatorMessages.AddFramework;
import orrery.protocol.messages.AllocatorMessages.Allocation;
import orrery.protocol.messages.AllocatorMessages.Allocations;
import orrery.protocol.messages.AllocatorMessages.RecoverResources;
import orrery.protocol.messages.AllocatorMessages.ReviveOffers;
import orrery.protocol.messages.AllocatorMessages.SuppressOffers;
import orrery.protocol.messages.FrameworkMessages.FrameworkRef;
import orrery.protocol.messages.RoleMessages;
import orrery.protocol.messages.ServiceHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Translates allocator messages into calls on {@link Allocator} and runs its cycle on an interval and, coalesced,
 * on triggers. Each cycle's decisions go to offer-service in one message.
 * Role weights and quota are the operator's, through {@link RoleOperations}.
 */
public final class AllocatorVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(AllocatorVerticle.class);

  private final AllocatorOptions options;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private Allocator allocator;
  private RoleOperations roles;
  /**
   * False while the allocator rebuilds (at start, and when a new offer broker starts): no cycle runs then, since
   * offer-service rescinds what was offered before the rebuild ends without giving it back.
   */
  private boolean rebuilt;
  private boolean cyclePending;
  private Timer cycleTimer;
  private MultiGauge roleShares;
  private MultiGauge roleAllocated;
  private final List<Meter> meters = new ArrayList<>();

  public AllocatorVerticle(AllocatorOptions options) {
    this.options = options;
  }

  @Override
  public Future<?> start() {
    EventBus bus = vertx.eventBus();
    BusCodecs.register(bus);
    allocator = newAllocator();
    registerMetrics();

    this.<AddAgent>on(Addresses.ALLOCATOR_ADD_AGENT, m -> {
      allocator.addAgent(m.body().info(), m.body().total(), m.body().tasks());
      if (m.body().draining()) {
        allocator.deactivateAgent(m.body().info().id());
      }
      trigger();
    });
    this.<AgentRemoved>on(Addresses.AGENT_REMOVED, m -> allocator.removeAgent(m.body().agentId()));
    this.<AddFramework>on(Addresses.ALLOCATOR_ADD_FRAMEWORK, m -> {
      AddFramework add = m.body();
      LOG.info("framework {} added under roles {} ({}, suppressed roles {})", add.frameworkId(), add.roles(),
          add.active() ? "active" : "inactive", add.suppressedRoles());
      allocator.addFramework(add.frameworkId(), add.roles(), add.suppressedRoles(), add.active(),
          add.minAllocatable(), add.gpuResources());
      trigger();
    });
    this.<FrameworkRef>on(Addresses.ALLOCATOR_ACTIVATE_FRAMEWORK, m -> {
      allocator.activateFramework(m.body().frameworkId());
      trigger();
    });
    this.<FrameworkRef>on(Addresses.ALLOCATOR_DEACTIVATE_FRAMEWORK,
        m -> allocator.deactivateFramework(m.body().frameworkId()));
    this.<FrameworkRef>on(Addresses.ALLOCATOR_REMOVE_FRAMEWORK, m -> {
      allocator.removeFramework(m.body().frameworkId());
      trigger();
    });
    this.<RecoverResources>on(Addresses.ALLOCATOR_RECOVER, m -> {
      RecoverResources r = m.body();
      allocator.recover(r.frameworkId(), r.role(), r.agentId(), r.resources(), r.refuseSeconds(), now());
      trigger();
    });
    this.<ReviveOffers>on(Addresses.ALLOCATOR_REVIVE, m -> {
      LOG.debug("framework {} revives offers for roles {}", m.body().frameworkId(), m.body().roles());
      allocator.revive(m.body().frameworkId(), m.body().roles());
      trigger();
    });
    this.<SuppressOffers>on(Addresses.ALLOCATOR_SUPPRESS,
        m -> allocator.suppress(m.body().frameworkId(), m.body().roles()));
    consumers.add(bus.<AgentActivation>consumer(Addresses.ALLOCATOR_AGENT_ACTIVATION, m -> {
      AgentActivation change = m.body();
      if (!allocator.hasAgent(change.agentId())) {
        m.fail(FailureCodes.NOT_FOUND, "agent_id: no agent " + change.agentId().value() + " is registered");
        return;
      }
      if (change.active()) {
        allocator.activateAgent(change.agentId());
        trigger();
      } else {
        allocator.deactivateAgent(change.agentId());
      }
      m.reply(null);
    }));
    consumers.add(bus.consumer(Addresses.ALLOCATOR_HEALTH, m -> m.reply(ServiceHealth.up("allocator"))));
    consumers.add(bus.consumer(Addresses.OFFERS_STARTED, m -> {
      // The offers the allocator made went with the broker that had them: start over from the registry, as a new
      // allocator does; the new broker then adds its frameworks again.
      LOG.info("an offer broker started: the allocator rebuilds itself");
      allocator = newAllocator();
      rebuild();
    }));
    roles = new RoleOperations(vertx, () -> allocator, this::trigger);
    consumers.addAll(roles.consumers());

    vertx.setPeriodic(options.allocationIntervalMillis(), id -> runCycle());
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList()).compose(v -> rebuild());
  }

  private Allocator newAllocator() {
    rebuilt = false;
    return new Allocator(options.config(), new SplittableRandom(options.seed()));
  }

  /** Loads weights, quota and the agents, then says so: offer-service adds its frameworks again. */
  private Future<Void> rebuild() {
    Allocator rebuilding = allocator;
    return roles.load(0).otherwiseEmpty()
        .compose(v -> recoverAgents(rebuilding))
        .onSuccess(v -> {
          if (rebuilding == allocator) { // not replaced again meanwhile
            rebuilt = true;
            vertx.eventBus().publish(Addresses.ALLOCATOR_STARTED, null);
          }
        });
  }

  /**
   * An allocator that starts while the cluster runs (a standby taking over, or one restarted) learns the agents and
   * what their tasks hold from the registry, as agents that register again would tell it; offer-service, told by
   * {@code ALLOCATOR_STARTED}, adds the frameworks again. Without an answer it starts empty: agents that register
   * (again) add themselves.
   */
  private Future<Void> recoverAgents(Allocator rebuilding) {
    return vertx.eventBus().<KnownAgents>request(Addresses.REGISTRY_KNOWN_AGENTS, null)
        .map(reply -> {
          for (KnownAgent agent : reply.body().agents()) {
            rebuilding.addAgent(agent.info(), agent.total(), agent.tasks());
            if (agent.draining()) {
              rebuilding.deactivateAgent(agent.info().id());
            }
          }
          if (!reply.body().agents().isEmpty()) {
            LOG.info("allocator knows {} agent(s) from the registry", reply.body().agents().size());
            trigger();
          }
          return (Void) null;
        })
        .otherwise(failure -> {
          LOG.warn("the registry did not say which agents it knows ({}); they are added as they register",
              failure.getMessage());
          return null;
        });
  }

  @Override
  public Future<?> stop() {
    // Meters live in the process-wide registry; a redeployed allocator must not report through this one.
    meters.forEach(Metrics.globalRegistry::remove);
    roleShares.register(List.of(), true);
    roleAllocated.register(List.of(), true);
    return Future.succeededFuture();
  }

  /** Handles a message, then replies so that a requester knows it was applied. */
  private <T> void on(String address, Handler<Message<T>> handler) {
    consumers.add(vertx.eventBus().<T>consumer(address, message -> {
      handler.handle(message);
      message.reply(null);
    }));
  }

  private void trigger() {
    if (!cyclePending) {
      cyclePending = true;
      vertx.setTimer(Math.max(1, options.triggerDelayMillis()), id -> runCycle());
    }
  }

  private void runCycle() {
    cyclePending = false;
    if (!rebuilt) {
      return;
    }
    long started = System.nanoTime();
    List<Allocation> allocations = allocator.allocate(now());
    cycleTimer.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
    updateRoleMeters();
    if (allocations.isEmpty()) {
      return;
    }
    vertx.eventBus().request(Addresses.OFFERS_ALLOCATIONS, new Allocations(allocations)).onFailure(failure -> {
      // Offer-service did not take them: take them back unfiltered; the next periodic cycle tries again.
      LOG.warn("offer-service did not take {} allocations ({}); recovering them", allocations.size(),
          failure.getMessage());
      for (Allocation a : allocations) {
        allocator.recover(a.frameworkId(), a.role(), a.agent().id(), a.resources(), null, now());
      }
    });
  }

  private void registerMetrics() {
    cycleTimer = Timer.builder("orrery.allocator.cycle").description("Time of one allocation cycle")
        .register(Metrics.globalRegistry);
    meters.add(cycleTimer);
    meters.add(Gauge.builder("orrery.allocator.agents", () -> allocator.agentCount())
        .register(Metrics.globalRegistry));
    meters.add(Gauge.builder("orrery.allocator.frameworks", () -> allocator.frameworkCount())
        .register(Metrics.globalRegistry));
    roleShares = MultiGauge.builder("orrery.role.dominant.share")
        .description("A role's weighted dominant share of the cluster").register(Metrics.globalRegistry);
    roleAllocated = MultiGauge.builder("orrery.role.allocated")
        .description("Scalar resources allocated to a role, offered or in use").register(Metrics.globalRegistry);
  }

  private void updateRoleMeters() {
    List<MultiGauge.Row<?>> shares = new ArrayList<>();
    List<MultiGauge.Row<?>> allocated = new ArrayList<>();
    for (RoleView role : allocator.roleViews()) {
      shares.add(MultiGauge.Row.of(Tags.of("role", role.name()), role.share()));
      for (String kind : RoleMessages.reportedKinds(role.allocated())) {
        allocated.add(MultiGauge.Row.of(Tags.of("role", role.name(), "resource", kind),
            role.allocated().scalar(kind)));
      }
    }
    roleShares.register(shares, true);
    roleAllocated.register(allocated, true);
  }

  private static long now() {
    return System.currentTimeMillis();
  }
}
