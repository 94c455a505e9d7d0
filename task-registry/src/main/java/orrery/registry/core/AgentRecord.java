package orrery.registry.core;

import java.util.Objects;
import orrery.protocol.mesos.AgentInfo;
import orrery.protocol.resources.Resources;

/**
 * A registered agent as the registry keeps it; {@code info.id} is always set.
 *
 * @param stateSinceMillis when the agent entered {@code state} (the unreachable timeout counts from it)
 */
public record AgentRecord(AgentInfo info, Resources total, AgentState state, long stateSinceMillis) {

  public AgentRecord {
    Objects.requireNonNull(info.id(), "a recorded agent has an id");
    Objects.requireNonNull(total, "total");
    Objects.requireNonNull(state, "state");
  }

  AgentRecord inState(AgentState newState, long nowMillis) {
    return new AgentRecord(info, total, newState, nowMillis);
  }
}
