package orrery.allocator.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.AgentInfo;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.messages.AllocatorMessages.Allocation;
import orrery.protocol.resources.Resources;

/**
 * Random sequences of operations against one {@link Allocator}, checked after every step against a model kept by the
 * test: what every framework holds on every agent under every role (from the allocations returned, minus what the
 * test recovered, dropped with its agent or framework), which frameworks are active or suppressed, the refusal
 * filters, weights and quotas.
 *
 * <p>Invariants checked (letters as in the brief):
 * (a) an allocation on an agent is contained in what the model says is free there, so nothing is offered twice,
 * and while an agent was never shrunk below what is held, the holdings fit in its total;
 * (b) {@code allocation(framework)} is the model's sum; (c) {@code available(agent)} is total minus model-held;
 * (d) after everything is recovered, quotas removed and every framework revived, one cycle offers every active
 * agent whole when some framework is active (and, without quota, no cycle leaves anything anyone could take);
 * (e) no allocation to an inactive, removed or suppressed framework, one filtering the agent, one whose
 * min_allocatable is not met, or on an inactive agent; (f) no allocation takes a role (or ancestor) past a limit;
 * (g) an allocation's role is one of its framework's roles. Also: shares match the model's DRF shares, a role without
 * unmet guarantees never eats into the headroom, quotaProblem refuses exactly guarantees beyond the cluster.
 */
class AllocatorPropertiesTest {

  private static final String[] AGENTS = {"s0", "s1", "s2", "s3"};
  private static final String[] FRAMEWORKS = {"f0", "f1", "f2", "f3", "f4"};
  private static final String[] ROLES = {"a", "a/b", "a/c", "c", "*"};
  /** "x" has no framework: its guarantee only holds headroom back. */
  private static final String[] QUOTA_ROLES = {"a", "a/b", "c", "x", "a/c"};
  private static final Resources[] SHAPES = {
      Resources.parse("cpus:1;mem:512"),
      Resources.parse("cpus:2;mem:2048;ports:[31000-31004]"),
      Resources.parse("cpus:4;mem:4096;disk:1000"),
      Resources.parse("cpus:4;mem:1024;gpus:1;ports:[31000-31009]"),
      Resources.parse("cpus:0.5;mem:8192"),
      Resources.parse("cpus:8;mem:16384;ports:[31000-31001]"),
      Resources.parse("cpus:0.005;mem:16"), // a crumb: never allocatable
  };
  private static final List<List<Resources>> MIN_ALLOCATABLE = List.of(
      List.of(Resources.parse("cpus:2")),
      List.of(Resources.parse("mem:2048")),
      List.of(Resources.parse("cpus:1;mem:1024"), Resources.parse("gpus:1")));
  private static final Resources[] GUARANTEES = {
      Resources.empty(), Resources.parse("cpus:1"), Resources.parse("cpus:2;mem:1024"), Resources.parse("mem:2048"),
      Resources.parse("cpus:6")};
  private static final Resources[] LIMITS = {
      Resources.empty(), Resources.parse("cpus:2"), Resources.parse("cpus:4;mem:4096"), Resources.parse("mem:1024"),
      Resources.parse("cpus:1.5;mem:3000")};
  private static final Double[] REFUSE = {null, 0.0, 0.0005, 0.5, 5.0, 3600.0, 1e12};
  private static final long[] STEPS = {0, 1, 500, 1000, 5000, 60_000};
  private static final double[] WEIGHTS = {0.5, 1, 2, 3.5};
  private static final double[] BAD_WEIGHTS = {0, -1, Double.NaN, Double.POSITIVE_INFINITY};
  private static final long YEAR = 365L * 24 * 3600 * 1000;
  private static final AllocatorConfig CONFIG = AllocatorConfig.defaults();

  enum Kind {
    ADD_AGENT, REMOVE_AGENT, UPDATE_AGENT, DEACTIVATE_AGENT, ACTIVATE_AGENT, ADD_FRAMEWORK, DEACTIVATE_FRAMEWORK,
    ACTIVATE_FRAMEWORK, REMOVE_FRAMEWORK, ALLOCATE, RECOVER, DECLINE_ALL, SUPPRESS, REVIVE, SET_WEIGHT, SET_QUOTA,
    DRAIN
  }

  /** Relative frequencies of the kinds, in the order of {@link Kind}. */
  private static final int[] FREQUENCY = {4, 1, 2, 1, 1, 4, 1, 1, 1, 14, 7, 3, 2, 2, 2, 5, 1};

  record Op(Kind kind, int a, int b, int c) {
    @Override
    public String toString() {
      return kind + "(" + a + "," + b + "," + c + ")";
    }
  }

  @Provide
  Arbitrary<List<Op>> operations() {
    List<Tuple.Tuple2<Integer, Kind>> kinds = new ArrayList<>();
    for (Kind kind : Kind.values()) {
      kinds.add(Tuple.of(FREQUENCY[kind.ordinal()], kind));
    }
    Arbitrary<Kind> kind = Arbitraries.frequency(kinds);
    Arbitrary<Integer> n = Arbitraries.integers().between(0, 999);
    // Two agents and two frameworks first, so that most sequences allocate something; then anything.
    Arbitrary<List<Op>> setup = Combinators.combine(n, n, n, n, n, n).as((a, b, c, d, e, f) -> List.of(
        new Op(Kind.ADD_AGENT, 0, a, 0), new Op(Kind.ADD_AGENT, 1, b, 0), new Op(Kind.ADD_FRAMEWORK, 0, c, 2),
        new Op(Kind.ADD_FRAMEWORK, 1, d, 2 + 20 * (e % 2)), new Op(Kind.SET_QUOTA, f, f / 5, f / 25)));
    Arbitrary<List<Op>> rest = Combinators.combine(kind, n, n, n).as(Op::new).list().ofMinSize(5).ofMaxSize(55)
        .withSizeDistribution(RandomDistribution.uniform());
    return Combinators.combine(setup, rest).as((s, r) -> {
      List<Op> all = new ArrayList<>(s);
      all.addAll(r);
      return all;
    });
  }

  @Property(tries = 400, shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE)
  void everyStepKeepsTheInvariants(@ForAll("operations") List<Op> ops, @ForAll long seed) {
    Run run = new Run(seed);
    for (Op op : ops) {
      run.apply(op);
      run.checkState(op);
    }
    // (d) at the end of every sequence too
    run.apply(new Op(Kind.DRAIN, 0, 0, 0));
    run.checkState(new Op(Kind.DRAIN, 0, 0, 0));
    Statistics.label("allocations").collect(bucket(run.allocations));
    Statistics.label("allocations under a limit or an unmet guarantee").collect(bucket(run.quotaAllocations));
    Statistics.label("cycles run while a filter was in force").collect(bucket(run.filteredSeen));
  }

  private static String bucket(int n) {
    return n == 0 ? "0" : n < 5 ? "1-4" : n < 20 ? "5-19" : "20+";
  }

  // ---- the model and the interpreter ----

  private record Key(String agent, String framework, String role) {}

  private record Filter(String agent, String framework, String role, Resources resources, long expiresAt) {}

  private static final class AgentModel {
    Resources total;
    boolean active = true;
    /** An update or re-registration left it holding more than its total. */
    boolean overcommitted;

    AgentModel(Resources total) {
      this.total = total;
    }
  }

  private static final class FrameworkModel {
    final List<String> roles;
    boolean active;
    final Set<String> suppressed = new HashSet<>();
    Map<String, List<Resources>> minAllocatable = Map.of();

    FrameworkModel(List<String> roles) {
      this.roles = List.copyOf(roles);
    }
  }

  private static final class Run {
    final Allocator allocator;
    long now = 1_000;
    final Map<String, AgentModel> agents = new LinkedHashMap<>();
    final Map<String, FrameworkModel> frameworks = new LinkedHashMap<>();
    final Map<Key, Resources> holdings = new LinkedHashMap<>();
    final List<Filter> filters = new ArrayList<>();
    final Map<String, Double> weights = new LinkedHashMap<>();
    final Map<String, Quota> quotas = new LinkedHashMap<>();
    int allocations;
    int quotaAllocations;
    int filteredSeen;

    Run(long seed) {
      allocator = new Allocator(CONFIG, new SplittableRandom(seed));
    }

    void apply(Op op) {
      int a = op.a();
      int b = op.b();
      int c = op.c();
      switch (op.kind()) {
        case ADD_AGENT -> {
          String id = AGENTS[a % AGENTS.length];
          Resources total = SHAPES[b % SHAPES.length];
          allocator.addAgent(info(id), total);
          AgentModel agent = agents.computeIfAbsent(id, k -> new AgentModel(total));
          agent.total = total; // a re-registration replaces the total and reactivates, holdings stay
          agent.active = true;
          agent.overcommitted = !total.contains(heldOn(id));
        }
        case REMOVE_AGENT -> {
          String id = pick(agents.keySet(), a);
          if (id == null) {
            return;
          }
          allocator.removeAgent(AgentId.of(id));
          agents.remove(id);
          holdings.keySet().removeIf(k -> k.agent().equals(id));
          filters.removeIf(f -> f.agent().equals(id));
        }
        case UPDATE_AGENT -> {
          String id = pick(agents.keySet(), a);
          if (id == null) {
            return;
          }
          Resources total = SHAPES[b % SHAPES.length];
          allocator.updateAgent(AgentId.of(id), total);
          agents.get(id).total = total;
          agents.get(id).overcommitted = !total.contains(heldOn(id));
        }
        case DEACTIVATE_AGENT, ACTIVATE_AGENT -> {
          String id = pick(agents.keySet(), a);
          if (id == null) {
            return;
          }
          boolean active = op.kind() == Kind.ACTIVATE_AGENT;
          if (active) {
            allocator.activateAgent(AgentId.of(id));
          } else {
            allocator.deactivateAgent(AgentId.of(id));
          }
          agents.get(id).active = active;
        }
        case ADD_FRAMEWORK -> {
          String id = FRAMEWORKS[a % FRAMEWORKS.length];
          FrameworkModel framework = frameworks.get(id);
          if (framework == null) {
            // 1 to 3 distinct roles
            List<String> roles = new ArrayList<>();
            int count = 1 + b % 3;
            for (int i = 0; roles.size() < count; i++) {
              String role = ROLES[(b / 3 + i * (1 + b % 4)) % ROLES.length];
              if (!roles.contains(role)) {
                roles.add(role);
              } else if (i > 20) {
                break;
              }
            }
            framework = new FrameworkModel(roles);
          }
          framework.active = c % 5 != 1;
          framework.suppressed.clear();
          if (c % 4 == 0) {
            framework.suppressed.add(framework.roles.get(0));
          }
          framework.minAllocatable = (c / 5) % 3 == 0
              ? Map.of(framework.roles.get(framework.roles.size() - 1), MIN_ALLOCATABLE.get((c / 15) % 3))
              : Map.of();
          // Every framework here has GPU_RESOURCES, since agents may have gpus; the GPU filter is unit-tested.
          allocator.addFramework(FrameworkId.of(id), framework.roles, List.copyOf(framework.suppressed),
              framework.active, framework.minAllocatable, true);
          frameworks.put(id, framework);
        }
        case DEACTIVATE_FRAMEWORK, ACTIVATE_FRAMEWORK -> {
          String id = pick(frameworks.keySet(), a);
          if (id == null) {
            return;
          }
          boolean active = op.kind() == Kind.ACTIVATE_FRAMEWORK;
          if (active) {
            allocator.activateFramework(FrameworkId.of(id));
          } else {
            allocator.deactivateFramework(FrameworkId.of(id));
          }
          frameworks.get(id).active = active;
        }
        case REMOVE_FRAMEWORK -> {
          String id = pick(frameworks.keySet(), a);
          if (id == null) {
            return;
          }
          allocator.removeFramework(FrameworkId.of(id));
          frameworks.remove(id);
          holdings.keySet().removeIf(k -> k.framework().equals(id));
          filters.removeIf(f -> f.framework().equals(id));
        }
        case ALLOCATE -> allocate(STEPS[a % STEPS.length]);
        case RECOVER -> {
          Key key = pick(holdings.keySet(), a);
          if (key == null) {
            return;
          }
          Resources held = holdings.get(key);
          Resources request = switch (b % 6) {
            case 0 -> held;
            case 1 -> half(held);
            case 2 -> Resources.parse("cpus:1;mem:256"); // may be more than is held
            case 3 -> held.minus(held.scalarsOnly()).isEmpty() ? held : held.minus(held.scalarsOnly()); // ports
            case 4 -> held.plus(Resources.parse("cpus:3;ports:[40000-40001]")); // more than is held
            default -> half(held);
          };
          // now and then the request names a role the framework holds nothing under on that agent
          String role = b % 7 == 6 ? ROLES[c % ROLES.length] : key.role();
          recover(new Key(key.agent(), key.framework(), role), request, REFUSE[c % REFUSE.length]);
        }
        case DECLINE_ALL -> {
          Double refuse = REFUSE[a % REFUSE.length];
          for (Map.Entry<Key, Resources> entry : List.copyOf(holdings.entrySet())) {
            recover(entry.getKey(), entry.getValue(), refuse);
          }
          assertThat(holdings).isEmpty();
        }
        case SUPPRESS, REVIVE -> {
          String id = pick(frameworks.keySet(), a);
          if (id == null) {
            return;
          }
          FrameworkModel framework = frameworks.get(id);
          List<String> roles = b % 3 == 0 ? List.of() : List.of(framework.roles.get(b % framework.roles.size()));
          Set<String> affected = new HashSet<>(roles.isEmpty() ? framework.roles : roles);
          if (op.kind() == Kind.SUPPRESS) {
            allocator.suppress(FrameworkId.of(id), roles);
            framework.suppressed.addAll(affected);
          } else {
            allocator.revive(FrameworkId.of(id), roles);
            framework.suppressed.removeAll(affected);
            filters.removeIf(f -> f.framework().equals(id) && affected.contains(f.role()));
          }
        }
        case SET_WEIGHT -> {
          String role = b % 5 == 4 ? "a/b" : ROLES[a % ROLES.length];
          if (c % 6 == 5) {
            double bad = BAD_WEIGHTS[a % BAD_WEIGHTS.length];
            assertThatThrownBy(() -> allocator.setWeight(role, bad)).isInstanceOf(IllegalArgumentException.class);
            return;
          }
          double weight = WEIGHTS[c % WEIGHTS.length];
          allocator.setWeight(role, weight);
          weights.put(role, weight);
        }
        case SET_QUOTA -> setQuota(QUOTA_ROLES[a % QUOTA_ROLES.length], GUARANTEES[b % GUARANTEES.length],
            LIMITS[c % LIMITS.length]);
        case DRAIN -> drain();
        default -> throw new AssertionError(op);
      }
    }

    private void setQuota(String role, Resources guarantees, Resources limits) {
      boolean guaranteeAboveLimit = guarantees.scalarMillis().entrySet().stream()
          .anyMatch(g -> limits.scalarMillis().containsKey(g.getKey()) && limits.scalarMillis(g.getKey()) < g.getValue());
      if (guaranteeAboveLimit) {
        assertThatThrownBy(() -> new Quota(guarantees, limits)).isInstanceOf(IllegalArgumentException.class);
        return;
      }
      Quota quota = new Quota(guarantees, limits);
      // quotaProblem: the top-level guarantees (this one's replacing its old one; a child's guarantee is part of
      // a guaranteed ancestor's) must fit in the cluster's total
      Map<String, Quota> applied = new LinkedHashMap<>(quotas);
      applied.put(role, quota);
      Map<String, Long> needed = new LinkedHashMap<>();
      applied.forEach((name, q) -> {
        boolean guaranteedAncestor = false;
        for (String prefix = name; prefix.contains("/"); ) {
          prefix = prefix.substring(0, prefix.lastIndexOf('/'));
          Quota ancestor = applied.get(prefix);
          guaranteedAncestor |= ancestor != null && !ancestor.guarantees().isEmpty();
        }
        if (!guaranteedAncestor) {
          q.guarantees().scalarMillis().forEach((k, v) -> needed.merge(k, v, Long::sum));
        }
      });
      boolean fits = needed.entrySet().stream().allMatch(e -> e.getValue() <= poolTotal(e.getKey()));
      Quota old = quotas.getOrDefault(role, Quota.NONE);
      boolean raises = guarantees.scalarMillis().entrySet().stream()
          .anyMatch(g -> g.getValue() > old.guarantees().scalarMillis(g.getKey()));
      String problem = allocator.quotaProblem(role, quota);
      if (raises) {
        assertThat(problem == null).as("quotaProblem(%s, %s) = %s; needed %s", role, quota, problem, needed)
            .isEqualTo(fits);
        if (problem != null) {
          return;
        }
      }
      // A quota that raises no guarantee is applied whatever quotaProblem says: whether it should refuse one
      // (it does, when other roles' guarantees no longer fit a cluster that shrank) is tested in
      // HierarchicalAndQuotaTest.
      allocator.setQuota(role, quota);
      if (quota.isNone()) {
        quotas.remove(role);
      } else {
        quotas.put(role, quota);
      }
      assertThat(allocator.quotas()).isEqualTo(quotas);
    }

    private void recover(Key key, Resources request, Double refuse) {
      allocator.recover(FrameworkId.of(key.framework()), key.role(), AgentId.of(key.agent()), request, refuse, now);
      Resources held = holdings.get(key);
      if (held != null) {
        Resources left = held.minus(request);
        if (left.isEmpty()) {
          holdings.remove(key);
        } else {
          holdings.put(key, left);
        }
      }
      if (refuse != null && refuse > 0 && frameworks.containsKey(key.framework()) && agents.containsKey(key.agent())) {
        long millis = Math.min(YEAR, Math.max(CONFIG.minFilterMillis(), Math.round(refuse * 1000)));
        filters.add(new Filter(key.agent(), key.framework(), key.role(), request, now + millis));
      }
    }

    /** (d): give everything back, remove every quota and min_allocatable, revive everyone, and allocate once. */
    private void drain() {
      for (Map.Entry<Key, Resources> entry : List.copyOf(holdings.entrySet())) {
        recover(entry.getKey(), entry.getValue(), null);
      }
      for (String role : List.copyOf(quotas.keySet())) {
        setQuota(role, Resources.empty(), Resources.empty());
      }
      assertThat(quotas).isEmpty();
      frameworks.forEach((id, framework) -> {
        allocator.addFramework(FrameworkId.of(id), framework.roles, List.of(), framework.active, Map.of(),
            true); // every framework here has GPU_RESOURCES (agents may have gpus); the filter is unit-tested
        allocator.revive(FrameworkId.of(id), List.of());
        framework.suppressed.clear();
        framework.minAllocatable = Map.of();
      });
      filters.clear();
      boolean someoneWants = frameworks.values().stream().anyMatch(f -> f.active);
      List<Allocation> allocations = allocate(1);
      for (Map.Entry<String, AgentModel> entry : agents.entrySet()) {
        AgentModel agent = entry.getValue();
        Resources offered = Resources.empty();
        for (Allocation allocation : allocations) {
          if (allocation.agent().id().value().equals(entry.getKey())) {
            offered = offered.plus(allocation.resources());
          }
        }
        Resources expected = agent.active && someoneWants && CONFIG.allocatable(agent.total)
            ? agent.total : Resources.empty();
        assertThat(offered).as("(d) offered on %s after recovering everything: %s", entry.getKey(), allocations)
            .isEqualTo(expected);
      }
    }

    private List<Allocation> allocate(long step) {
      now += step;
      // Without limits and without unmet guarantees at the start, nothing caps an offer: see checkNothingLeft.
      boolean uncapped = quotas.values().stream().allMatch(q -> q.limits().isEmpty()) && !anyUnmet();
      if (filters.stream().anyMatch(f -> f.expiresAt() > now)) {
        filteredSeen++;
      }
      List<Allocation> allocations = allocator.allocate(now);
      for (Allocation allocation : allocations) {
        checkAndApply(allocation);
      }
      if (uncapped) {
        checkNothingLeft();
      }
      return allocations;
    }

    /** (a), (e), (f), (g), headroom: one allocation, checked against the model as it stood when it was made. */
    private void checkAndApply(Allocation allocation) {
      String agentId = allocation.agent().id().value();
      String frameworkId = allocation.frameworkId().value();
      String role = allocation.role();
      Resources offer = allocation.resources();
      allocations++;
      if (unmetOnPath(role) || path(role).stream().anyMatch(n -> quotas.containsKey(n)
          && !quotas.get(n).limits().isEmpty())) {
        quotaAllocations++;
      }
      AgentModel agent = agents.get(agentId);
      FrameworkModel framework = frameworks.get(frameworkId);
      assertThat(agent).as("(e) allocation on an unknown agent: %s", allocation).isNotNull();
      assertThat(agent.active).as("(e) allocation on an inactive agent: %s", allocation).isTrue();
      assertThat(framework).as("(e) allocation to an unknown framework: %s", allocation).isNotNull();
      assertThat(framework.active).as("(e) allocation to an inactive framework: %s", allocation).isTrue();
      assertThat(framework.roles).as("(g) allocation under a role not the framework's: %s", allocation)
          .contains(role);
      assertThat(framework.suppressed).as("(e) allocation under a suppressed role: %s", allocation)
          .doesNotContain(role);
      assertThat(CONFIG.allocatable(offer)).as("crumb offered: %s", allocation).isTrue();
      for (Filter filter : filters) {
        if (filter.agent().equals(agentId) && filter.framework().equals(frameworkId) && filter.role().equals(role)
            && filter.expiresAt() > now) {
          assertThat(filter.resources().contains(offer))
              .as("(e) %s offered though it refused %s until %d (now %d)", allocation, filter.resources(),
                  filter.expiresAt(), now)
              .isFalse();
        }
      }
      List<Resources> minimums = framework.minAllocatable.get(role);
      if (minimums != null) {
        assertThat(minimums.stream().anyMatch(offer::contains))
            .as("(e) %s below min_allocatable %s", allocation, minimums).isTrue();
      }
      Resources free = agent.total.minus(heldOn(agentId));
      assertThat(free.contains(offer)).as("(a) %s but only %s is free there", allocation, free).isTrue();
      for (String node : path(role)) {
        Quota quota = quotas.get(node);
        if (quota == null) {
          continue;
        }
        for (Map.Entry<String, Long> limit : quota.limits().scalarMillis().entrySet()) {
          long offered = offer.scalarMillis(limit.getKey());
          long consumed = consumed(node, limit.getKey());
          assertThat(offered == 0 || consumed + offered <= limit.getValue())
              .as("(f) %s takes %s of %s from %d to %d, past its limit %d", allocation, node, limit.getKey(),
                  consumed, consumed + offered, limit.getValue())
              .isTrue();
        }
      }
      if (!unmetOnPath(role)) {
        // stage 2 only, and without a guarantee of its own: it must leave the required headroom free
        for (Map.Entry<String, Long> entry : offer.scalarMillis().entrySet()) {
          String kind = entry.getKey();
          long required = requiredHeadroom(kind);
          if (required > 0) {
            long unallocated = poolTotal(kind) - allocatedTotal(kind);
            assertThat(entry.getValue()).as("headroom: %s takes %s of %s though %d is unallocated and %d required",
                allocation, entry.getValue(), kind, unallocated, required)
                .isLessThanOrEqualTo(Math.max(0, unallocated - required));
          }
        }
      }
      holdings.merge(new Key(agentId, frameworkId, role), offer, Resources::plus);
    }

    /** Without caps, a cycle ends only when no framework could take what any active agent has left. */
    private void checkNothingLeft() {
      agents.forEach((agentId, agent) -> {
        Resources free = agent.total.minus(heldOn(agentId));
        if (!agent.active || !CONFIG.allocatable(free)) {
          return;
        }
        frameworks.forEach((frameworkId, framework) -> {
          if (!framework.active) {
            return;
          }
          for (String role : framework.roles) {
            if (framework.suppressed.contains(role) || filtered(agentId, frameworkId, role, free)) {
              continue;
            }
            List<Resources> minimums = framework.minAllocatable.get(role);
            if (minimums != null && minimums.stream().noneMatch(free::contains)) {
              continue;
            }
            throw new AssertionError("(d) after the cycle at " + now + ", " + free + " is left on " + agentId
                + " though " + frameworkId + " could take it under " + role);
          }
        });
      });
    }

    /** (b), (c), shares, counts: the allocator's views agree with the model. */
    void checkState(Op after) {
      for (String id : FRAMEWORKS) {
        Resources expected = Resources.empty();
        for (Map.Entry<Key, Resources> entry : holdings.entrySet()) {
          if (entry.getKey().framework().equals(id)) {
            expected = expected.plus(entry.getValue());
          }
        }
        assertThat(allocator.allocation(FrameworkId.of(id))).as("(b) allocation(%s) after %s", id, after)
            .isEqualTo(expected);
        assertThat(allocator.hasFramework(FrameworkId.of(id))).isEqualTo(frameworks.containsKey(id));
      }
      for (String id : AGENTS) {
        AgentModel agent = agents.get(id);
        assertThat(allocator.hasAgent(AgentId.of(id))).isEqualTo(agent != null);
        Resources expected = agent == null ? Resources.empty() : agent.total.minus(heldOn(id));
        assertThat(allocator.available(AgentId.of(id))).as("(c) available(%s) after %s", id, after)
            .isEqualTo(expected);
        if (agent != null) {
          if (agent.total.contains(heldOn(id))) {
            agent.overcommitted = false;
          } else {
            // only an update that shrank the agent can leave more held than it has: allocations never do
            assertThat(agent.overcommitted).as("(a) %s holds %s beyond its total %s after %s", id, heldOn(id),
                agent.total, after).isTrue();
          }
        }
      }
      assertThat(allocator.agentCount()).isEqualTo(agents.size());
      assertThat(allocator.frameworkCount()).isEqualTo(frameworks.size());
      Set<String> roles = new TreeSet<>();
      frameworks.values().forEach(f -> roles.addAll(f.roles));
      assertThat(new TreeSet<>(allocator.roles())).as("roles after %s", after).isEqualTo(roles);
      for (String role : roles) {
        double expected = dominantShare(consumedVector(role)) / weights.getOrDefault(role, 1.0);
        assertThat(allocator.roleShare(role)).as("share of role %s after %s", role, after)
            .isCloseTo(expected, within(1e-9));
      }
      frameworks.forEach((id, framework) -> {
        for (String role : framework.roles) {
          Resources held = Resources.empty();
          for (Map.Entry<Key, Resources> entry : holdings.entrySet()) {
            if (entry.getKey().framework().equals(id) && entry.getKey().role().equals(role)) {
              held = held.plus(entry.getValue());
            }
          }
          assertThat(allocator.frameworkShare(FrameworkId.of(id), role))
              .as("share of %s in %s after %s", id, role, after)
              .isCloseTo(dominantShare(held.scalarMillis()), within(1e-9));
        }
      });
    }

    // ---- model arithmetic ----

    private Resources heldOn(String agentId) {
      Resources sum = Resources.empty();
      for (Map.Entry<Key, Resources> entry : holdings.entrySet()) {
        if (entry.getKey().agent().equals(agentId)) {
          sum = sum.plus(entry.getValue());
        }
      }
      return sum;
    }

    private boolean filtered(String agentId, String frameworkId, String role, Resources offer) {
      for (Filter filter : filters) {
        if (filter.agent().equals(agentId) && filter.framework().equals(frameworkId) && filter.role().equals(role)
            && filter.expiresAt() > now && filter.resources().contains(offer)) {
          return true;
        }
      }
      return false;
    }

    private long poolTotal(String kind) {
      long total = 0;
      for (AgentModel agent : agents.values()) {
        total += agent.total.scalarMillis(kind);
      }
      return total;
    }

    private long allocatedTotal(String kind) {
      long total = 0;
      for (Resources held : holdings.values()) {
        total += held.scalarMillis(kind);
      }
      return total;
    }

    /** What the role's subtree holds of the kind (a quota on "a" counts "a/b"). */
    private long consumed(String role, String kind) {
      long total = 0;
      for (Map.Entry<Key, Resources> entry : holdings.entrySet()) {
        if (inSubtree(entry.getKey().role(), role)) {
          total += entry.getValue().scalarMillis(kind);
        }
      }
      return total;
    }

    private Map<String, Long> consumedVector(String role) {
      Map<String, Long> sum = new LinkedHashMap<>();
      for (Map.Entry<Key, Resources> entry : holdings.entrySet()) {
        if (inSubtree(entry.getKey().role(), role)) {
          entry.getValue().scalarMillis().forEach((k, v) -> sum.merge(k, v, Long::sum));
        }
      }
      return sum;
    }

    private double dominantShare(Map<String, Long> held) {
      double share = 0;
      for (Map.Entry<String, Long> entry : held.entrySet()) {
        long total = poolTotal(entry.getKey());
        if (total > 0 && entry.getValue() > 0) {
          share = Math.max(share, entry.getValue() / (double) total);
        }
      }
      return share;
    }

    private long unmet(String role, String kind) {
      Quota quota = quotas.get(role);
      if (quota == null) {
        return 0;
      }
      return Math.max(0, quota.guarantees().scalarMillis(kind) - consumed(role, kind));
    }

    private boolean anyUnmet() {
      for (Map.Entry<String, Quota> entry : quotas.entrySet()) {
        for (String kind : entry.getValue().guarantees().scalarNames()) {
          if (unmet(entry.getKey(), kind) > 0) {
            return true;
          }
        }
      }
      return false;
    }

    private boolean unmetOnPath(String role) {
      for (String node : path(role)) {
        Quota quota = quotas.get(node);
        if (quota != null) {
          for (String kind : quota.guarantees().scalarNames()) {
            if (unmet(node, kind) > 0) {
              return true;
            }
          }
        }
      }
      return false;
    }

    private long requiredHeadroom(String kind) {
      long sum = 0;
      for (String role : quotas.keySet()) {
        sum += unmet(role, kind);
      }
      return sum;
    }
  }

  // ---- helpers ----

  private static AgentInfo info(String id) {
    return new AgentInfo("host-" + id, 5051, null, null, AgentId.of(id), null);
  }

  private static <T> T pick(Set<T> set, int index) {
    if (set.isEmpty()) {
      return null;
    }
    return new ArrayList<>(set).get(index % set.size());
  }

  /** Half of every scalar (in milli-units, rounded down), none of the ranges. */
  private static Resources half(Resources resources) {
    Resources.Builder builder = Resources.builder();
    resources.scalarMillis().forEach((k, v) -> builder.scalarMillis(k, v / 2));
    return builder.build();
  }

  private static boolean inSubtree(String role, String node) {
    return role.equals(node) || role.startsWith(node + "/");
  }

  /** The role and its ancestors. */
  private static List<String> path(String role) {
    List<String> path = new ArrayList<>();
    for (String node = role; ; node = node.substring(0, node.lastIndexOf('/'))) {
      path.add(node);
      if (node.indexOf('/') < 0) {
        return path;
      }
    }
  }
}
