package orrery.allocator.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.resources.Resources;

/**
 * What frameworks declined on one agent, per framework and role, until when. As in Mesos, a refusal holds back an
 * offer only while what would be offered is contained in what was refused: once more becomes free on the agent (a
 * task ended), the framework sees the agent again. Kept per agent, so that checking an agent costs only its own
 * refusals, and an agent that leaves takes its refusals with it.
 *
 * <p>Invariant: {@code earliestExpiry} is at most the expiry of every refusal held, so nothing has expired before
 * it and expired refusals need pruning only once it has passed. {@code version} changes whenever a refusal is
 * added or cleared.
 */
final class RefusalFilters {

  private record Refusal(String role, Resources resources, long expiresAtMillis) {}

  private final Map<FrameworkId, List<Refusal>> refusals = new HashMap<>();
  private long earliestExpiry = Long.MAX_VALUE;
  private long version;

  void add(FrameworkId frameworkId, String role, Resources resources, long expiresAtMillis) {
    refusals.computeIfAbsent(frameworkId, k -> new ArrayList<>(1)).add(new Refusal(role, resources, expiresAtMillis));
    earliestExpiry = Math.min(earliestExpiry, expiresAtMillis);
    version++;
  }

  boolean refuses(FrameworkId frameworkId, String role, Resources offerable, long nowMillis) {
    if (refusals.isEmpty()) {
      return false;
    }
    if (nowMillis >= earliestExpiry) {
      pruneExpired(nowMillis);
    }
    List<Refusal> list = refusals.get(frameworkId);
    if (list == null) {
      return false;
    }
    for (Refusal refusal : list) {
      if (refusal.role().equals(role) && refusal.resources().contains(offerable)) {
        return true;
      }
    }
    return false;
  }

  /** REVIVE: forget the framework's refusals for the given role, or for all of its roles when role is null. */
  void clear(FrameworkId frameworkId, String role) {
    List<Refusal> list = refusals.get(frameworkId);
    if (list == null) {
      return;
    }
    if (role == null) {
      refusals.remove(frameworkId);
    } else if (list.removeIf(r -> r.role().equals(role)) && list.isEmpty()) {
      refusals.remove(frameworkId);
    }
    version++;
  }

  /** When the earliest refusal held expires (a check from then on may find less refused); MAX_VALUE for none. */
  long earliestExpiry() {
    return earliestExpiry;
  }

  /** Changes with every refusal added or cleared. */
  long version() {
    return version;
  }

  int size() {
    return refusals.values().stream().mapToInt(List::size).sum();
  }

  private void pruneExpired(long nowMillis) {
    long earliest = Long.MAX_VALUE;
    for (var it = refusals.values().iterator(); it.hasNext(); ) {
      List<Refusal> list = it.next();
      list.removeIf(r -> r.expiresAtMillis() <= nowMillis);
      if (list.isEmpty()) {
        it.remove();
      } else {
        for (Refusal refusal : list) {
          earliest = Math.min(earliest, refusal.expiresAtMillis());
        }
      }
    }
    earliestExpiry = earliest;
    version++;
  }
}
