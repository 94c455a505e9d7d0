package orrery.registry.core;

import orrery.protocol.mesos.AgentInfo;
import orrery.protocol.resources.Resources;

/** A registered agent as the registry keeps it; {@code info.id} is always set. */
public record AgentRecord(AgentInfo info, Resources total) {}
