package orrery.offers.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.Filters;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.FrameworkInfo;
import orrery.protocol.mesos.Offer;
import orrery.protocol.mesos.OfferId;
import orrery.protocol.mesos.TaskInfo;
import orrery.protocol.messages.AllocatorMessages.AddFramework;
import orrery.protocol.messages.AllocatorMessages.Allocation;
import orrery.protocol.messages.FrameworkMessages.KnownFramework;
import orrery.protocol.messages.AllocatorMessages.RecoverResources;
import orrery.protocol.resources.Resources;
import orrery.protocol.scheduler.Call;

/**
 * The offer broker's core: framework sessions and the offers out with them. Every method returns what the verticle
 * must send (events, resources to give back to the allocator); nothing here talks or reads a clock.
 */
public final class OfferBroker {

  private final FrameworkSessions sessions;
  private final OfferBook book;

  public OfferBroker(String masterId) {
    this.sessions = new FrameworkSessions(masterId);
    this.book = new OfferBook(masterId);
  }

  // ---- sessions ----

  /**
   * @param info the framework as it subscribed, its id assigned
   * @param failedOver true when a known framework subscribed again (on a new connection, or within its timeout)
   * @param supersededConnection the framework's previous connection, to be closed, if it differs
   * @param rescinded offers the framework held before it failed over; they go back to the allocator
   */
  public record Subscribed(FrameworkInfo info, boolean failedOver, String supersededConnection,
      List<RecoverResources> rescinded) {}

  public Subscribed subscribe(Call.Subscribe subscribe, String connection) {
    FrameworkInfo info = subscribe.frameworkInfo();
    FrameworkId id = info.id();
    if (id == null) {
      id = sessions.newId();
      info = info.withId(id);
      FrameworkSessions.Session created = new FrameworkSessions.Session(info, connection);
      created.suppressedRoles.addAll(subscribe.suppressedRoles());
      sessions.put(id, created);
      return new Subscribed(info, false, null, List.of());
    }
    if (sessions.wasRemoved(id)) {
      throw CallRejected.forbidden("framework " + id + " has been torn down; subscribe without an id to start anew");
    }
    FrameworkSessions.Session session = sessions.get(id);
    if (session == null) {
      // A framework the master does not know, subscribing with its id (for example after a master restart).
      FrameworkSessions.Session known = new FrameworkSessions.Session(info, connection);
      known.suppressedRoles.addAll(subscribe.suppressedRoles());
      sessions.put(id, known);
      return new Subscribed(info, true, null, List.of());
    }
    if (!session.info.effectiveRoles().equals(info.effectiveRoles())) {
      throw CallRejected.badRequest("framework " + id + " subscribed with roles " + session.info.effectiveRoles()
          + "; changing roles on re-subscription is not supported");
    }
    String previous = session.connection;
    session.info = info;
    session.suppressedRoles.clear();
    session.suppressedRoles.addAll(subscribe.suppressedRoles());
    session.connection = connection;
    session.connected = false;
    session.failoverDeadlineMillis = Long.MAX_VALUE;
    List<RecoverResources> rescinded = recoverAll(book.removeByFramework(id));
    return new Subscribed(info, true, previous == null || previous.equals(connection) ? null : previous, rescinded);
  }

  /**
   * The frameworks the registry recorded, as the offer-service starts (after the master restarted): each one not
   * torn down is known again, without a connection, and is torn down at its failover deadline (the one recorded
   * when it disconnected, or its failover timeout from now) unless it subscribes again; one that was torn down may
   * never subscribe under its id again. Returns those to watch.
   */
  public List<Disconnected> restore(List<KnownFramework> known, long nowMillis) {
    List<Disconnected> waiting = new ArrayList<>();
    for (KnownFramework framework : known) {
      FrameworkId id = framework.info().id();
      if (framework.removed()) {
        sessions.markRemoved(id);
        continue;
      }
      FrameworkSessions.Session session = new FrameworkSessions.Session(framework.info(), null);
      session.failoverDeadlineMillis = framework.failoverDeadlineMillis() != null
          ? framework.failoverDeadlineMillis()
          : nowMillis + Math.round(framework.info().failoverTimeoutSeconds() * 1000);
      sessions.put(id, session);
      waiting.add(new Disconnected(id, session.failoverDeadlineMillis, List.of()));
    }
    return waiting;
  }

  /** SUPPRESS (true) or REVIVE (false) of these roles, or of all the framework's roles when none are named. */
  public void suppressed(FrameworkId id, List<String> roles, boolean suppressed) {
    FrameworkSessions.Session session = sessions.get(id);
    if (session == null) {
      return;
    }
    List<String> named = roles.isEmpty() ? session.info.effectiveRoles() : roles;
    if (suppressed) {
      session.suppressedRoles.addAll(named);
    } else {
      session.suppressedRoles.removeAll(named);
    }
  }

  /**
   * A new allocator started (a standby took over): it must be told every framework again, as it is now, and the
   * offers made by the one before are void (the new one may offer the same resources): they are rescinded.
   */
  public record AllocatorChanged(List<AddFramework> frameworks, List<OutstandingOffer> rescinded) {}

  public AllocatorChanged allocatorStarted() {
    List<AddFramework> frameworks = new ArrayList<>();
    sessions.all().forEach((id, s) -> frameworks.add(new AddFramework(id, s.info.effectiveRoles(),
        List.copyOf(s.suppressedRoles), s.connected, s.info.minAllocatableByRole(),
        s.info.hasCapability(FrameworkInfo.Capability.Type.GPU_RESOURCES))));
    List<OutstandingOffer> rescinded = new ArrayList<>();
    for (FrameworkId id : sessions.all().keySet()) {
      rescinded.addAll(book.removeByFramework(id));
    }
    return new AllocatorChanged(frameworks, rescinded);
  }

  /**
   * The connection listens on the framework's events now; true when that activates the framework. A framework known
   * from the registry has no connection here yet: when this broker took over from another, the gateway that holds
   * the framework's stream says so, and the stream goes on with this broker (a SUBSCRIBE on another connection
   * since then wins).
   */
  public boolean connected(FrameworkId id, String connection) {
    FrameworkSessions.Session session = sessions.get(id);
    if (session == null || session.connected) {
      return false;
    }
    if (session.connection == null) {
      session.connection = connection;
    }
    if (!connection.equals(session.connection)) {
      return false;
    }
    session.connected = true;
    return true;
  }

  /** May this connection listen on the framework's events? Only the one that subscribed it. */
  public boolean mayRegister(FrameworkId id, String connection) {
    FrameworkSessions.Session session = sessions.get(id);
    return session != null && connection.equals(session.connection);
  }

  /**
   * A framework whose connection closed: it is offered nothing, its offers go back, and it has until
   * {@code failoverDeadlineMillis} to subscribe again before it is torn down.
   */
  public record Disconnected(FrameworkId frameworkId, long failoverDeadlineMillis,
      List<RecoverResources> recovered) {}

  public List<Disconnected> disconnected(String connection, long nowMillis) {
    List<Disconnected> result = new ArrayList<>();
    for (FrameworkId id : sessions.byConnection(connection)) {
      FrameworkSessions.Session session = sessions.get(id);
      session.connected = false;
      session.failoverDeadlineMillis = nowMillis + Math.round(session.info.failoverTimeoutSeconds() * 1000);
      result.add(new Disconnected(id, session.failoverDeadlineMillis, recoverAll(book.removeByFramework(id))));
    }
    return result;
  }

  /** True when the framework is still disconnected and its failover timeout has run out: tear it down. */
  public boolean failoverExpired(FrameworkId id, long nowMillis) {
    FrameworkSessions.Session session = sessions.get(id);
    return session != null && !session.connected && session.failoverDeadlineMillis <= nowMillis;
  }

  /** Removes the framework for good; its offers are dropped (the allocator forgets all it holds). */
  public List<OutstandingOffer> teardown(FrameworkId id) {
    if (sessions.remove(id) == null) {
      return List.of();
    }
    return book.removeByFramework(id);
  }

  /** The connection the framework is reached on, or null when it is unknown. */
  public String connectionOf(FrameworkId id) {
    FrameworkSessions.Session session = sessions.get(id);
    return session == null ? null : session.connection;
  }

  /** Refuses calls from anyone but the connection that subscribed the framework. */
  public FrameworkInfo authorize(FrameworkId id, String connection) {
    FrameworkSessions.Session session = sessions.get(id);
    if (session == null) {
      throw CallRejected.forbidden("framework " + id + " is not subscribed");
    }
    if (!connection.equals(session.connection)) {
      throw CallRejected.forbidden("framework " + id + " is subscribed on another stream or connection");
    }
    return session.info;
  }

  public List<FrameworkId> connectedFrameworks() {
    return sessions.connected();
  }

  public int frameworkCount() {
    return sessions.size();
  }

  /** Per role, what its outstanding offers hold (offered, not yet accepted, declined or rescinded). */
  public Map<String, Resources> offeredByRole() {
    return book.offeredByRole();
  }

  public int outstandingOffers() {
    return book.size();
  }

  // ---- offers ----

  /** Offers to send, per framework, and allocations that nobody can take (framework gone or inactive). */
  public record OfferRound(Map<FrameworkId, List<Offer>> offers, List<RecoverResources> returned) {}

  public OfferRound offer(List<Allocation> allocations) {
    Map<FrameworkId, List<Offer>> offers = new LinkedHashMap<>();
    List<RecoverResources> returned = new ArrayList<>();
    for (Allocation allocation : allocations) {
      FrameworkSessions.Session session = sessions.get(allocation.frameworkId());
      if (session == null || !session.connected) {
        returned.add(new RecoverResources(allocation.frameworkId(), allocation.role(), allocation.agent().id(),
            allocation.resources(), null));
        continue;
      }
      offers.computeIfAbsent(allocation.frameworkId(), k -> new ArrayList<>()).add(book.make(allocation).offer());
    }
    return new OfferRound(offers, returned);
  }

  /**
   * What an ACCEPT does: launch these tasks, or answer each with TASK_ERROR (TASK_DROPPED or TASK_LOST when its offers
   * were gone); either way give back the rest.
   */
  public sealed interface AcceptOutcome permits Launch, Rejected {}

  /** {@code unused} goes back now; {@code used} goes back too if the registry refuses the launch after all. */
  public record Launch(AgentId agentId, String role, List<TaskInfo> tasks, List<RecoverResources> unused,
      RecoverResources used) implements AcceptOutcome {}

  /** {@code offersGone}: see {@link AcceptValidation.Invalid}. */
  public record Rejected(List<TaskInfo> tasks, String reason, boolean offersGone, List<RecoverResources> recovered)
      implements AcceptOutcome {}

  public AcceptOutcome accept(FrameworkId frameworkId, Call.Accept accept) {
    AcceptValidation.Result result = AcceptValidation.validate(frameworkId, accept, book);
    Double refuse = Filters.effectiveRefuseSeconds(accept.filters());
    // The framework's own outstanding offers named here are used up either way, as in Mesos.
    List<OutstandingOffer> used = takeOwnOffers(frameworkId, accept.offerIds());
    if (result instanceof AcceptValidation.Valid valid) {
      Resources offered = Resources.empty();
      for (OutstandingOffer offer : used) {
        offered = offered.plus(offer.resources());
      }
      Resources unused = offered.minus(valid.used());
      List<RecoverResources> back = unused.isEmpty() ? List.of()
          : List.of(new RecoverResources(frameworkId, valid.role(), valid.agentId(), unused, refuse));
      return new Launch(valid.agentId(), valid.role(), valid.tasks(), back,
          new RecoverResources(frameworkId, valid.role(), valid.agentId(), valid.used(), refuse));
    }
    AcceptValidation.Invalid invalid = (AcceptValidation.Invalid) result;
    List<RecoverResources> back = new ArrayList<>();
    for (OutstandingOffer offer : used) {
      back.add(new RecoverResources(frameworkId, offer.role(), offer.agentId(), offer.resources(), refuse));
    }
    return new Rejected(AcceptValidation.tasksOf(accept), invalid.reason(), invalid.offersGone(), back);
  }

  /** DECLINE: the framework's named offers go back with its filter; unknown ones are ignored, as in Mesos. */
  public List<RecoverResources> decline(FrameworkId frameworkId, Call.Decline decline) {
    Double refuse = Filters.effectiveRefuseSeconds(decline.filters());
    List<RecoverResources> back = new ArrayList<>();
    for (OutstandingOffer offer : takeOwnOffers(frameworkId, decline.offerIds())) {
      back.add(new RecoverResources(frameworkId, offer.role(), offer.agentId(), offer.resources(), refuse));
    }
    return back;
  }

  /** The agent is gone: its offers are rescinded and nothing goes back (the allocator forgot the agent). */
  public List<OutstandingOffer> agentRemoved(AgentId agentId) {
    return book.removeByAgent(agentId);
  }

  private List<OutstandingOffer> takeOwnOffers(FrameworkId frameworkId, List<OfferId> ids) {
    List<OutstandingOffer> taken = new ArrayList<>();
    for (OfferId id : ids) {
      OutstandingOffer offer = book.get(id);
      if (offer != null && offer.frameworkId().equals(frameworkId)) {
        taken.add(book.remove(id));
      }
    }
    return taken;
  }

  private static List<RecoverResources> recoverAll(List<OutstandingOffer> offers) {
    List<RecoverResources> back = new ArrayList<>();
    for (OutstandingOffer offer : offers) {
      back.add(new RecoverResources(offer.frameworkId(), offer.role(), offer.agentId(), offer.resources(), null));
    }
    return back;
  }
}
