package orrery.registry;

import orrery.registry.store.RegistryStore;

/**
 * @param masterId prefixes agent ids
 * @param agentTimeoutMillis an agent not heard from for this long is removed and its tasks reported lost
 * @param store where changes are made durable (or kept in memory)
 */
public record RegistryOptions(String masterId, long agentTimeoutMillis, RegistryStore store) {

  public static final long DEFAULT_AGENT_TIMEOUT_MILLIS = 30_000;
}
