package orrery.bench.jmh;

import java.util.concurrent.TimeUnit;
import orrery.protocol.resources.Ranges;
import orrery.protocol.resources.Resources;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Resource arithmetic as the allocator does it on every offer: an agent's total
 * ({@code cpus:24;mem:4096;disk:4096;ports:[31000-32000]}), what its tasks use (16 cpus and 16 single ports, as in
 * Mesos' DeclineOffers benchmark) and what is left (ports in 17 ranges); plus, minus and contains over them, and the
 * same on scalars alone.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ResourcesBenchmark {

  private Resources total;
  private Resources used;
  private Resources available;
  private Resources scalarsTotal;
  private Resources scalarsUsed;

  @Setup
  public void setUp() {
    total = Resources.parse("cpus:24;mem:4096;disk:4096;ports:[31000-32000]");
    Resources.Builder ports = Resources.builder();
    for (int i = 0; i < 16; i++) {
      long port = 31_000 + 64L * i + 1;
      ports.ranges(Resources.PORTS, Ranges.of(port, port));
    }
    used = Resources.parse("cpus:16;mem:2014;disk:1024").plus(ports.build());
    available = total.minus(used);
    scalarsTotal = total.scalarsOnly();
    scalarsUsed = used.scalarsOnly();
  }

  /** Used plus available: scalars added, 16 single ports merged into 17 ranges. */
  @Benchmark
  public Resources plusWithRanges() {
    return used.plus(available);
  }

  /** Total minus used: what an agent has available after a change. */
  @Benchmark
  public Resources minusWithRanges() {
    return total.minus(used);
  }

  /** Whether the total contains what is available (true: every kind is compared through). */
  @Benchmark
  public boolean containsWithRanges() {
    return total.contains(available);
  }

  @Benchmark
  public Resources plusScalars() {
    return scalarsUsed.plus(scalarsTotal);
  }

  @Benchmark
  public Resources minusScalars() {
    return scalarsTotal.minus(scalarsUsed);
  }

  @Benchmark
  public boolean containsScalars() {
    return scalarsTotal.contains(scalarsUsed);
  }
}
