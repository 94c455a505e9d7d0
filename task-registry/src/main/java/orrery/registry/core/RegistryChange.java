package orrery.registry.core;

import orrery.protocol.mesos.AgentId;

/** What the registry changed, in order; a store makes these durable. */
public sealed interface RegistryChange {

  record AgentSaved(AgentRecord agent) implements RegistryChange {}

  record AgentDeleted(AgentId agentId) implements RegistryChange {}

  record FrameworkSaved(FrameworkRecord framework) implements RegistryChange {}

  record TaskSaved(TaskRecord task) implements RegistryChange {}
}
