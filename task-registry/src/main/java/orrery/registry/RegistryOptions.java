package orrery.registry;

import orrery.registry.store.RegistryStore;

/**
 * @param masterId prefixes agent ids
 * @param agentTimeoutMillis an agent not heard from for this long becomes unreachable and its tasks are reported
 *     unreachable (or lost)
 * @param unreachableTimeoutMillis an agent unreachable for this long is gone for good, and its tasks with it
 * @param store where changes are made durable (or kept in memory)
 */
public record RegistryOptions(String masterId, long agentTimeoutMillis, long unreachableTimeoutMillis,
    RegistryStore store) {

  public static final long DEFAULT_AGENT_TIMEOUT_MILLIS = 30_000;
  public static final long DEFAULT_UNREACHABLE_TIMEOUT_MILLIS = 15 * 60_000;

  public RegistryOptions {
    if (agentTimeoutMillis <= 0 || unreachableTimeoutMillis <= 0) {
      throw new IllegalArgumentException("the agent and unreachable timeouts must be positive, were "
          + agentTimeoutMillis + " and " + unreachableTimeoutMillis + " ms");
    }
  }
}
