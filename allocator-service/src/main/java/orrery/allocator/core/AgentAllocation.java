package orrery.allocator.core;

import java.util.ArrayList;
import java.util.List;
import orrery.protocol.mesos.AgentInfo;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.resources.Resources;

/**
 * One agent as the allocator keeps it: its total, what is allocated of it and to whom, what is free, its refusal
 * filters, and whether it may be offered. Plain state of {@link Allocator}, which keeps its invariants.
 */
final class AgentAllocation {
  AgentInfo info;
  Resources total;
  Resources allocated = Resources.empty();
  /** total minus allocated, computed when asked after a change. */
  Resources available;
  /** The free resources nobody took at the last walk, and the versions then; see {@link #idleSince}. */
  Resources idleAvailable;
  long idleFiltersVersion;
  long idleFrameworksVersion;
  /** allocated is contained in total (false only after the agent shrank below what it had allocated). */
  boolean exact = true;
  boolean active = true;
  final RefusalFilters filters = new RefusalFilters();
  final List<Holding> holdings = new ArrayList<>(1);

  AgentAllocation(AgentInfo info, Resources total) {
    this.info = info;
    this.total = total;
  }

  /**
   * Allocates resources of this agent. Taking the whole of what is free (the usual case: an agent goes whole to
   * one framework) needs no arithmetic: everything is then allocated.
   */
  void take(Resources resources) {
    if (exact && resources == available) {
      allocated = total;
      available = Resources.empty();
    } else {
      allocated = allocated.plus(resources);
      available = null;
    }
  }

  /** Frees resources of this agent; when nothing was free, what comes back is exactly what is free now. */
  void give(Resources returned) {
    boolean wasFull = exact && available != null && available.isEmpty();
    allocated = allocated.minus(returned);
    available = wasFull ? returned : null;
    if (!exact) {
      exact = total.contains(allocated);
    }
  }

  /** Records that a whole walk of roles and frameworks found nobody to take this agent's free resources. */
  void markIdle(long frameworksVersion) {
    idleAvailable = available();
    idleFiltersVersion = filters.version();
    idleFrameworksVersion = frameworksVersion;
  }

  /** Whether nothing has changed since {@link #markIdle}: same free resources, refusals and frameworks. */
  boolean idleSince(long frameworksVersion, long nowMillis) {
    return idleAvailable != null && idleAvailable == available && idleFrameworksVersion == frameworksVersion
        && idleFiltersVersion == filters.version() && nowMillis < filters.earliestExpiry();
  }

  boolean hasGpus() {
    return total.scalarMillis(Resources.GPUS) > 0;
  }

  Resources available() {
    if (available == null) {
      available = total.minus(allocated);
    }
    return available;
  }

  Holding holding(FrameworkId frameworkId, String role) {
    for (Holding holding : holdings) {
      if (holding.frameworkId.equals(frameworkId) && holding.role.equals(role)) {
        return holding;
      }
    }
    return null;
  }
}
