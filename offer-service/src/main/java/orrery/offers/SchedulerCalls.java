package orrery.offers;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import orrery.offers.core.CallRejected;
import orrery.offers.core.OfferBroker;
import orrery.protocol.bus.Addresses;
import orrery.protocol.json.MesosJson;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.FrameworkInfo;
import orrery.protocol.messages.AllocatorMessages.AddFramework;
import orrery.protocol.messages.AllocatorMessages.ReviveOffers;
import orrery.protocol.messages.AllocatorMessages.SuppressOffers;
import orrery.protocol.messages.FrameworkMessages.ConnectionClosed;
import orrery.protocol.messages.FrameworkMessages.FrameworkSubscribed;
import orrery.protocol.messages.TaskMessages.Acknowledgement;
import orrery.protocol.messages.TaskMessages.KillTask;
import orrery.protocol.messages.TaskMessages.LaunchTasks;
import orrery.protocol.messages.TaskMessages.ReconcileTasks;
import orrery.protocol.mesos.FrameworkInfo.Capability;
import orrery.protocol.scheduler.Call;
import orrery.protocol.scheduler.Event;

/**
 * Carries out one scheduler call: asks the {@link OfferBroker} what it means and sends what follows. The answer is
 * the SUBSCRIBED event for SUBSCRIBE and an empty object (HTTP 202) for every other accepted call.
 */
final class SchedulerCalls {

  private static final JsonObject ACCEPTED = new JsonObject();
  /** 3 s each with a second between: half a minute, longer than a registry failover takes (about 5 s). */
  private static final int LAUNCH_ATTEMPTS = 8;

  private final OfferBroker broker;
  private final Outbox outbox;
  private final OfferOptions options;

  SchedulerCalls(OfferBroker broker, Outbox outbox, OfferOptions options) {
    this.broker = broker;
    this.outbox = outbox;
    this.options = options;
  }

  Future<JsonObject> handle(Call call, String connection) {
    if (call.type() == Call.Type.SUBSCRIBE) {
      return subscribe(call.subscribe(), connection);
    }
    FrameworkId id = call.frameworkId();
    FrameworkInfo info = broker.authorize(id, connection);
    switch (call.type()) {
      // Only authorized here: the caller tears the framework down after answering (see OfferVerticle.onCall).
      case TEARDOWN -> { }
      case ACCEPT -> accept(id, info, call.accept());
      case DECLINE -> outbox.recover(broker.decline(id, call.decline()));
      case REVIVE -> {
        List<String> roles = checkRoles(info, call.revive().roles(), "revive");
        broker.suppressed(id, roles, false);
        outbox.send(Addresses.ALLOCATOR_REVIVE, new ReviveOffers(id, roles));
      }
      case SUPPRESS -> {
        List<String> roles = checkRoles(info, call.suppress().roles(), "suppress");
        broker.suppressed(id, roles, true);
        outbox.send(Addresses.ALLOCATOR_SUPPRESS, new SuppressOffers(id, roles));
      }
      case KILL -> outbox.send(Addresses.REGISTRY_KILL,
          new KillTask(id, call.kill().taskId(), call.kill().agentId(), call.kill().killPolicy()));
      case ACKNOWLEDGE -> {
        // Waits for the registry, so that an acknowledgement it refuses (unknown uuid) is answered with an error.
        return outbox.ask(Addresses.REGISTRY_ACKNOWLEDGE, new Acknowledgement(id, call.acknowledge().agentId(),
            call.acknowledge().taskId(), call.acknowledge().uuid())).map(reply -> ACCEPTED);
      }
      case RECONCILE -> {
        // Waits for the registry, so that a reconcile it refuses (another framework's tasks) is answered with it.
        return outbox.ask(Addresses.REGISTRY_RECONCILE, new ReconcileTasks(id,
            info.hasCapability(Capability.Type.PARTITION_AWARE), call.reconcile().tasks())).map(reply -> ACCEPTED);
      }
      // No maintenance schedules and no REQUEST handling in this cluster: accepted and ignored, as Mesos does.
      case REQUEST, ACCEPT_INVERSE_OFFERS, DECLINE_INVERSE_OFFERS -> { }
      default -> throw CallRejected.badRequest(call.type() + " is not supported: Orrery runs command tasks "
          + "without custom executors or offer operations other than LAUNCH");
    }
    return Future.succeededFuture(ACCEPTED);
  }

  private Future<JsonObject> subscribe(Call.Subscribe subscribe, String connection) {
    for (String role : subscribe.suppressedRoles()) {
      if (!subscribe.frameworkInfo().effectiveRoles().contains(role)) {
        throw CallRejected.badRequest("subscribe.suppressed_roles names '" + role + "', which is not one of the "
            + "framework's roles");
      }
    }
    OfferBroker.Subscribed subscribed = broker.subscribe(subscribe, connection);
    FrameworkInfo info = subscribed.info();
    if (subscribed.supersededConnection() != null) {
      outbox.publish(Addresses.GATEWAY_CLOSE_CONNECTION, new ConnectionClosed(subscribed.supersededConnection()));
    }
    outbox.recover(subscribed.rescinded());
    // The framework is added inactive; it is activated once its connection listens on its event address.
    Future<Object> registry = outbox.request(Addresses.REGISTRY_FRAMEWORK_SUBSCRIBED, new FrameworkSubscribed(info));
    Future<Object> allocator = outbox.request(Addresses.ALLOCATOR_ADD_FRAMEWORK,
        new AddFramework(info.id(), info.effectiveRoles(), subscribe.suppressedRoles(), false,
            info.minAllocatableByRole(), info.hasCapability(Capability.Type.GPU_RESOURCES)));
    return Future.all(registry, allocator).map(done -> MesosJson.toJsonObject(
        Event.subscribed(info.id(), options.heartbeatIntervalSeconds(), options.masterInfo())));
  }

  private void accept(FrameworkId id, FrameworkInfo info, Call.Accept accept) {
    OfferBroker.AcceptOutcome outcome = broker.accept(id, accept);
    if (outcome instanceof OfferBroker.Rejected rejected) {
      if (rejected.offersGone()) {
        outbox.tasksDropped(id, rejected.tasks(), rejected.reason(),
            info.hasCapability(Capability.Type.PARTITION_AWARE));
      } else {
        outbox.taskErrors(id, rejected.tasks(), rejected.reason());
      }
      outbox.recover(rejected.recovered());
      return;
    }
    OfferBroker.Launch launch = (OfferBroker.Launch) outcome;
    outbox.recover(launch.unused());
    if (launch.tasks().isEmpty()) {
      outbox.recover(List.of(launch.used()));
      return;
    }
    // The registry refuses the whole launch when a task id is already in use; then nothing runs. A launch that went
    // unanswered (the registry failing over) is asked again: the registry records it once.
    outbox.requestAgain(Addresses.REGISTRY_LAUNCH, new LaunchTasks(id, launch.agentId(), launch.tasks()),
            LAUNCH_ATTEMPTS)
        .onFailure(failure -> {
          outbox.taskErrors(id, launch.tasks(), failure.getMessage());
          outbox.recover(List.of(launch.used()));
        });
  }

  private static List<String> checkRoles(FrameworkInfo info, List<String> roles, String field) {
    List<String> checked = new ArrayList<>(roles.size());
    for (int i = 0; i < roles.size(); i++) {
      if (!info.effectiveRoles().contains(roles.get(i))) {
        throw CallRejected.badRequest(field + ".roles[" + i + "] '" + roles.get(i) + "' is not one of the framework's "
            + "roles " + info.effectiveRoles());
      }
      checked.add(roles.get(i));
    }
    return checked;
  }
}
