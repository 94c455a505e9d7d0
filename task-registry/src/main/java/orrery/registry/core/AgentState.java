package orrery.registry.core;

/**
 * Where an agent stands with the master. ACTIVE agents are offered and run tasks; an UNREACHABLE agent missed its
 * heartbeats and may still come back; a GONE agent never comes back under its id.
 */
public enum AgentState {
  ACTIVE,
  UNREACHABLE,
  GONE
}
