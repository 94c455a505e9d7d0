package orrery.allocator.core;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.resources.Resources;

/** One framework as the allocator keeps it: its roles, what it suppressed, its offer filters, whether it is active. */
final class FrameworkState {
  final FrameworkId id;
  final List<String> roles;
  final Set<String> suppressedRoles = new HashSet<>();
  Map<String, List<Resources>> minAllocatable = Map.of();
  boolean gpuAware;
  boolean active;

  FrameworkState(FrameworkId id, List<String> roles) {
    this.id = id;
    this.roles = List.copyOf(roles);
  }

  /** Whether the offer passes the framework's min_allocatable_resources for the role. */
  boolean wants(String role, Resources offer) {
    List<Resources> minimums = minAllocatable.get(role);
    if (minimums == null || minimums.isEmpty()) {
      return true;
    }
    for (Resources minimum : minimums) {
      if (offer.contains(minimum)) {
        return true;
      }
    }
    return false;
  }
}
