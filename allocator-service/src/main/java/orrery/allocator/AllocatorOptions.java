package orrery.allocator;

import orrery.allocator.core.AllocatorConfig;

/**
 * @param allocationIntervalMillis a full allocation cycle runs at least this often (Mesos' default: 1 s)
 * @param triggerDelayMillis after a trigger (new agent, freed resources, revive) the cycle waits this long, so a
 *     burst of triggers costs one cycle
 * @param seed seeds the shuffling of agents
 */
public record AllocatorOptions(long allocationIntervalMillis, long triggerDelayMillis, AllocatorConfig config,
    long seed) {

  public static AllocatorOptions defaults() {
    return new AllocatorOptions(1000, 5, AllocatorConfig.defaults(), System.nanoTime());
  }

  /** Scalar kinds left out of DRF shares (Mesos' {@code --fair_sharing_excluded_resource_names}). */
  public AllocatorOptions withFairnessExcludedKinds(java.util.Set<String> kinds) {
    return new AllocatorOptions(allocationIntervalMillis, triggerDelayMillis, config.withFairnessExcludedKinds(kinds),
        seed);
  }

  public AllocatorOptions withAllocationIntervalMillis(long millis) {
    return new AllocatorOptions(millis, triggerDelayMillis, config.withMinFilterMillis(millis), seed);
  }
}
