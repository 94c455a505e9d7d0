package orrery.allocator.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.AgentInfo;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.messages.AllocatorMessages.Allocation;
import orrery.protocol.resources.Resources;

/**
 * The allocator's core: two levels of DRF (across roles, then across the frameworks of a role), refusal filters,
 * suppression, and the allocation cycle. Plain Java with time passed in; the verticle feeds it messages and sends
 * out the allocations it returns.
 *
 * <p>Invariant: for every agent, {@code allocated} is the sum of what its frameworks hold there, and never exceeds
 * {@code total}; the role and framework sorters hold exactly the same amounts. Resources are offered to one
 * framework at a time: what is allocated is not offered again until it is recovered.
 */
public final class Allocator {

  private final AllocatorConfig config;
  private final RandomGenerator random;
  private final ScalarPool pool = new ScalarPool();
  private final DrfSorter roleSorter;
  private final Map<String, DrfSorter> frameworkSorters = new HashMap<>();
  private final Map<AgentId, AgentState> agents = new LinkedHashMap<>();
  private final Map<FrameworkId, FrameworkState> frameworks = new HashMap<>();
  private final Map<String, Double> weights = new HashMap<>();
  private final RefusalFilters filters = new RefusalFilters();

  public Allocator(AllocatorConfig config, RandomGenerator random) {
    this.config = config;
    this.random = random;
    this.roleSorter = new DrfSorter(pool, config.fairnessExcludedKinds());
  }

  // ---- agents ----

  /** Adds an agent, or replaces its info and total if it registered again; what is allocated there stays. */
  public void addAgent(AgentInfo info, Resources total) {
    AgentState existing = agents.get(info.id());
    if (existing != null) {
      pool.remove(existing.total);
      existing.info = info;
      existing.total = total;
      existing.active = true;
    } else {
      agents.put(info.id(), new AgentState(info, total));
    }
    pool.add(total);
  }

  /** Forgets an agent and everything allocated on it (its offers are rescinded, its tasks are lost). */
  public void removeAgent(AgentId agentId) {
    AgentState agent = agents.remove(agentId);
    if (agent == null) {
      return;
    }
    agent.byFramework.forEach((frameworkId, byRole) -> byRole.forEach((role, resources) ->
        unallocateFromSorters(frameworkId, role, resources)));
    pool.remove(agent.total);
    filters.clearAgent(agentId);
  }

  /** A draining agent keeps what it runs but is offered to no one. */
  public void deactivateAgent(AgentId agentId) {
    AgentState agent = agents.get(agentId);
    if (agent != null) {
      agent.active = false;
    }
  }

  public boolean hasAgent(AgentId agentId) {
    return agents.containsKey(agentId);
  }

  // ---- frameworks ----

  public void addFramework(FrameworkId frameworkId, List<String> roles, Collection<String> suppressedRoles,
      boolean active) {
    if (frameworks.containsKey(frameworkId)) {
      FrameworkState existing = frameworks.get(frameworkId);
      existing.suppressedRoles.clear();
      existing.suppressedRoles.addAll(suppressedRoles);
      setActive(existing, active);
      return;
    }
    FrameworkState framework = new FrameworkState(frameworkId, roles, suppressedRoles);
    frameworks.put(frameworkId, framework);
    for (String role : roles) {
      if (!roleSorter.contains(role)) {
        roleSorter.add(role);
        if (weights.containsKey(role)) {
          roleSorter.setWeight(role, weights.get(role));
        }
      }
      frameworkSorters.computeIfAbsent(role, r -> new DrfSorter(pool, config.fairnessExcludedKinds()))
          .add(frameworkId.value());
    }
    setActive(framework, active);
  }

  public void activateFramework(FrameworkId frameworkId) {
    FrameworkState framework = frameworks.get(frameworkId);
    if (framework != null) {
      setActive(framework, true);
    }
  }

  public void deactivateFramework(FrameworkId frameworkId) {
    FrameworkState framework = frameworks.get(frameworkId);
    if (framework != null) {
      setActive(framework, false);
    }
  }

  /** Forgets a framework and releases everything it holds on every agent. */
  public void removeFramework(FrameworkId frameworkId) {
    FrameworkState framework = frameworks.remove(frameworkId);
    if (framework == null) {
      return;
    }
    for (AgentState agent : agents.values()) {
      Map<String, Resources> byRole = agent.byFramework.remove(frameworkId);
      if (byRole != null) {
        byRole.forEach((role, resources) -> {
          agent.allocated = agent.allocated.minus(resources);
          unallocateFromSorters(frameworkId, role, resources);
        });
      }
    }
    for (String role : framework.roles) {
      DrfSorter sorter = frameworkSorters.get(role);
      sorter.remove(frameworkId.value());
      if (sorter.isEmpty()) {
        frameworkSorters.remove(role);
        roleSorter.remove(role);
      }
    }
    filters.clear(frameworkId, null);
  }

  public boolean hasFramework(FrameworkId frameworkId) {
    return frameworks.containsKey(frameworkId);
  }

  // ---- offers coming back ----

  /**
   * The framework gives back resources it held under {@code role} on the agent: declined or unused offers, or the
   * resources of tasks that ended. With a positive {@code refuseSeconds} they are not offered to it again there,
   * under that role, until the filter expires (at least one allocation interval, at most a year).
   */
  public void recover(FrameworkId frameworkId, String role, AgentId agentId, Resources resources,
      Double refuseSeconds, long nowMillis) {
    AgentState agent = agents.get(agentId);
    if (agent == null) {
      return; // the agent is gone, and with it everything that was allocated there
    }
    Map<String, Resources> byRole = agent.byFramework.get(frameworkId);
    Resources held = byRole == null ? Resources.empty() : byRole.getOrDefault(role, Resources.empty());
    // Only what is actually held comes back, so a duplicate recovery cannot free resources twice.
    Resources returned = held.minus(held.minus(resources));
    if (!returned.isEmpty()) {
      Resources left = held.minus(returned);
      if (left.isEmpty()) {
        byRole.remove(role);
        if (byRole.isEmpty()) {
          agent.byFramework.remove(frameworkId);
        }
      } else {
        byRole.put(role, left);
      }
      agent.allocated = agent.allocated.minus(returned);
      unallocateFromSorters(frameworkId, role, returned);
    }
    if (refuseSeconds != null && refuseSeconds > 0 && frameworks.containsKey(frameworkId)) {
      long millis = Math.min(AllocatorConfig.MAX_FILTER_MILLIS,
          Math.max(config.minFilterMillis(), Math.round(refuseSeconds * 1000)));
      filters.add(frameworkId, role, agentId, resources, nowMillis + millis);
    }
  }

  /** REVIVE: clear filters and un-suppress the given roles, or all of the framework's roles when none given. */
  public void revive(FrameworkId frameworkId, Collection<String> roles) {
    FrameworkState framework = frameworks.get(frameworkId);
    if (framework == null) {
      return;
    }
    if (roles.isEmpty()) {
      filters.clear(frameworkId, null);
      framework.suppressedRoles.clear();
    } else {
      for (String role : roles) {
        filters.clear(frameworkId, role);
        framework.suppressedRoles.remove(role);
      }
    }
  }

  /** SUPPRESS: no more offers for the given roles, or for all of the framework's roles when none given. */
  public void suppress(FrameworkId frameworkId, Collection<String> roles) {
    FrameworkState framework = frameworks.get(frameworkId);
    if (framework != null) {
      framework.suppressedRoles.addAll(roles.isEmpty() ? framework.roles : roles);
    }
  }

  public void setWeight(String role, double weight) {
    weights.put(role, weight);
    if (roleSorter.contains(role)) {
      roleSorter.setWeight(role, weight);
    }
  }

  // ---- the cycle ----

  /**
   * One allocation cycle: agents in random order so none is favoured; for each, its free resources go whole to the
   * first framework, in DRF order (roles, then frameworks of the role), that is active, not suppressed for that
   * role and not filtering them.
   */
  public List<Allocation> allocate(long nowMillis) {
    List<AgentState> order = new ArrayList<>(agents.values());
    Collections.shuffle(order, new java.util.Random(random.nextLong()));
    List<Allocation> allocations = new ArrayList<>();
    for (AgentState agent : order) {
      if (!agent.active) {
        continue;
      }
      Resources available = agent.total.minus(agent.allocated);
      if (!config.allocatable(available)) {
        continue;
      }
      Allocation allocation = pickFramework(agent, available, nowMillis);
      if (allocation != null) {
        allocate(agent, allocation);
        allocations.add(allocation);
      }
    }
    return allocations;
  }

  private Allocation pickFramework(AgentState agent, Resources available, long nowMillis) {
    for (String role : roleSorter.sort()) {
      DrfSorter sorter = frameworkSorters.get(role);
      if (sorter == null) {
        continue;
      }
      for (String name : sorter.sort()) {
        FrameworkState framework = frameworks.get(FrameworkId.of(name));
        if (framework.suppressedRoles.contains(role)
            || filters.refuses(framework.id, role, agent.info.id(), available, nowMillis)) {
          continue;
        }
        return new Allocation(framework.id, role, agent.info, available);
      }
    }
    return null;
  }

  private void allocate(AgentState agent, Allocation allocation) {
    agent.allocated = agent.allocated.plus(allocation.resources());
    agent.byFramework.computeIfAbsent(allocation.frameworkId(), k -> new HashMap<>())
        .merge(allocation.role(), allocation.resources(), Resources::plus);
    roleSorter.allocated(allocation.role(), allocation.resources());
    frameworkSorters.get(allocation.role()).allocated(allocation.frameworkId().value(), allocation.resources());
  }

  private void unallocateFromSorters(FrameworkId frameworkId, String role, Resources resources) {
    if (roleSorter.contains(role)) {
      roleSorter.unallocated(role, resources);
    }
    DrfSorter sorter = frameworkSorters.get(role);
    if (sorter != null) {
      sorter.unallocated(frameworkId.value(), resources);
    }
  }

  private void setActive(FrameworkState framework, boolean active) {
    framework.active = active;
    for (String role : framework.roles) {
      DrfSorter sorter = frameworkSorters.get(role);
      if (active) {
        sorter.activate(framework.id.value());
      } else {
        sorter.deactivate(framework.id.value());
      }
    }
  }

  // ---- views, for metrics and tests ----

  public int agentCount() {
    return agents.size();
  }

  public int frameworkCount() {
    return frameworks.size();
  }

  /** What the framework holds (offered or in use) on all agents, under all roles. */
  public Resources allocation(FrameworkId frameworkId) {
    Resources sum = Resources.empty();
    for (AgentState agent : agents.values()) {
      Map<String, Resources> byRole = agent.byFramework.get(frameworkId);
      if (byRole != null) {
        for (Resources resources : byRole.values()) {
          sum = sum.plus(resources);
        }
      }
    }
    return sum;
  }

  public Resources available(AgentId agentId) {
    AgentState agent = agents.get(agentId);
    return agent == null ? Resources.empty() : agent.total.minus(agent.allocated);
  }

  public Set<String> roles() {
    return new HashSet<>(frameworkSorters.keySet());
  }

  public double roleShare(String role) {
    return roleSorter.contains(role) ? roleSorter.share(role) : 0;
  }

  public double frameworkShare(FrameworkId frameworkId, String role) {
    DrfSorter sorter = frameworkSorters.get(role);
    return sorter == null || !sorter.contains(frameworkId.value()) ? 0 : sorter.share(frameworkId.value());
  }

  private static final class AgentState {
    AgentInfo info;
    Resources total;
    Resources allocated = Resources.empty();
    boolean active = true;
    final Map<FrameworkId, Map<String, Resources>> byFramework = new HashMap<>();

    AgentState(AgentInfo info, Resources total) {
      this.info = info;
      this.total = total;
    }
  }

  private static final class FrameworkState {
    final FrameworkId id;
    final List<String> roles;
    final Set<String> suppressedRoles;
    boolean active;

    FrameworkState(FrameworkId id, List<String> roles, Collection<String> suppressedRoles) {
      this.id = id;
      this.roles = List.copyOf(roles);
      this.suppressedRoles = new HashSet<>(suppressedRoles);
    }
  }
}
