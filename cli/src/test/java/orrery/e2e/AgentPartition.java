package orrery.e2e;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import orrery.protocol.bus.Addresses;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.messages.AgentMessages.AddAgent;
import orrery.protocol.messages.AgentMessages.AgentHeartbeat;
import orrery.protocol.messages.AgentMessages.RegisterAgent;
import orrery.protocol.messages.AgentMessages.UnregisterAgent;
import orrery.protocol.messages.TaskMessages.StatusUpdate;

/**
 * Cuts one agent off from the control plane of a cluster that runs in one Vert.x, as a network partition would:
 * an outbound interceptor on the event bus drops every message the agent sends to the registry or the allocator
 * (heartbeats, registrations, status updates) and every message sent to the agent's own addresses (launch, kill,
 * acknowledge, shutdown-framework). Requests among them go unanswered and time out, as over a cut network. The
 * agent's processes and its HTTP server are untouched. Healing removes the interceptor.
 */
final class AgentPartition implements AutoCloseable {

  /** The addresses the agent sends to; each body names the agent it comes from. */
  private static final Set<String> FROM_AGENT = Set.of(Addresses.REGISTRY_AGENT_HEARTBEAT,
      Addresses.REGISTRY_REGISTER_AGENT, Addresses.REGISTRY_UNREGISTER_AGENT, Addresses.REGISTRY_STATUS_UPDATE,
      Addresses.ALLOCATOR_ADD_AGENT);

  private final Vertx vertx;
  private final AgentId agentId;
  private final String agentPrefix;
  private final Map<String, AtomicInteger> dropped = new ConcurrentHashMap<>();
  private final Handler<DeliveryContext<Object>> interceptor = this::intercept;
  private boolean cut;

  AgentPartition(Vertx vertx, AgentId agentId) {
    this.vertx = vertx;
    this.agentId = agentId;
    this.agentPrefix = "orrery.agent." + agentId.value() + ".";
  }

  synchronized void cut() {
    if (!cut) {
      vertx.eventBus().addOutboundInterceptor(interceptor);
      cut = true;
    }
  }

  synchronized void heal() {
    if (cut) {
      vertx.eventBus().removeOutboundInterceptor(interceptor);
      cut = false;
    }
  }

  /** How many messages to {@code address} were dropped so far. */
  int dropped(String address) {
    AtomicInteger count = dropped.get(address);
    return count == null ? 0 : count.get();
  }

  @Override
  public void close() {
    heal();
  }

  private void intercept(DeliveryContext<Object> delivery) {
    String address = delivery.message().address();
    if (address.startsWith(agentPrefix) || (FROM_AGENT.contains(address) && fromAgent(delivery.body()))) {
      dropped.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
      return; // not passed on: the message is lost
    }
    delivery.next();
  }

  private boolean fromAgent(Object body) {
    AgentId sender = null;
    if (body instanceof AgentHeartbeat heartbeat) {
      sender = heartbeat.agentId();
    } else if (body instanceof RegisterAgent register) {
      sender = register.info().id();
    } else if (body instanceof UnregisterAgent unregister) {
      sender = unregister.agentId();
    } else if (body instanceof StatusUpdate update) {
      sender = update.status().agentId();
    } else if (body instanceof AddAgent add) {
      sender = add.info().id();
    }
    return agentId.equals(sender);
  }
}
