package orrery.allocator;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.List;
import java.util.function.Supplier;
import orrery.allocator.core.Allocator;
import orrery.protocol.bus.Addresses;
import orrery.protocol.bus.FailureCodes;
import orrery.protocol.messages.RoleMessages.RoleConfig;
import orrery.protocol.messages.RoleMessages.RoleStates;
import orrery.protocol.messages.RoleMessages.UpdateQuota;
import orrery.protocol.messages.RoleMessages.UpdateWeights;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The allocator's operator side, run on its verticle's event loop: roles, weights and quota read and updated. An
 * update is checked whole, recorded in the registry, and only then applied, one update at a time; at start the
 * recorded weights and quota are loaded.
 */
final class RoleOperations {

  private static final Logger LOG = LoggerFactory.getLogger(RoleOperations.class);

  private final Vertx vertx;
  /** The allocator in use: a new one replaces it when the offer broker changes. */
  private final Supplier<Allocator> allocator;
  private final Runnable trigger;
  /** Updates run one after another, each checked against the state its predecessors left. */
  private Future<?> updates = Future.succeededFuture();

  RoleOperations(Vertx vertx, Supplier<Allocator> allocator, Runnable trigger) {
    this.vertx = vertx;
    this.allocator = allocator;
    this.trigger = trigger;
  }

  List<MessageConsumer<?>> consumers() {
    EventBus bus = vertx.eventBus();
    return List.of(
        bus.consumer(Addresses.ALLOCATOR_ROLES,
            m -> m.reply(new RoleStates(allocator.get().roleViews().stream().map(RoleUpdates::state).toList()))),
        bus.consumer(Addresses.ALLOCATOR_ROLE_CONFIG, m -> m.reply(RoleUpdates.config(allocator.get()))),
        bus.<UpdateWeights>consumer(Addresses.ALLOCATOR_UPDATE_WEIGHTS, m -> update(m,
            () -> RoleUpdates.weightsProblem(m.body()), Addresses.REGISTRY_UPDATE_WEIGHTS,
            () -> RoleUpdates.applyWeights(allocator.get(), m.body().weightInfos()))),
        bus.<UpdateQuota>consumer(Addresses.ALLOCATOR_UPDATE_QUOTA, m -> update(m,
            () -> RoleUpdates.quotaProblem(allocator.get(), m.body()), Addresses.REGISTRY_UPDATE_QUOTA,
            () -> RoleUpdates.applyQuota(allocator.get(), m.body().quotaConfigs()))));
  }

  /**
   * Checks an operator update; a refused one is answered 400 and changes nothing. An accepted one is recorded in the
   * registry first (so that it survives a restart of the allocator), then applied; if the registry does not record
   * it, it is answered 503 and not applied.
   */
  private <T> void update(Message<T> message, Supplier<String> check, String registryAddress, Runnable apply) {
    updates = updates.transform(previous -> {
      String problem = check.get();
      if (problem != null) {
        LOG.warn("refused {}: {}", message.address(), problem);
        message.fail(FailureCodes.BAD_REQUEST, problem);
        return Future.succeededFuture();
      }
      return vertx.eventBus().request(registryAddress, message.body()).onComplete(recorded -> {
        if (recorded.failed()) {
          message.fail(FailureCodes.UNAVAILABLE, "the registry did not record the update, so it was not applied: "
              + recorded.cause().getMessage());
          return;
        }
        apply.run();
        trigger.run();
        message.reply(null);
      });
    });
  }

  /**
   * Loads the recorded weights and quota. Start waits for the first attempt only; if the registry does not answer,
   * the allocator runs with default weights and no quota meanwhile and asks again with backoff until it answers.
   */
  Future<Void> load(int attempt) {
    // A registry that is there but stuck must not hold the allocator's start for the default 30 s.
    DeliveryOptions quick = new DeliveryOptions().setSendTimeout(5_000);
    return vertx.eventBus().<RoleConfig>request(Addresses.REGISTRY_ROLE_CONFIG, null, quick).onSuccess(reply -> {
      RoleUpdates.applyWeights(allocator.get(), reply.body().weights());
      RoleUpdates.applyQuota(allocator.get(), reply.body().quotas());
      LOG.info("loaded {} role weight(s) and {} quota(s) from the registry", reply.body().weights().size(),
          reply.body().quotas().size());
      trigger.run();
    }).onFailure(failure -> {
      long delay = Math.min(30_000, 500L << Math.min(attempt, 6));
      LOG.warn("could not load role weights and quota from the registry ({}); running without them, asking again "
          + "in {} ms", failure.getMessage(), delay);
      vertx.setTimer(delay, id -> load(attempt + 1));
    }).mapEmpty();
  }
}
