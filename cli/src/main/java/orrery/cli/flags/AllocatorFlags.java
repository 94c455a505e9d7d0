package orrery.cli.flags;

import java.util.Set;
import orrery.allocator.AllocatorOptions;
import picocli.CommandLine.Option;

/** What the allocator is told, the same in {@code orrery standalone} and {@code orrery allocator}. */
public final class AllocatorFlags {

  @Option(names = "--allocation-interval", defaultValue = "1",
      description = "Seconds between allocation cycles; triggers such as a new agent also start one (default: "
          + "${DEFAULT-VALUE}).")
  double allocationIntervalSeconds;

  @Option(names = "--fair-sharing-excluded-resource-names", split = ",",
      description = "Scalar resources left out of DRF shares, e.g. 'gpus' on a cluster of mostly CPU work.")
  Set<String> fairnessExcluded = Set.of();

  public long allocationIntervalMillis() {
    return Math.round(allocationIntervalSeconds * 1000);
  }

  public Set<String> fairnessExcluded() {
    return fairnessExcluded;
  }

  public AllocatorOptions options() {
    return AllocatorOptions.defaults().withAllocationIntervalMillis(allocationIntervalMillis())
        .withFairnessExcludedKinds(fairnessExcluded);
  }
}
