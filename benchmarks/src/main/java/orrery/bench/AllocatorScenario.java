package orrery.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import orrery.allocator.core.Allocator;
import orrery.allocator.core.AllocatorConfig;
import orrery.allocator.core.Quota;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.AgentInfo;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.messages.AllocatorMessages.Allocation;
import orrery.protocol.resources.Ranges;
import orrery.protocol.resources.Resources;

/**
 * One workload of {@link AllocatorBenchmark}, built in memory on the allocator's core, shaped like the Mesos
 * allocator benchmarks ({@code src/tests/hierarchical_allocator_benchmarks.cpp}):
 *
 * <ul>
 *   <li>{@code decline-offers}: agents of {@code cpus:24;mem:4096;disk:4096;ports:[31000-32000]}, each with
 *       {@code cpus:16;mem:2014;disk:1024} and 16 single ports held by one of the frameworks (all in role {@code *});
 *       every framework declines every offer with {@code refuse_seconds} of {@link Integer#MAX_VALUE} (the allocator
 *       caps it at a year), as Mesos' DeclineOffers does.
 *   <li>{@code scale}: agents of {@code cpus:16;mem:65536;disk:102400;ports:[31000-32000]}; frameworks spread
 *       round-robin over ten roles {@code role-1..role-10} of weights 1..10; every framework gives back every offer
 *       at once without a filter (refuse 0), so each cycle offers the whole cluster again.
 *   <li>{@code quota}: agents as in {@code scale}; one role {@code quota-i} per framework, each with a guarantee of
 *       {@code cpus:1;mem:1024} (checked with {@link Allocator#quotaProblem}); offers given back as in {@code scale},
 *       so every cycle runs stage 1 (guarantees) over every role and then stage 2.
 * </ul>
 *
 * <p>Time is simulated: each cycle is one allocation interval (1 s) after the previous one.
 */
final class AllocatorScenario {

  static final List<String> NAMES = List.of("decline-offers", "scale", "quota");

  static final String DECLINE_AGENT = "cpus:24;mem:4096;disk:4096;ports:[31000-32000]";
  static final String DECLINE_USED = "cpus:16;mem:2014;disk:1024";
  static final String LARGE_AGENT = "cpus:16;mem:65536;disk:102400;ports:[31000-32000]";
  static final String QUOTA_GUARANTEE = "cpus:1;mem:1024";
  static final long INTERVAL_MILLIS = 1000;

  final String name;
  final int agentCount;
  final int frameworkCount;
  final int roleCount;
  final Allocator allocator;
  final List<AgentId> agents = new ArrayList<>();
  /** How every framework answers an offer: a decline with this refuse_seconds (null or 0: no filter). */
  private final Double refuseSeconds;
  long nowMillis;

  private AllocatorScenario(String name, int agentCount, int frameworkCount, int roleCount, Double refuseSeconds,
      long seed) {
    this.name = name;
    this.agentCount = agentCount;
    this.frameworkCount = frameworkCount;
    this.roleCount = roleCount;
    this.refuseSeconds = refuseSeconds;
    this.allocator = new Allocator(AllocatorConfig.defaults(), new SplittableRandom(seed));
  }

  /** The default number of agents of a scenario. */
  static int defaultAgents(String name) {
    return switch (check(name)) {
      case "decline-offers" -> 10_000;
      case "scale" -> 50_000;
      default -> 3_000;
    };
  }

  static int defaultFrameworks(String name) {
    return check(name).equals("quota") ? 3_000 : 1_000;
  }

  /** Each agent's resources in the scenario, unless given otherwise. */
  static String defaultAgentResources(String name) {
    return check(name).equals("decline-offers") ? DECLINE_AGENT : LARGE_AGENT;
  }

  static AllocatorScenario build(String name, int agents, int frameworks, long seed) {
    return build(name, agents, frameworks, defaultAgentResources(name), seed);
  }

  /**
   * Builds the scenario's cluster, frameworks, roles and quota, and (decline-offers) the resources already used, with
   * {@code agentResources} on every agent.
   */
  static AllocatorScenario build(String name, int agents, int frameworks, String agentResources, long seed) {
    if (agents < 1 || frameworks < 1) {
      throw new IllegalArgumentException("a scenario needs at least one agent and one framework");
    }
    AllocatorScenario scenario = switch (check(name)) {
      case "decline-offers" -> new AllocatorScenario(name, agents, frameworks, 1, (double) Integer.MAX_VALUE, seed);
      case "scale" -> new AllocatorScenario(name, agents, frameworks, Math.min(10, frameworks), 0.0, seed);
      default -> new AllocatorScenario(name, agents, frameworks, frameworks, 0.0, seed);
    };
    scenario.populate(Resources.parse(agentResources));
    return scenario;
  }

  private static String check(String name) {
    if (!NAMES.contains(name)) {
      throw new IllegalArgumentException("unknown scenario '" + name + "'; known: " + String.join(", ", NAMES));
    }
    return name;
  }

  private void populate(Resources agentTotal) {
    switch (name) {
      case "decline-offers" -> {
        addAgents(agentTotal);
        for (int i = 0; i < frameworkCount; i++) {
          allocator.addFramework(framework(i), List.of("*"), List.of(), true);
        }
        holdUsedResources();
      }
      case "scale" -> {
        addAgents(agentTotal);
        for (int r = 1; r <= roleCount; r++) {
          allocator.setWeight(role(r), r);
        }
        for (int i = 0; i < frameworkCount; i++) {
          allocator.addFramework(framework(i), List.of(role(i % roleCount + 1)), List.of(), true);
        }
      }
      default -> {
        addAgents(agentTotal);
        Quota quota = new Quota(Resources.parse(QUOTA_GUARANTEE), Resources.empty());
        for (int i = 0; i < frameworkCount; i++) {
          String role = "quota-" + i;
          String problem = allocator.quotaProblem(role, quota);
          if (problem != null) {
            throw new IllegalStateException("quota of " + role + " does not fit: " + problem);
          }
          allocator.setQuota(role, quota);
          allocator.addFramework(framework(i), List.of(role), List.of(), true);
        }
      }
    }
  }

  private void addAgents(Resources total) {
    for (int i = 0; i < agentCount; i++) {
      AgentId id = AgentId.of("agent-" + i);
      agents.add(id);
      allocator.addAgent(new AgentInfo("host-" + i, 5051, null, null, id, null), total);
    }
  }

  /**
   * Mesos adds each agent with 16 one-cpu tasks of one framework already running. The core has no way to add an
   * agent with allocations, so one cycle offers every agent whole (DRF spreads them evenly over the frameworks, ten
   * agents each at the default size) and each framework gives back all but the used part, without a filter.
   */
  private void holdUsedResources() {
    Resources.Builder ports = Resources.builder();
    for (int i = 0; i < 16; i++) {
      long port = 31_000 + 64L * i;
      ports.ranges(Resources.PORTS, Ranges.of(port, port));
    }
    Resources used = Resources.parse(DECLINE_USED).plus(ports.build());
    nowMillis += INTERVAL_MILLIS;
    for (Allocation allocation : allocator.allocate(nowMillis)) {
      allocator.recover(allocation.frameworkId(), allocation.role(), allocation.agent().id(),
          allocation.resources().minus(used), null, nowMillis);
    }
  }

  static FrameworkId framework(int i) {
    return FrameworkId.of("framework-" + i);
  }

  static String role(int r) {
    return "role-" + r;
  }

  /** One allocation cycle, one interval after the last. */
  List<Allocation> allocate() {
    nowMillis += INTERVAL_MILLIS;
    return allocator.allocate(nowMillis);
  }

  /** Every framework answers each of its offers: declines it whole, with the scenario's filter. */
  void respond(List<Allocation> allocations) {
    for (Allocation allocation : allocations) {
      allocator.recover(allocation.frameworkId(), allocation.role(), allocation.agent().id(), allocation.resources(),
          refuseSeconds, nowMillis);
    }
  }
}
