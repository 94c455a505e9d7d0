package orrery.allocator.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.AgentInfo;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.messages.AgentMessages.AgentTask;
import orrery.protocol.messages.AllocatorMessages.Allocation;
import orrery.protocol.resources.Resources;

/**
 * The allocator's core: weighted hierarchical DRF (across roles, then across the frameworks of a role), quota,
 * refusal filters, suppression, and the allocation cycle. Plain Java with time passed in; the verticle feeds it
 * messages and sends out the allocations it returns.
 *
 * <p>A cycle walks the active agents in a random order, so that none is favoured, in two stages, as Mesos does.
 * Stage 1 offers roles whose quota guarantee is unmet what they need of it; stage 2 offers what is left to every
 * role by DRF, holding back the headroom that unmet guarantees still need and never exceeding a role's limits.
 *
 * <p>Invariants: for every agent, {@code allocated} is the sum of its holdings and never exceeds {@code total};
 * {@code allocatedTotal} is the sum over agents; the role and framework sorters hold exactly the holdings' amounts;
 * {@code requiredHeadroom} is the sum of every role's unmet guarantees. Resources are offered to one framework at a
 * time: what is allocated is not offered again until it is recovered.
 */
public final class Allocator {

  private final AllocatorConfig config;
  private final RandomGenerator random;
  private final ScalarPool pool = new ScalarPool();
  private final DrfSorter roleSorter;
  private final Map<String, DrfSorter> frameworkSorters = new HashMap<>();
  private final Map<AgentId, AgentAllocation> agents = new LinkedHashMap<>();
  private final Map<FrameworkId, FrameworkState> frameworks = new HashMap<>();
  /** The same frameworks by id value, the name their sorters know them by. */
  private final Map<String, FrameworkState> frameworksByName = new HashMap<>();
  private final Map<String, Double> weights = new TreeMap<>();
  private final QuotaBook quotas;
  private AgentAllocation[] order = new AgentAllocation[0];
  /**
   * Changes whenever who may be offered what changes for reasons outside any one agent: frameworks coming, going,
   * (de)activated, suppressed or revived, and quota. An agent that nobody took, whose free resources and refusals are
   * unchanged since, is then not walked again (see {@link #allocateFairShare}).
   */
  private long frameworksVersion;

  public Allocator(AllocatorConfig config, RandomGenerator random) {
    this.config = config;
    this.random = random;
    this.roleSorter = new DrfSorter(pool, config.fairnessExcludedKinds());
    this.quotas = new QuotaBook(pool, roleSorter);
  }

  // ---- agents ----

  /** Adds an agent, or replaces its info and total if it registered again; what is allocated there stays. */
  public void addAgent(AgentInfo info, Resources total) {
    AgentAllocation existing = agents.get(info.id());
    if (existing != null) {
      existing.info = info;
      existing.active = true;
      updateAgent(info.id(), total);
      return;
    }
    agents.put(info.id(), new AgentAllocation(info, total));
    pool.add(total);
    order = null;
  }

  /**
   * Adds an agent that already runs tasks (after a restart of the master, or of the agent): their resources are
   * allocated to their frameworks from the start, so that nothing offers them twice. A framework not known yet is
   * added inactive under the roles of its tasks there, as Mesos' allocator keeps frameworks recovered from agents,
   * until it subscribes again or is torn down. An agent already known keeps what the allocator holds for it.
   */
  public void addAgent(AgentInfo info, Resources total, List<AgentTask> tasks) {
    boolean known = agents.containsKey(info.id());
    addAgent(info, total);
    if (known) {
      return;
    }
    Map<FrameworkId, Set<String>> recoveredRoles = new LinkedHashMap<>();
    for (AgentTask task : tasks) {
      if (!task.state().isTerminal() && !frameworks.containsKey(task.frameworkId())) {
        recoveredRoles.computeIfAbsent(task.frameworkId(), f -> new LinkedHashSet<>()).add(task.role());
      }
    }
    recoveredRoles.forEach((framework, roles) -> addFramework(framework, List.copyOf(roles), List.of(), false));
    AgentAllocation agent = agents.get(info.id());
    for (AgentTask task : tasks) {
      // A framework's roles never change (offer-service refuses that on re-subscription), so a known framework
      // has the role its tasks were launched under.
      if (!task.state().isTerminal() && frameworks.get(task.frameworkId()).roles.contains(task.role())) {
        allocate(agent, new Allocation(task.frameworkId(), task.role(), agent.info, task.resources()));
      }
    }
  }

  /** The agent's resources changed; what is allocated there stays allocated. */
  public void updateAgent(AgentId agentId, Resources total) {
    AgentAllocation agent = agents.get(agentId);
    if (agent == null) {
      throw new IllegalArgumentException("unknown agent " + agentId);
    }
    pool.remove(agent.total);
    agent.total = total;
    agent.available = null;
    agent.exact = total.contains(agent.allocated);
    pool.add(total);
  }

  /** Forgets an agent and everything allocated on it (its offers are rescinded, its tasks are lost). */
  public void removeAgent(AgentId agentId) {
    AgentAllocation agent = agents.remove(agentId);
    if (agent == null) {
      return;
    }
    for (Holding holding : agent.holdings) {
      unallocate(holding.frameworkId, holding.role, holding.resources);
    }
    quotas.allocatedOnAgents(agent.allocated, -1);
    pool.remove(agent.total);
    order = null;
  }

  /** A draining agent keeps what it runs but is offered to no one. */
  public void deactivateAgent(AgentId agentId) {
    AgentAllocation agent = agents.get(agentId);
    if (agent != null) {
      agent.active = false;
    }
  }

  public void activateAgent(AgentId agentId) {
    AgentAllocation agent = agents.get(agentId);
    if (agent != null) {
      agent.active = true;
    }
  }

  public boolean hasAgent(AgentId agentId) {
    return agents.containsKey(agentId);
  }

  // ---- frameworks ----

  public void addFramework(FrameworkId frameworkId, List<String> roles, Collection<String> suppressedRoles,
      boolean active) {
    addFramework(frameworkId, roles, suppressedRoles, active, Map.of());
  }

  /**
   * Adds a framework under its roles, or updates the suppressed roles, activity and offer filters of one already
   * known. {@code minAllocatable} maps a role to alternatives (its {@code offer_filters.min_allocatable_resources}):
   * the framework is offered resources under that role only if they contain at least one of them.
   */
  public void addFramework(FrameworkId frameworkId, List<String> roles, Collection<String> suppressedRoles,
      boolean active, Map<String, List<Resources>> minAllocatable) {
    addFramework(frameworkId, roles, suppressedRoles, active, minAllocatable, false);
  }

  /**
   * As above; {@code gpuAware} says whether the framework has the GPU_RESOURCES capability. As in Mesos, one
   * without it is offered no agent that has GPUs, so that GPU machines are kept for the work that needs them.
   */
  public void addFramework(FrameworkId frameworkId, List<String> roles, Collection<String> suppressedRoles,
      boolean active, Map<String, List<Resources>> minAllocatable, boolean gpuAware) {
    FrameworkState framework = frameworks.get(frameworkId);
    if (framework == null) {
      framework = new FrameworkState(frameworkId, roles);
      frameworks.put(frameworkId, framework);
      frameworksByName.put(frameworkId.value(), framework);
      for (String role : roles) {
        if (!roleSorter.contains(role)) {
          roleSorter.add(role);
        }
        frameworkSorters.computeIfAbsent(role, r -> new DrfSorter(pool, config.fairnessExcludedKinds(), false))
            .add(frameworkId.value());
      }
    }
    framework.minAllocatable = Map.copyOf(minAllocatable);
    framework.gpuAware = gpuAware;
    framework.suppressedRoles.clear();
    framework.suppressedRoles.addAll(suppressedRoles);
    framework.active = active;
    refreshActivity(framework);
  }

  public void activateFramework(FrameworkId frameworkId) {
    FrameworkState framework = frameworks.get(frameworkId);
    if (framework != null) {
      framework.active = true;
      refreshActivity(framework);
    }
  }

  public void deactivateFramework(FrameworkId frameworkId) {
    FrameworkState framework = frameworks.get(frameworkId);
    if (framework != null) {
      framework.active = false;
      refreshActivity(framework);
    }
  }

  /** Forgets a framework and releases everything it holds on every agent. */
  public void removeFramework(FrameworkId frameworkId) {
    FrameworkState framework = frameworks.remove(frameworkId);
    if (framework == null) {
      return;
    }
    frameworksByName.remove(frameworkId.value());
    frameworksVersion++;
    for (AgentAllocation agent : agents.values()) {
      for (Iterator<Holding> it = agent.holdings.iterator(); it.hasNext(); ) {
        Holding holding = it.next();
        if (holding.frameworkId.equals(frameworkId)) {
          it.remove();
          agent.give(holding.resources);
          quotas.allocatedOnAgents(holding.resources, -1);
          unallocate(frameworkId, holding.role, holding.resources);
        }
      }
      agent.filters.clear(frameworkId, null);
    }
    for (String role : framework.roles) {
      DrfSorter sorter = frameworkSorters.get(role);
      sorter.remove(frameworkId.value());
      if (sorter.isEmpty()) {
        frameworkSorters.remove(role);
        roleSorter.remove(role);
      }
    }
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
    AgentAllocation agent = agents.get(agentId);
    if (agent == null) {
      return; // the agent is gone, and with it everything that was allocated there
    }
    Holding holding = agent.holding(frameworkId, role);
    if (holding != null) {
      // Only what is actually held comes back, so a duplicate recovery cannot free resources twice.
      boolean whole = resources.equals(holding.resources);
      Resources returned = whole ? holding.resources : holding.resources.minus(holding.resources.minus(resources));
      if (!returned.isEmpty()) {
        holding.resources = whole ? Resources.empty() : holding.resources.minus(returned);
        if (holding.resources.isEmpty()) {
          agent.holdings.remove(holding);
        }
        agent.give(returned);
        quotas.allocatedOnAgents(returned, -1);
        unallocate(frameworkId, role, returned);
      }
    }
    if (refuseSeconds != null && refuseSeconds > 0 && frameworks.containsKey(frameworkId)) {
      long millis = Math.min(AllocatorConfig.MAX_FILTER_MILLIS,
          Math.max(config.minFilterMillis(), Math.round(refuseSeconds * 1000)));
      agent.filters.add(frameworkId, role, resources, nowMillis + millis);
    }
  }

  /** REVIVE: clear filters and un-suppress the given roles, or all of the framework's roles when none given. */
  public void revive(FrameworkId frameworkId, Collection<String> roles) {
    FrameworkState framework = frameworks.get(frameworkId);
    if (framework == null) {
      return;
    }
    Collection<String> revived = roles.isEmpty() ? framework.roles : roles;
    for (AgentAllocation agent : agents.values()) {
      if (roles.isEmpty()) {
        agent.filters.clear(frameworkId, null);
      } else {
        roles.forEach(role -> agent.filters.clear(frameworkId, role));
      }
    }
    framework.suppressedRoles.removeAll(revived);
    refreshActivity(framework);
  }

  /** SUPPRESS: no more offers for the given roles, or for all of the framework's roles when none given. */
  public void suppress(FrameworkId frameworkId, Collection<String> roles) {
    FrameworkState framework = frameworks.get(frameworkId);
    if (framework != null) {
      framework.suppressedRoles.addAll(roles.isEmpty() ? framework.roles : roles);
      refreshActivity(framework);
    }
  }

  // ---- weights and quota ----

  /** A role's weight (default 1), for roles that exist now or later. */
  public void setWeight(String role, double weight) {
    Roles.check(role);
    roleSorter.setWeight(role, weight); // refuses zero, negative, NaN and infinity
    weights.put(role, weight);
  }

  public double weight(String role) {
    return roleSorter.weight(role);
  }

  /** Every weight that was set, by role. */
  public Map<String, Double> weights() {
    return Map.copyOf(weights);
  }

  /**
   * Why the quota cannot be set, or null when it can: its guarantees, added to every other role's, must fit in what
   * the cluster holds now (Mesos' check without {@code force}).
   */
  public String quotaProblem(String role, Quota quota) {
    String badRole = Roles.problem(role);
    return badRole != null ? badRole : quotas.problem(role, quota);
  }

  /** Sets (or, with {@link Quota#NONE}, removes) a role's quota. Check {@link #quotaProblem} first. */
  public void setQuota(String role, Quota quota) {
    Roles.check(role);
    quotas.set(role, quota);
    frameworksVersion++;
  }

  public Map<String, Quota> quotas() {
    return quotas.all();
  }

  // ---- the cycle ----

  /** One allocation cycle: stage 1 for unmet quota guarantees, then stage 2, fair sharing of the rest. */
  public List<Allocation> allocate(long nowMillis) {
    AgentAllocation[] shuffled = shuffledAgents();
    List<Allocation> allocations = new ArrayList<>();
    if (quotas.hasUnmetGuarantees()) {
      for (AgentAllocation agent : shuffled) {
        if (agent.active) {
          allocateGuarantees(agent, nowMillis, allocations);
        }
      }
    }
    for (AgentAllocation agent : shuffled) {
      if (agent.active) {
        allocateFairShare(agent, nowMillis, allocations);
      }
    }
    return allocations;
  }

  /**
   * Stage 1: roles below their guarantee, in DRF order, each offered at most what it still needs of it, and only an
   * offer that brings some of what it lacks (an unmet guarantee no agent can help does not jump the queue).
   */
  private void allocateGuarantees(AgentAllocation agent, long nowMillis, List<Allocation> allocations) {
    boolean allocated = true;
    while (allocated && quotas.hasUnmetGuarantees() && quotas.anyLackingKindIn(agent.available())
        && config.allocatable(agent.available())) {
      allocated = false;
      for (String role : roleSorter) {
        if (!quotas.hasUnmetGuarantee(role)) {
          continue;
        }
        // Of the guaranteed kinds only what is lacking; of the others only what leaves the headroom other roles'
        // guarantees need; and only if the offer brings something the role lacks at all.
        Resources offer = quotas.capToLimits(role,
            quotas.capToHeadroom(role, quotas.capToGuarantee(role, agent.available())));
        if (quotas.helpsGuarantee(role, offer) && config.allocatable(offer)
            && offerToRole(agent, role, offer, nowMillis, allocations)) {
          allocated = true;
          break; // sorters changed: walk them afresh
        }
      }
    }
  }

  /** Stage 2: every role by DRF, within its limits and without eating the headroom unmet guarantees need. */
  private void allocateFairShare(AgentAllocation agent, long nowMillis, List<Allocation> allocations) {
    if (agent.idleSince(frameworksVersion, nowMillis) && !quotas.any()) {
      return; // offered to everyone last time and taken by no one, and nothing that could change that has changed
    }
    boolean allocated = true;
    boolean any = false;
    while (allocated && config.allocatable(agent.available())) {
      allocated = false;
      for (String role : roleSorter) {
        Resources offer = quotas.capToLimits(role, quotas.capToHeadroom(role, agent.available()));
        if (config.allocatable(offer) && offerToRole(agent, role, offer, nowMillis, allocations)) {
          allocated = true;
          any = true;
          break;
        }
      }
    }
    if (!any) {
      agent.markIdle(frameworksVersion);
    }
  }

  /** Offers {@code offer} to the first framework of the role, in DRF order, that wants it; false if none does. */
  private boolean offerToRole(AgentAllocation agent, String role, Resources offer, long nowMillis,
      List<Allocation> allocations) {
    DrfSorter sorter = frameworkSorters.get(role);
    if (sorter == null) {
      return false;
    }
    for (String name : sorter) {
      FrameworkState framework = frameworksByName.get(name);
      if ((agent.hasGpus() && !framework.gpuAware) || agent.filters.refuses(framework.id, role, offer, nowMillis)
          || !framework.wants(role, offer)) {
        continue;
      }
      Allocation allocation = new Allocation(framework.id, role, agent.info, offer);
      allocate(agent, allocation);
      allocations.add(allocation);
      return true;
    }
    return false;
  }

  private void allocate(AgentAllocation agent, Allocation allocation) {
    Resources resources = allocation.resources();
    agent.take(resources);
    Holding holding = agent.holding(allocation.frameworkId(), allocation.role());
    if (holding == null) {
      agent.holdings.add(new Holding(allocation.frameworkId(), allocation.role(), resources));
    } else {
      holding.resources = holding.resources.plus(resources);
    }
    quotas.allocatedOnAgents(resources, 1);
    long[] vector = pool.vector(resources);
    roleSorter.allocated(allocation.role(), vector);
    frameworkSorters.get(allocation.role()).allocated(allocation.frameworkId().value(), vector);
    quotas.consumptionChanged(allocation.role());
  }

  private void unallocate(FrameworkId frameworkId, String role, Resources resources) {
    long[] vector = pool.vector(resources);
    if (roleSorter.contains(role)) {
      roleSorter.unallocated(role, vector);
      quotas.consumptionChanged(role);
    }
    DrfSorter sorter = frameworkSorters.get(role);
    if (sorter != null) {
      sorter.unallocated(frameworkId.value(), vector);
    }
  }

  /** A framework is in a role's sorter as active exactly when it is active and not suppressed in that role. */
  private void refreshActivity(FrameworkState framework) {
    frameworksVersion++;
    for (String role : framework.roles) {
      DrfSorter sorter = frameworkSorters.get(role);
      boolean active = framework.active && !framework.suppressedRoles.contains(role);
      if (sorter.isActive(framework.id.value()) != active) {
        if (active) {
          sorter.activate(framework.id.value());
        } else {
          sorter.deactivate(framework.id.value());
        }
      }
    }
  }

  private AgentAllocation[] shuffledAgents() {
    if (order == null || order.length != agents.size()) {
      order = agents.values().toArray(new AgentAllocation[0]);
    }
    // Fisher-Yates over the kept array: each cycle starts from the last one's order, which is as random.
    for (int i = order.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      AgentAllocation swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    return order;
  }

  // ---- views, for metrics, the operator API and tests ----

  public int agentCount() {
    return agents.size();
  }

  public int frameworkCount() {
    return frameworks.size();
  }

  /** What the framework holds (offered or in use) on all agents, under all roles. */
  public Resources allocation(FrameworkId frameworkId) {
    Resources sum = Resources.empty();
    for (AgentAllocation agent : agents.values()) {
      for (Holding holding : agent.holdings) {
        if (holding.frameworkId.equals(frameworkId)) {
          sum = sum.plus(holding.resources);
        }
      }
    }
    return sum;
  }

  public Resources available(AgentId agentId) {
    AgentAllocation agent = agents.get(agentId);
    return agent == null ? Resources.empty() : agent.available();
  }

  /** The roles that have frameworks. */
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

  /** Every role that has frameworks, a weight or a quota, with what it holds (offered or in use). */
  public List<RoleView> roleViews() {
    Set<String> names = new java.util.TreeSet<>(frameworkSorters.keySet());
    names.addAll(weights.keySet());
    names.addAll(quotas.all().keySet());
    List<RoleView> views = new ArrayList<>(names.size());
    for (String role : names) {
      DrfSorter sorter = frameworkSorters.get(role);
      List<FrameworkId> members = sorter == null ? List.of()
          : frameworks.values().stream().filter(f -> f.roles.contains(role)).map(f -> f.id).sorted(
              java.util.Comparator.comparing(FrameworkId::value)).toList();
      views.add(new RoleView(role, weight(role), roleSorter.contains(role) ? roleSorter.share(role) : 0,
          quotas.consumed(role), members, quotas.all().getOrDefault(role, Quota.NONE)));
    }
    return views;
  }

  /** A role as the operator sees it. */
  public record RoleView(String name, double weight, double share, Resources allocated,
      List<FrameworkId> frameworks, Quota quota) {}

}
