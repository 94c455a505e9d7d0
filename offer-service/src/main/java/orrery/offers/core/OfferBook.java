package orrery.offers.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import orrery.protocol.mesos.Address;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.AgentInfo;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.Offer;
import orrery.protocol.mesos.OfferId;
import orrery.protocol.mesos.Resource;
import orrery.protocol.mesos.Url;
import orrery.protocol.messages.AllocatorMessages.Allocation;
import orrery.protocol.resources.Resources;

/**
 * The offers that are out with frameworks. Invariant: an offer is here from the moment it is made until it is
 * accepted, declined or rescinded, and its resources are held for its framework in the allocator for exactly that
 * long (or until they are launched on).
 */
public final class OfferBook {

  private final String masterId;
  private final Map<OfferId, OutstandingOffer> offers = new LinkedHashMap<>();
  private long nextOffer;

  public OfferBook(String masterId) {
    this.masterId = masterId;
  }

  /** Turns an allocation into an offer with the fields a Mesos master fills. */
  public OutstandingOffer make(Allocation allocation) {
    AgentInfo agent = allocation.agent();
    OfferId id = OfferId.of(masterId + "-O" + nextOffer++);
    Offer offer = new Offer(id, allocation.frameworkId(), agent.id(), agent.hostname(),
        new Url("http", new Address(agent.hostname(), null, agent.effectivePort()), "/", null, null),
        agent.domain(), allocation.resources().toList(allocation.role()), agent.attributes(), null, null,
        new Resource.AllocationInfo(allocation.role()));
    OutstandingOffer outstanding = new OutstandingOffer(offer, allocation.role(), allocation.resources());
    offers.put(id, outstanding);
    return outstanding;
  }

  public OutstandingOffer get(OfferId id) {
    return offers.get(id);
  }

  public OutstandingOffer remove(OfferId id) {
    return offers.remove(id);
  }

  public List<OutstandingOffer> removeByAgent(AgentId agentId) {
    return removeIf(o -> o.agentId().equals(agentId));
  }

  public List<OutstandingOffer> removeByFramework(FrameworkId frameworkId) {
    return removeIf(o -> o.frameworkId().equals(frameworkId));
  }

  /** Per role, the resources its outstanding offers hold, by role name. */
  public Map<String, Resources> offeredByRole() {
    Map<String, Resources> byRole = new TreeMap<>();
    for (OutstandingOffer offer : offers.values()) {
      byRole.merge(offer.role(), offer.resources(), Resources::plus);
    }
    return byRole;
  }

  public int size() {
    return offers.size();
  }

  private List<OutstandingOffer> removeIf(Predicate<OutstandingOffer> predicate) {
    List<OutstandingOffer> removed = new ArrayList<>();
    offers.values().removeIf(o -> {
      if (predicate.test(o)) {
        removed.add(o);
        return true;
      }
      return false;
    });
    return removed;
  }
}
