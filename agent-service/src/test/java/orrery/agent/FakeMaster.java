package orrery.agent;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import orrery.protocol.bus.Addresses;
import orrery.protocol.bus.BusCodecs;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.messages.AgentMessages.AddAgent;
import orrery.protocol.messages.AgentMessages.AgentHeartbeat;
import orrery.protocol.messages.AgentMessages.AgentRegistered;
import orrery.protocol.messages.AgentMessages.HeartbeatReply;
import orrery.protocol.messages.AgentMessages.RegisterAgent;
import orrery.protocol.messages.AgentMessages.UnregisterAgent;
import orrery.protocol.messages.TaskMessages.Acknowledgement;
import orrery.protocol.messages.TaskMessages.StatusUpdate;

/**
 * Stands in for the registry and the allocator on the event bus, only for this module's tests: answers the agent
 * and records what it sent. Status updates are acknowledged at once unless told otherwise.
 */
final class FakeMaster {

  static final AgentId AGENT_ID = AgentId.of("agent-under-test");
  private static final long WAIT_SECONDS = 30;

  final BlockingQueue<RegisterAgent> registrations = new LinkedBlockingQueue<>();
  final BlockingQueue<AddAgent> additions = new LinkedBlockingQueue<>();
  final BlockingQueue<AgentHeartbeat> heartbeats = new LinkedBlockingQueue<>();
  final BlockingQueue<UnregisterAgent> unregistrations = new LinkedBlockingQueue<>();
  /** Every update received, resends included, in arrival order. */
  final List<StatusUpdate> allUpdates = new CopyOnWriteArrayList<>();
  final AtomicBoolean autoAcknowledge = new AtomicBoolean(true);
  final AtomicBoolean knowsAgent = new AtomicBoolean(true);

  private final Vertx vertx;
  private final Map<TaskId, BlockingQueue<StatusUpdate>> updates = new ConcurrentHashMap<>();
  private final List<MessageConsumer<?>> registryConsumers = new CopyOnWriteArrayList<>();
  private final java.util.Set<String> seen = ConcurrentHashMap.newKeySet();

  FakeMaster(Vertx vertx) {
    this.vertx = vertx;
    BusCodecs.register(vertx.eventBus());
  }

  /** Answers registrations (with the agent's own id when it has one), heartbeats and status updates. */
  FakeMaster startRegistry() throws Exception {
    EventBus bus = vertx.eventBus();
    registryConsumers.add(bus.<RegisterAgent>consumer(Addresses.REGISTRY_REGISTER_AGENT, m -> {
      registrations.add(m.body());
      knowsAgent.set(true);
      m.reply(new AgentRegistered(m.body().info().id() == null ? AGENT_ID : m.body().info().id(), false));
    }));
    registryConsumers.add(bus.<AgentHeartbeat>consumer(Addresses.REGISTRY_AGENT_HEARTBEAT, m -> {
      heartbeats.add(m.body());
      m.reply(new HeartbeatReply(knowsAgent.get()));
    }));
    registryConsumers.add(bus.<UnregisterAgent>consumer(Addresses.REGISTRY_UNREGISTER_AGENT, m -> {
      unregistrations.add(m.body());
      m.reply(null);
    }));
    registryConsumers.add(bus.<StatusUpdate>consumer(Addresses.REGISTRY_STATUS_UPDATE, m -> {
      StatusUpdate update = m.body();
      allUpdates.add(update);
      updates.computeIfAbsent(update.status().taskId(), id -> new LinkedBlockingQueue<>()).add(update);
      m.reply(null);
      if (autoAcknowledge.get()) {
        acknowledge(update);
      }
    }));
    for (MessageConsumer<?> consumer : registryConsumers) {
      consumer.completion().toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }
    return this;
  }

  FakeMaster startAllocator() throws Exception {
    vertx.eventBus().<AddAgent>consumer(Addresses.ALLOCATOR_ADD_AGENT, m -> {
      additions.add(m.body());
      m.reply(null);
    }).completion().toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    return this;
  }

  /** The framework's ACKNOWLEDGE, as the registry forwards it to the agent. */
  void acknowledge(StatusUpdate update) {
    vertx.eventBus().send(Addresses.agentAcknowledge(update.status().agentId()), new Acknowledgement(
        update.frameworkId(), update.status().agentId(), update.status().taskId(), update.status().uuid()));
  }

  /** The next delivery of an update of this task, resends included, waiting generously for it. */
  StatusUpdate nextDelivery(TaskId taskId) throws InterruptedException {
    StatusUpdate update = updates.computeIfAbsent(taskId, id -> new LinkedBlockingQueue<>())
        .poll(WAIT_SECONDS, TimeUnit.SECONDS);
    if (update == null) {
      throw new AssertionError("no status update for task '" + taskId + "' within " + WAIT_SECONDS + " s");
    }
    return update;
  }

  /**
   * The next update of this task not seen before: a resend of an update already taken (a slow machine may resend
   * before the acknowledgement arrives) is skipped.
   */
  StatusUpdate nextUpdate(TaskId taskId) throws InterruptedException {
    while (true) {
      StatusUpdate update = nextDelivery(taskId);
      if (seen.add(taskId.value() + "/" + java.util.Base64.getEncoder().encodeToString(update.status().uuid()))) {
        return update;
      }
    }
  }

  static <T> T next(BlockingQueue<T> queue, String what) throws InterruptedException {
    T value = queue.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    if (value == null) {
      throw new AssertionError("no " + what + " within " + WAIT_SECONDS + " s");
    }
    return value;
  }
}
