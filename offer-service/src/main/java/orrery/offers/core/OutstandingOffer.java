package orrery.offers.core;

import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.Offer;
import orrery.protocol.mesos.OfferId;
import orrery.protocol.resources.Resources;

/** An offer sent and not yet accepted, declined or rescinded, with the resources and role it stands for. */
public record OutstandingOffer(Offer offer, String role, Resources resources) {

  public OfferId id() {
    return offer.id();
  }

  public FrameworkId frameworkId() {
    return offer.frameworkId();
  }

  public AgentId agentId() {
    return offer.agentId();
  }
}
