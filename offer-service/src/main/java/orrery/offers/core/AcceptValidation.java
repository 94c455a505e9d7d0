package orrery.offers.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import orrery.protocol.json.ProtocolException;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.Offer;
import orrery.protocol.mesos.OfferId;
import orrery.protocol.mesos.Resource;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskInfo;
import orrery.protocol.resources.Resources;
import orrery.protocol.scheduler.Call;

/**
 * Decides whether an ACCEPT may launch, before anything moves: the offers must be outstanding, the framework's own,
 * on one agent and under one role; every operation a LAUNCH; task ids unique; and the tasks together must fit in
 * the offers. The answer is all or nothing, and an invalid one names what was wrong.
 */
public final class AcceptValidation {

  private AcceptValidation() {}

  public sealed interface Result permits Valid, Invalid {}

  /** The tasks (their resources marked with the offers' role) and what they use of the offered resources. */
  public record Valid(AgentId agentId, String role, List<TaskInfo> tasks, Resources used) implements Result {}

  /**
   * @param offersGone the ACCEPT named an offer that is no longer outstanding (used, declined, rescinded, or made by
   *     a broker before this one): nothing was wrong with the tasks, and Mesos answers TASK_DROPPED (or TASK_LOST)
   *     with REASON_INVALID_OFFERS, so that the framework launches them again on another offer
   */
  public record Invalid(String reason, boolean offersGone) implements Result {
    public Invalid(String reason) {
      this(reason, false);
    }
  }

  public static Result validate(FrameworkId frameworkId, Call.Accept accept, OfferBook book) {
    try {
      return check(frameworkId, accept, book);
    } catch (OffersGone e) {
      return new Invalid(e.getMessage(), true);
    } catch (InvalidAccept e) {
      return new Invalid(e.getMessage());
    }
  }

  /** Every task of the ACCEPT, valid or not, so that each can be answered. */
  public static List<TaskInfo> tasksOf(Call.Accept accept) {
    List<TaskInfo> tasks = new ArrayList<>();
    for (Offer.Operation operation : accept.operations()) {
      if (operation.type() == Offer.Operation.Type.LAUNCH) {
        tasks.addAll(operation.launch().taskInfos());
      }
    }
    return tasks;
  }

  private static Valid check(FrameworkId frameworkId, Call.Accept accept, OfferBook book) {
    List<OutstandingOffer> offers = checkOffers(frameworkId, accept.offerIds(), book);
    AgentId agentId = offers.get(0).agentId();
    String role = offers.get(0).role();
    Resources offered = Resources.empty();
    for (OutstandingOffer offer : offers) {
      offered = offered.plus(offer.resources());
    }
    for (int i = 0; i < accept.operations().size(); i++) {
      Offer.Operation.Type type = accept.operations().get(i).type();
      if (type != Offer.Operation.Type.LAUNCH) {
        throw new InvalidAccept("operation " + i + " is " + type + "; only LAUNCH is supported");
      }
    }
    List<TaskInfo> tasks = tasksOf(accept);
    Set<TaskId> ids = new HashSet<>();
    Resources used = Resources.empty();
    List<TaskInfo> marked = new ArrayList<>(tasks.size());
    for (TaskInfo task : tasks) {
      if (!ids.add(task.taskId())) {
        throw new InvalidAccept("task id '" + task.taskId() + "' is used by more than one task of this ACCEPT");
      }
      Resources needs = checkTask(task, agentId, role);
      used = used.plus(needs);
      marked.add(new TaskInfo(task.name(), task.taskId(), task.agentId(), needs.toList(role), task.executor(),
          task.command(), task.container(), task.healthCheck(), task.check(), task.killPolicy(), task.data(),
          task.labels(), task.discovery(), task.maxCompletionTime(), task.limits()));
    }
    if (!offered.contains(used)) {
      throw new InvalidAccept("the tasks need " + used + " but the offers hold " + offered + " (short by "
          + offered.shortfall(used) + ")");
    }
    return new Valid(agentId, role, marked, used);
  }

  private static List<OutstandingOffer> checkOffers(FrameworkId frameworkId, List<OfferId> offerIds, OfferBook book) {
    if (offerIds.isEmpty()) {
      throw new InvalidAccept("the ACCEPT names no offers");
    }
    Set<OfferId> seen = new HashSet<>();
    List<OutstandingOffer> offers = new ArrayList<>();
    for (OfferId id : offerIds) {
      if (!seen.add(id)) {
        throw new InvalidAccept("offer " + id + " is named twice");
      }
      OutstandingOffer offer = book.get(id);
      if (offer == null) {
        throw new OffersGone("offer " + id + " is not outstanding: it was already used, declined or rescinded, "
            + "or never existed");
      }
      if (!offer.frameworkId().equals(frameworkId)) {
        throw new InvalidAccept("offer " + id + " was made to another framework");
      }
      if (!offers.isEmpty() && !offers.get(0).agentId().equals(offer.agentId())) {
        throw new InvalidAccept("offers " + offers.get(0).id() + " and " + id + " are on different agents ("
            + offers.get(0).agentId() + " and " + offer.agentId() + "); one ACCEPT may only use offers of one agent");
      }
      if (!offers.isEmpty() && !offers.get(0).role().equals(offer.role())) {
        throw new InvalidAccept("offers " + offers.get(0).id() + " and " + id + " are allocated to different roles");
      }
      offers.add(offer);
    }
    return offers;
  }

  private static Resources checkTask(TaskInfo task, AgentId agentId, String role) {
    String name = "task '" + task.taskId() + "'";
    if (!task.agentId().equals(agentId)) {
      throw new InvalidAccept(name + " names agent " + task.agentId() + " but the offers are on agent " + agentId);
    }
    if (task.executor() != null) {
      throw new InvalidAccept(name + " names a custom executor; Orrery runs command tasks only");
    }
    if (task.command() == null) {
      throw new InvalidAccept(name + " has no command");
    }
    if (task.resources().isEmpty()) {
      throw new InvalidAccept(name + " uses no resources");
    }
    for (Resource resource : task.resources()) {
      if (resource.allocationInfo() != null && resource.allocationInfo().role() != null
          && !resource.allocationInfo().role().equals(role)) {
        throw new InvalidAccept(name + " uses resources allocated to role '" + resource.allocationInfo().role()
            + "' but the offers are allocated to role '" + role + "'");
      }
    }
    try {
      return Resources.of(task.resources());
    } catch (ProtocolException e) {
      throw new InvalidAccept(name + " has invalid resources: " + e.getMessage());
    }
  }

  private static final class InvalidAccept extends RuntimeException {
    InvalidAccept(String message) {
      super(message, null, false, false);
    }
  }

  private static final class OffersGone extends RuntimeException {
    OffersGone(String message) {
      super(message, null, false, false);
    }
  }
}
