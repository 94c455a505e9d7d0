package orrery.allocator.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.resources.Resources;

/**
 * What frameworks declined, per framework, role and agent, until when. As in Mesos, a refusal holds back an offer
 * only while what would be offered is contained in what was refused: once more becomes free on the agent (a task
 * ended), the framework sees the agent again.
 */
final class RefusalFilters {

  private record Key(FrameworkId frameworkId, String role, AgentId agentId) {}

  private record Refusal(Resources resources, long expiresAtMillis) {}

  private final Map<Key, List<Refusal>> refusals = new HashMap<>();

  void add(FrameworkId frameworkId, String role, AgentId agentId, Resources resources, long expiresAtMillis) {
    refusals.computeIfAbsent(new Key(frameworkId, role, agentId), k -> new ArrayList<>())
        .add(new Refusal(resources, expiresAtMillis));
  }

  boolean refuses(FrameworkId frameworkId, String role, AgentId agentId, Resources offerable, long nowMillis) {
    List<Refusal> list = refusals.get(new Key(frameworkId, role, agentId));
    if (list == null) {
      return false;
    }
    list.removeIf(r -> r.expiresAtMillis() <= nowMillis);
    if (list.isEmpty()) {
      refusals.remove(new Key(frameworkId, role, agentId));
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
    refusals.keySet().removeIf(k -> k.frameworkId().equals(frameworkId) && (role == null || k.role().equals(role)));
  }

  void clearAgent(AgentId agentId) {
    refusals.keySet().removeIf(k -> k.agentId().equals(agentId));
  }

  int size() {
    return refusals.size();
  }
}
