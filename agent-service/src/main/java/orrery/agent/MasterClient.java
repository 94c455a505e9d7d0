package orrery.agent;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.List;
import java.util.function.Supplier;
import orrery.agent.core.RetryPolicy;
import orrery.agent.core.Uuids;
import orrery.protocol.bus.Addresses;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.AgentInfo;
import orrery.protocol.messages.AgentMessages.AddAgent;
import orrery.protocol.messages.AgentMessages.AgentHeartbeat;
import orrery.protocol.messages.AgentMessages.AgentRegistered;
import orrery.protocol.messages.AgentMessages.AgentTask;
import orrery.protocol.messages.AgentMessages.HeartbeatReply;
import orrery.protocol.messages.AgentMessages.RegisterAgent;
import orrery.protocol.messages.AgentMessages.UnregisterAgent;
import orrery.protocol.messages.TaskMessages.StatusUpdate;
import orrery.protocol.resources.Resources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's requests to the registry and the allocator, which between them play the Mesos master's part for
 * agents. Registration and joining the allocator are retried with backoff until answered (the services may start
 * after the agent); the rest are single attempts whose failures are logged.
 */
final class MasterClient {

  private static final Logger LOG = LoggerFactory.getLogger(MasterClient.class);
  private static final long REQUEST_TIMEOUT_MILLIS = 10_000;
  private static final long UNREGISTER_TIMEOUT_MILLIS = 2_000;

  private final Vertx vertx;
  private final RetryPolicy backoff;
  private boolean closed;

  MasterClient(Vertx vertx, RetryPolicy backoff) {
    this.vertx = vertx;
    this.backoff = backoff;
  }

  /** Registers (again, when {@code info.id} is set) with the tasks it holds: the agent's id, and if it drains. */
  Future<AgentRegistered> register(AgentInfo info, List<AgentTask> tasks) {
    return untilAnswered("registering with the registry",
        () -> this.<AgentRegistered>request(Addresses.REGISTRY_REGISTER_AGENT, new RegisterAgent(info, tasks),
            REQUEST_TIMEOUT_MILLIS));
  }

  /** Offers the agent's resources to the allocator, less what the tasks it holds use. */
  Future<Void> addAgent(AgentInfo info, Resources total, List<AgentTask> tasks, boolean draining) {
    return untilAnswered("joining the allocator",
        () -> request(Addresses.ALLOCATOR_ADD_AGENT, new AddAgent(info, total, tasks, draining),
            REQUEST_TIMEOUT_MILLIS).mapEmpty());
  }

  /** Whether the registry still knows the agent. */
  Future<Boolean> heartbeat(AgentId agentId, long timeoutMillis) {
    return this.<HeartbeatReply>request(Addresses.REGISTRY_AGENT_HEARTBEAT, new AgentHeartbeat(agentId),
        timeoutMillis).map(HeartbeatReply::known);
  }

  /** Best effort: the agent is leaving either way. */
  Future<Void> unregister(AgentId agentId) {
    return request(Addresses.REGISTRY_UNREGISTER_AGENT, new UnregisterAgent(agentId), UNREGISTER_TIMEOUT_MILLIS)
        .<Void>mapEmpty()
        .onFailure(e -> LOG.warn("could not unregister agent {}: {}", agentId, e.getMessage()))
        .otherwiseEmpty();
  }

  /** Sends one update; a lost one is resent by the status-update stream, so a failure is only logged. */
  void statusUpdate(StatusUpdate update) {
    request(Addresses.REGISTRY_STATUS_UPDATE, update, REQUEST_TIMEOUT_MILLIS).onFailure(e -> LOG.warn(
        "status update {} ({}) for task '{}' not taken by the registry, will resend: {}",
        Uuids.toString(update.status().uuid()), update.status().state(), update.status().taskId(), e.getMessage()));
  }

  /** Stops retrying. */
  void close() {
    closed = true;
  }

  private <T> Future<T> request(String address, Object body, long timeoutMillis) {
    return vertx.eventBus().<T>request(address, body, new DeliveryOptions().setSendTimeout(timeoutMillis))
        .map(Message::body);
  }

  /** A refusal (a 4xx code from the service), not a service that is missing or slow. */
  private static boolean refused(Throwable failure) {
    return failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && reply.failureCode() >= 400 && reply.failureCode() < 500;
  }

  private <T> Future<T> untilAnswered(String what, Supplier<Future<T>> call) {
    Promise<T> result = Promise.promise();
    attempt(what, call, 1, result);
    return result.future();
  }

  private <T> void attempt(String what, Supplier<Future<T>> call, int attempt, Promise<T> result) {
    call.get().onComplete(done -> {
      if (done.succeeded()) {
        result.complete(done.result());
      } else if (closed) {
        result.fail(new IllegalStateException("agent stopped while " + what, done.cause()));
      } else if (refused(done.cause())) {
        // The registry answered no (a gone agent may not register again): asking again changes nothing.
        result.fail(new RequestRefused(what, done.cause()));
      } else {
        long delay = backoff.delayAfter(attempt);
        LOG.warn("{} failed (attempt {}), retrying in {} ms: {}", what, attempt, delay, done.cause().getMessage());
        vertx.setTimer(delay, id -> attempt(what, call, attempt + 1, result));
      }
    });
  }
}
