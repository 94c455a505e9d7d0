package orrery.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import orrery.protocol.messages.AllocatorMessages.Allocation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The allocator at scale, in memory: builds a scenario's cluster on the allocator's core (no event bus, no network),
 * runs {@code --warmup} cycles to let the JIT compile the cycle, then {@code --cycles} measured ones, and prints one
 * JSON line per scenario.
 *
 * <p>A cycle is {@link orrery.allocator.core.Allocator#allocate}, timed alone ({@code median_cycle_ms},
 * {@code max_cycle_ms}); then every framework answers its offers as the scenario says, timed apart
 * ({@code median_respond_ms}). Time is simulated, one allocation interval (1 s) per cycle, so nothing sleeps.
 * {@code heap_mb} is the heap in use after a full collection at the end, with the whole workload still alive. The
 * scenarios are described in {@link AllocatorScenario}.
 */
@Command(name = "allocator", mixinStandardHelpOptions = true,
    description = "Allocation cycle time and heap at scale (decline-offers, scale, quota), in memory.")
final class AllocatorBenchmark implements Callable<Integer> {

  @Option(names = "--scenario", description = "decline-offers, scale or quota (default: all three, in that order).")
  String scenario;

  @Option(names = "--cycles", defaultValue = "30", description = "Measured cycles (default: ${DEFAULT-VALUE}).")
  int cycles;

  @Option(names = "--warmup", defaultValue = "10",
      description = "Cycles run first and left out of the figures (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the agents' shuffle (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--agents", description = "Agents, instead of the scenario's own number.")
  Integer agents;

  @Option(names = "--frameworks", description = "Frameworks, instead of the scenario's own number (quota: one role each).")
  Integer frameworks;

  @Option(names = "--agent-resources",
      description = "Each agent's resources, instead of the scenario's own (e.g. 'cpus:16;mem:16384').")
  String agentResources;

  @Override
  public Integer call() {
    if (cycles < 1 || warmup < 0) {
      System.err.println("allocator: --cycles must be at least 1 and --warmup at least 0");
      return 2;
    }
    List<String> names = scenario == null ? AllocatorScenario.NAMES : List.of(scenario);
    for (String name : names) {
      if (!AllocatorScenario.NAMES.contains(name)) {
        System.err.println("allocator: unknown scenario '" + name + "'; known: "
            + String.join(", ", AllocatorScenario.NAMES));
        return 2;
      }
    }
    for (String name : names) {
      System.out.println(run(name).encode());
      System.out.flush();
      System.gc(); // the next scenario's heap figure starts clean
    }
    return 0;
  }

  private JsonObject run(String name) {
    int agentCount = agents != null ? agents : AllocatorScenario.defaultAgents(name);
    int frameworkCount = frameworks != null ? frameworks : AllocatorScenario.defaultFrameworks(name);
    String resources = agentResources != null ? agentResources : AllocatorScenario.defaultAgentResources(name);
    System.err.printf("allocator: %s: building %d agents of %s, %d frameworks...%n", name, agentCount, resources,
        frameworkCount);
    long start = System.nanoTime();
    AllocatorScenario workload = AllocatorScenario.build(name, agentCount, frameworkCount, resources, seed);
    double setupMs = millis(System.nanoTime() - start);
    System.err.printf("allocator: %s: built in %.0f ms; %d warm-up and %d measured cycles%n", name, setupMs, warmup,
        cycles);

    double[] cycleMs = new double[cycles];
    double[] respondMs = new double[cycles];
    int[] offers = new int[cycles];
    for (int i = 0; i < warmup + cycles; i++) {
      long t0 = System.nanoTime();
      List<Allocation> allocations = workload.allocate();
      long t1 = System.nanoTime();
      workload.respond(allocations);
      long t2 = System.nanoTime();
      int m = i - warmup;
      if (m >= 0) {
        cycleMs[m] = millis(t1 - t0);
        respondMs[m] = millis(t2 - t1);
        offers[m] = allocations.size();
      }
      if ((i + 1) % 10 == 0 || i == 0) {
        System.err.printf("allocator: %s: cycle %d%s: %.1f ms, %d offers; answering them %.1f ms%n", name, i + 1,
            m < 0 ? " (warm-up)" : "", millis(t1 - t0), allocations.size(), millis(t2 - t1));
      }
    }

    long heapBytes = usedHeapAfterGc();
    Reference.reachabilityFence(workload);
    int[] sortedOffers = offers.clone();
    Arrays.sort(sortedOffers);
    return new JsonObject()
        .put("benchmark", "allocator")
        .put("scenario", name)
        .put("agents", agentCount)
        .put("frameworks", frameworkCount)
        .put("agent_resources", resources)
        .put("roles", workload.roleCount)
        .put("cycles", cycles)
        .put("warmup", warmup)
        .put("median_cycle_ms", round(median(cycleMs)))
        .put("max_cycle_ms", round(Arrays.stream(cycleMs).max().orElse(0)))
        .put("median_respond_ms", round(median(respondMs)))
        .put("median_offers", sortedOffers[sortedOffers.length / 2])
        .put("setup_ms", Math.round(setupMs))
        .put("heap_mb", Math.round(heapBytes / (1024.0 * 1024.0)))
        .put("jvm", Runtime.version().toString())
        .put("jvm_args", new JsonArray(new ArrayList<>(ManagementFactory.getRuntimeMXBean().getInputArguments())));
  }

  static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }

  private static double round(double ms) {
    return Math.round(ms * 100) / 100.0;
  }
}
