package orrery.registry.core;

/**
 * Where an agent stands with the master. ACTIVE agents are offered and run tasks; a DRAINING agent was deactivated
 * by an operator: it runs its tasks and reports them, but is offered to no one; an UNREACHABLE agent missed its
 * heartbeats and may still come back; a GONE agent never comes back under its id.
 */
public enum AgentState {
  ACTIVE,
  DRAINING,
  UNREACHABLE,
  GONE;

  /** Heard from and listening: active or draining. */
  public boolean connected() {
    return this == ACTIVE || this == DRAINING;
  }
}
