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
 */
final class RefusalFilters {

  private record Key(FrameworkId frameworkId, String role) {}

  private record Refusal(Resources resources, long expiresAtMillis) {}

  private final Map<Key, List<Refusal>> refusals = new HashMap<>();

  void add(FrameworkId frameworkId, String role, Resources resources, long expiresAtMillis) {
    refusals.computeIfAbsent(new Key(frameworkId, role), k -> new ArrayList<>(1))
        .add(new Refusal(resources, expiresAtMillis));
  }

  boolean refuses(FrameworkId frameworkId, String role, Resources offerable, long nowMillis) {
    if (refusals.isEmpty()) {
      return false;
    }
    Key key = new Key(frameworkId, role);
    List<Refusal> list = refusals.get(key);
    if (list == null) {
      return false;
    }
    list.removeIf(r -> r.expiresAtMillis() <= nowMillis);
    if (list.isEmpty()) {
      refusals.remove(key);
      return false;
    }
    for (Refusal refusal : list) {
      if (refusal.resources().contains(offerable)) {
        return true;
      }
    }
    return false;
  }

  /** REVIVE: forget the framework's refusals for the given role, or for all of its roles when role is null. */
  void clear(FrameworkId frameworkId, String role) {
    if (!refusals.isEmpty()) {
      refusals.keySet().removeIf(k -> k.frameworkId().equals(frameworkId) && (role == null || k.role().equals(role)));
    }
  }

  int size() {
    return refusals.size();
  }
}
