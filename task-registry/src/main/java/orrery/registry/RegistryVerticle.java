package orrery.registry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import orrery.protocol.bus.Addresses;
import orrery.protocol.bus.BusCodecs;
import orrery.protocol.bus.FailureCodes;
import orrery.protocol.json.MesosJson;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.TaskStatus;
import orrery.protocol.messages.AgentMessages.AgentActivation;
import orrery.protocol.messages.AgentMessages.AgentHeartbeat;
import orrery.protocol.messages.AgentMessages.AgentList;
import orrery.protocol.messages.AgentMessages.AgentRegistered;
import orrery.protocol.messages.AgentMessages.AgentRemoved;
import orrery.protocol.messages.AgentMessages.KnownAgents;
import orrery.protocol.messages.AgentMessages.HeartbeatReply;
import orrery.protocol.messages.AgentMessages.RegisterAgent;
import orrery.protocol.messages.AgentMessages.UnregisterAgent;
import orrery.protocol.messages.FrameworkMessages.FrameworkDisconnected;
import orrery.protocol.messages.FrameworkMessages.FrameworkRef;
import orrery.protocol.messages.FrameworkMessages.KnownFramework;
import orrery.protocol.messages.FrameworkMessages.KnownFrameworks;
import orrery.protocol.messages.FrameworkMessages.FrameworkSubscribed;
import orrery.protocol.messages.RoleMessages.UpdateQuota;
import orrery.protocol.messages.RoleMessages.UpdateWeights;
import orrery.protocol.messages.ServiceHealth;
import orrery.protocol.messages.TaskMessages.Acknowledgement;
import orrery.protocol.messages.TaskMessages.KillTask;
import orrery.protocol.messages.TaskMessages.LaunchTasks;
import orrery.protocol.messages.TaskMessages.ReconcileTasks;
import orrery.protocol.messages.TaskMessages.StatusUpdate;
import orrery.protocol.messages.TaskMessages.TaskList;
import orrery.protocol.messages.TaskMessages.TaskQuery;
import orrery.protocol.resources.Resources;
import orrery.protocol.scheduler.Event;
import orrery.registry.core.Notice;
import orrery.registry.core.Registry;
import orrery.registry.core.RegistryRejection;
import orrery.registry.store.FencedOut;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Task-registry: applies each message to the {@link Registry}, makes the changes durable through the store, and
 * only then answers and routes (updates to frameworks, acknowledgements and kills to agents).
 */
public final class RegistryVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(RegistryVerticle.class);

  private final RegistryOptions options;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private final List<Meter> meters = new ArrayList<>();
  private Registry registry;
  /** Set while the registry is rebuilt from its store after a failed write: every request is refused meanwhile. */
  private boolean reloading;
  private EventBus bus;
  private Counter updates;

  public RegistryVerticle(RegistryOptions options) {
    this.options = options;
  }

  @Override
  public Future<?> start() {
    bus = vertx.eventBus();
    BusCodecs.register(bus);
    return Future.fromCompletionStage(options.store().load(), context).compose(snapshot -> {
      registry = Registry.restore(options.masterId(), snapshot, now());
      LOG.info("registry loaded: {} agent(s), {} framework(s), {} task(s)", snapshot.agents().size(),
          snapshot.frameworks().size(), snapshot.tasks().size());
      return listen();
    });
  }

  private Future<?> listen() {
    updates = Counter.builder("orrery.registry.status.updates").description("Status updates received from agents")
        .register(Metrics.globalRegistry);
    meters.add(updates);

    this.<RegisterAgent>handle(Addresses.REGISTRY_REGISTER_AGENT, m -> {
      Registry.Registration registration = registry.registerAgent(m.info(), Resources.of(m.info().resources()),
          m.tasks(), now());
      LOG.info("agent {} registered from {}:{} with {} task(s)", registration.agentId(), m.info().hostname(),
          m.info().effectivePort(), m.tasks().size());
      return persist().map(v -> {
        registration.notices().forEach(this::notify);
        registration.recoveries().forEach(r -> bus.send(Addresses.ALLOCATOR_RECOVER, r));
        return new AgentRegistered(registration.agentId(), registration.draining());
      });
    });
    this.<AgentActivation>handle(Addresses.REGISTRY_AGENT_ACTIVATION, m -> {
      registry.setDraining(m.agentId(), !m.active(), now());
      return persist();
    });
    this.<AgentHeartbeat>handle(Addresses.REGISTRY_AGENT_HEARTBEAT, m -> {
      boolean known = registry.heartbeat(m.agentId(), now());
      // A heartbeat comes once the agent listens: kills held while it had not registered again go now.
      registry.takeHeldKills(m.agentId()).forEach(kill -> bus.send(Addresses.agentKill(m.agentId()), kill));
      return Future.succeededFuture(new HeartbeatReply(known));
    });
    this.<UnregisterAgent>handle(Addresses.REGISTRY_UNREGISTER_AGENT, m -> {
      List<Notice> notices = registry.removeAgent(m.agentId(), "it unregistered", now());
      return agentLeft(m.agentId(), "it unregistered", notices);
    });
    this.<FrameworkSubscribed>handle(Addresses.REGISTRY_FRAMEWORK_SUBSCRIBED, m -> {
      registry.frameworkSubscribed(m.info());
      return persist();
    });
    this.<FrameworkDisconnected>handle(Addresses.REGISTRY_FRAMEWORK_DISCONNECTED, m -> {
      registry.frameworkDisconnected(m.frameworkId(), m.failoverDeadlineMillis());
      return persist();
    });
    this.<FrameworkRef>handle(Addresses.REGISTRY_FRAMEWORK_CONNECTED, m -> {
      List<TaskStatus> pending = registry.unacknowledgedUpdates(m.frameworkId());
      if (!pending.isEmpty()) {
        LOG.info("framework {} listens again: forwarding its {} unacknowledged update(s)", m.frameworkId(),
            pending.size());
      }
      pending.forEach(status -> notify(new Notice(m.frameworkId(), status)));
      return Future.succeededFuture();
    });
    this.<Object>handle(Addresses.REGISTRY_KNOWN_AGENTS,
        m -> Future.succeededFuture(new KnownAgents(registry.knownAgents())));
    this.<Object>handle(Addresses.REGISTRY_FRAMEWORKS, m -> Future.succeededFuture(new KnownFrameworks(
        registry.frameworks().stream().map(f -> new KnownFramework(f.info(), f.removed(), f.failoverDeadlineMillis()))
            .toList())));
    this.<FrameworkRef>handle(Addresses.REGISTRY_FRAMEWORK_REMOVED, m -> {
      for (AgentId agent : registry.frameworkRemoved(m.frameworkId())) {
        bus.send(Addresses.agentShutdownFramework(agent), m);
      }
      return persist();
    });
    this.<LaunchTasks>handle(Addresses.REGISTRY_LAUNCH, m -> {
      if (!registry.launch(m, now())) {
        LOG.info("launch of {} task(s) of framework {} asked again: recorded and sent before", m.tasks().size(),
            m.frameworkId());
        return Future.succeededFuture();
      }
      return persist().onSuccess(v -> bus.send(Addresses.agentLaunch(m.agentId()), m));
    });
    this.<KillTask>handle(Addresses.REGISTRY_KILL, m -> {
      Registry.KillRoute route = registry.kill(m, now());
      if (route.agentId() != null) {
        bus.send(Addresses.agentKill(route.agentId()), m);
      } else if (route.unknown() != null) {
        notify(route.unknown());
      } else {
        LOG.info("kill of task {} held until its agent has registered again", m.taskId());
      }
      return Future.succeededFuture();
    });
    this.<StatusUpdate>handle(Addresses.REGISTRY_STATUS_UPDATE, this::statusUpdate);
    this.<Acknowledgement>handle(Addresses.REGISTRY_ACKNOWLEDGE, m -> {
      Acknowledgement ack = registry.acknowledge(m);
      return persist().onSuccess(v -> bus.send(Addresses.agentAcknowledge(ack.agentId()), ack));
    });
    this.<ReconcileTasks>handle(Addresses.REGISTRY_RECONCILE, m -> {
      registry.reconcile(m, now()).forEach(status -> notify(new Notice(m.frameworkId(), status)));
      return Future.succeededFuture();
    });
    this.<Object>handle(Addresses.REGISTRY_AGENTS, m -> Future.succeededFuture(new AgentList(registry.agents())));
    this.<TaskQuery>handle(Addresses.REGISTRY_TASKS,
        m -> Future.succeededFuture(new TaskList(registry.tasks(m == null ? null : m.frameworkId()))));
    this.<Object>handle(Addresses.REGISTRY_ROLE_CONFIG, m -> Future.succeededFuture(registry.roleConfig()));
    this.<UpdateWeights>handle(Addresses.REGISTRY_UPDATE_WEIGHTS, m -> {
      registry.updateWeights(m.weightInfos());
      return persist();
    });
    this.<UpdateQuota>handle(Addresses.REGISTRY_UPDATE_QUOTA, m -> {
      registry.updateQuota(m.quotaConfigs());
      return persist();
    });
    consumers.add(bus.consumer(Addresses.REGISTRY_HEALTH, m -> m.reply(ServiceHealth.up("registry"))));

    vertx.setPeriodic(Math.max(100, options.agentTimeoutMillis() / 3), id -> checkAgents());
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  @Override
  public Future<?> stop() {
    meters.forEach(Metrics.globalRegistry::remove);
    return Future.succeededFuture();
  }

  private Future<?> statusUpdate(StatusUpdate update) {
    updates.increment();
    Registry.UpdateOutcome outcome = registry.statusUpdate(update);
    TaskStatus status = update.status();
    if (!outcome.duplicate()) {
      LOG.info("task {} of framework {} is {}{}", status.taskId(), update.frameworkId(), status.state(),
          status.message() == null ? "" : " (" + status.message() + ")");
    }
    return persist().onSuccess(v -> {
      if (outcome.forward() != null) {
        bus.send(Addresses.framework(update.frameworkId()), MesosJson.toJsonObject(Event.update(outcome.forward())));
      }
      if (outcome.autoAcknowledge() != null) {
        bus.send(Addresses.agentAcknowledge(status.agentId()), outcome.autoAcknowledge());
      }
      if (outcome.recover() != null) {
        bus.send(Addresses.ALLOCATOR_RECOVER, outcome.recover());
      }
    });
  }

  /** Agents silent past the agent timeout become unreachable; those unreachable past theirs are gone. */
  private void checkAgents() {
    if (reloading) {
      return;
    }
    long now = now();
    for (AgentId silent : registry.silentSince(now - options.agentTimeoutMillis())) {
      String reason = "no heartbeat for " + options.agentTimeoutMillis() + " ms";
      agentLeft(silent, reason, registry.markUnreachable(silent, reason, now));
    }
    for (AgentId expired : registry.unreachableSince(now - options.unreachableTimeoutMillis())) {
      List<Notice> notices = registry.markGone(expired, now);
      LOG.warn("agent {} is gone: unreachable for over {} ms; {} task(s) gone", expired,
          options.unreachableTimeoutMillis(), notices.size());
      persist().onSuccess(v -> notices.forEach(this::notify));
    }
  }

  /** Once recorded: the allocator forgets the agent, its offers are rescinded, and frameworks hear of its tasks. */
  private Future<?> agentLeft(AgentId agentId, String reason, List<Notice> notices) {
    LOG.warn("agent {} left: {}; {} task(s) reported to their frameworks", agentId, reason, notices.size());
    return persist().onSuccess(v -> {
      bus.publish(Addresses.AGENT_REMOVED, new AgentRemoved(agentId, reason));
      notices.forEach(this::notify);
    });
  }

  private void notify(Notice notice) {
    bus.send(Addresses.framework(notice.frameworkId()), MesosJson.toJsonObject(Event.update(notice.status())));
  }

  /**
   * Hands the registry's changes to the store. When the store fails, the registry in memory is ahead of what is
   * durable: it is rebuilt from the store, and the callers, refused, send again.
   */
  private Future<Void> persist() {
    return Future.fromCompletionStage(options.store().apply(registry.drainChanges()), context)
        .onFailure(this::reload);
  }

  private void reload(Throwable storeFailure) {
    if (reloading) {
      return;
    }
    if (storeFailure instanceof FencedOut || storeFailure.getCause() instanceof FencedOut) {
      // Another registry leads now and has written: this one steps down, leaving the bus to it.
      reloading = true;
      LOG.error("deposed: {}; this registry stops", storeFailure.getMessage());
      vertx.undeploy(deploymentID());
      return;
    }
    reloading = true;
    LOG.error("the registry store failed ({}); reloading the registry from it", storeFailure.getMessage());
    Future.fromCompletionStage(options.store().load(), context).onComplete(loaded -> {
      if (loaded.succeeded()) {
        registry = Registry.restore(options.masterId(), loaded.result(), now());
        reloading = false;
        LOG.info("registry reloaded from its store");
      } else {
        LOG.error("reloading the registry failed; trying again in 1 s", loaded.cause());
        vertx.setTimer(1_000, id -> {
          reloading = false;
          reload(loaded.cause());
        });
      }
    });
  }

  /**
   * Handles a request: the handler's result is the reply; a {@link RegistryRejection} fails the request with its
   * code and is logged, having changed nothing.
   */
  private <T> void handle(String address, Function<T, Future<?>> handler) {
    consumers.add(bus.<T>consumer(address, (Message<T> message) -> {
      if (reloading) {
        message.fail(FailureCodes.UNAVAILABLE, "the registry is reloading from its store");
        return;
      }
      Future<?> result;
      try {
        result = handler.apply(message.body());
      } catch (RegistryRejection rejection) {
        LOG.warn("refused on {}: {}", address, rejection.getMessage());
        message.fail(rejection.code(), rejection.getMessage());
        return;
      }
      result.onComplete(done -> {
        if (done.succeeded()) {
          message.reply(done.result());
        } else {
          LOG.error("{} failed", address, done.cause());
          message.fail(FailureCodes.UNAVAILABLE, String.valueOf(done.cause().getMessage()));
        }
      });
    }));
  }

  private static long now() {
    return System.currentTimeMillis();
  }
}
