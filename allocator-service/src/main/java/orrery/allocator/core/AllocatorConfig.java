package orrery.allocator.core;

import java.util.List;
import java.util.Set;
import orrery.protocol.resources.Resources;

/**
 * How the allocator decides.
 *
 * @param fairnessExcludedKinds scalar kinds left out of DRF shares (for example {@code gpus} on a CPU cluster)
 * @param minAllocatable an agent's free resources are offered only if they contain at least one of these
 *     (Mesos' default: {@code cpus:0.01} or {@code mem:32}), so no framework is offered a crumb it cannot use
 * @param minFilterMillis a refusal lasts at least this long (one allocation interval), as in Mesos
 */
public record AllocatorConfig(Set<String> fairnessExcludedKinds, List<Resources> minAllocatable,
    long minFilterMillis) {

  /** DECLINE's refuse_seconds is capped at a year, as in Mesos. */
  public static final long MAX_FILTER_MILLIS = 365L * 24 * 3600 * 1000;

  public AllocatorConfig {
    fairnessExcludedKinds = Set.copyOf(fairnessExcludedKinds);
    minAllocatable = List.copyOf(minAllocatable);
  }

  public static AllocatorConfig defaults() {
    return new AllocatorConfig(Set.of(),
        List.of(Resources.builder().scalar(Resources.CPUS, 0.01).build(),
            Resources.builder().scalar(Resources.MEM, 32).build()),
        1000);
  }

  public AllocatorConfig withMinFilterMillis(long millis) {
    return new AllocatorConfig(fairnessExcludedKinds, minAllocatable, millis);
  }

  public AllocatorConfig withFairnessExcludedKinds(Set<String> kinds) {
    return new AllocatorConfig(kinds, minAllocatable, minFilterMillis);
  }

  public AllocatorConfig withMinAllocatable(List<Resources> alternatives) {
    return new AllocatorConfig(fairnessExcludedKinds, alternatives, minFilterMillis);
  }

  boolean allocatable(Resources available) {
    if (available.isEmpty()) {
      return false;
    }
    if (minAllocatable.isEmpty()) {
      return true;
    }
    for (Resources minimum : minAllocatable) {
      if (available.contains(minimum)) {
        return true;
      }
    }
    return false;
  }
}
