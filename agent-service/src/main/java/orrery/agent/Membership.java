package orrery.agent;

import io.vertx.core.Vertx;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.AgentInfo;
import orrery.protocol.messages.AgentMessages.AgentTask;
import orrery.protocol.resources.Resources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the agent a member of the cluster once registered: heartbeats to the registry, and when the registry no
 * longer knows it (it missed heartbeats and was removed), registers again under the same id, naming the tasks it
 * still holds, and rejoins the allocator. Used on the agent's context only.
 */
final class Membership {

  private static final Logger LOG = LoggerFactory.getLogger(Membership.class);

  private final Vertx vertx;
  private final MasterClient master;
  private final long intervalMillis;
  private final BooleanSupplier stopping;
  private final Supplier<List<AgentTask>> heldTasks;
  private AgentInfo info;
  private Resources total;
  private long timer = -1;
  private boolean reregistering;

  Membership(Vertx vertx, MasterClient master, long intervalMillis, BooleanSupplier stopping,
      Supplier<List<AgentTask>> heldTasks) {
    this.vertx = vertx;
    this.heldTasks = heldTasks;
    this.master = master;
    this.intervalMillis = intervalMillis;
    this.stopping = stopping;
  }

  /** Starts heartbeating as the registered agent {@code info} offering {@code total}. */
  void start(AgentInfo registered, Resources offered) {
    this.info = registered;
    this.total = offered;
    timer = vertx.setPeriodic(intervalMillis, id -> heartbeat());
  }

  void stop() {
    vertx.cancelTimer(timer);
  }

  private void heartbeat() {
    if (reregistering) {
      return;
    }
    master.heartbeat(info.id(), intervalMillis).onComplete(reply -> {
      if (reply.failed()) {
        LOG.warn("heartbeat of agent {} not answered: {}", info.id(), reply.cause().getMessage());
      } else if (!reply.result()) {
        reregister();
      }
    });
  }

  private void reregister() {
    if (reregistering || stopping.getAsBoolean()) {
      return;
    }
    reregistering = true;
    AgentId id = info.id();
    LOG.warn("the registry asks agent {} to register again (it missed heartbeats, or the registry took over since)", id);
    master.register(info, heldTasks.get())
        .compose(registered -> {
          if (!registered.agentId().equals(id)) {
            LOG.error("registered again as {} instead of {}; this agent still listens as {}", registered.agentId(),
                id, id);
          }
          return master.addAgent(info, total, heldTasks.get(), registered.draining());
        })
        .onComplete(done -> {
          reregistering = false;
          if (done.failed() && done.cause() instanceof RequestRefused refused) {
            // A gone agent: heartbeats and registrations would be refused for ever.
            LOG.error("agent {} is no longer part of the cluster ({}); it stops heartbeating. Its tasks run on "
                + "untracked until it is stopped; start it on an empty work dir to join as a new agent", id,
                refused.getMessage());
            stop();
          } else if (done.failed()) {
            LOG.warn("registering agent {} again failed: {}", id, done.cause().getMessage());
          }
        });
  }
}
