package orrery.registry.core;

import orrery.protocol.mesos.AgentId;
import orrery.protocol.messages.RoleMessages.QuotaConfig;
import orrery.protocol.messages.RoleMessages.WeightInfo;

/** What the registry changed, in order; a store makes these durable. */
public sealed interface RegistryChange {

  record AgentSaved(AgentRecord agent) implements RegistryChange {}

  record AgentDeleted(AgentId agentId) implements RegistryChange {}

  record FrameworkSaved(FrameworkRecord framework) implements RegistryChange {}

  record TaskSaved(TaskRecord task) implements RegistryChange {}

  record RoleWeightSaved(WeightInfo weight) implements RegistryChange {}

  /** A role's quota; one with neither guarantees nor limits means the role's quota was removed. */
  record RoleQuotaSaved(QuotaConfig quota) implements RegistryChange {}
}
