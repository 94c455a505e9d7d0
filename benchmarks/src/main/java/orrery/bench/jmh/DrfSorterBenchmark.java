package orrery.bench.jmh;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import orrery.allocator.core.DrfSorter;
import orrery.allocator.core.ScalarPool;
import orrery.protocol.resources.Resources;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The DRF sorter as an allocation cycle uses it, with {@code clients} frameworks holding uneven amounts of a pool of
 * 1,000 agents of {@code cpus:16;mem:65536}: one allocation and its recovery (each moves the client within the
 * sorted set), the whole order, and the walk to the first client (what a cycle does per offer).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DrfSorterBenchmark {

  @Param({"1000"})
  public int clients;

  private DrfSorter sorter;
  private String[] names;
  private final Resources offer = Resources.cpusMem(8, 2048);
  private int next;

  @Setup
  public void setUp() {
    ScalarPool pool = new ScalarPool();
    Resources agent = Resources.cpusMem(16, 65536);
    for (int i = 0; i < 1000; i++) {
      pool.add(agent);
    }
    sorter = new DrfSorter(pool, java.util.Set.of());
    names = new String[clients];
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < clients; i++) {
      names[i] = "framework-" + i;
      sorter.add(names[i]);
      sorter.allocated(names[i], Resources.cpusMem(random.nextInt(1, 16), random.nextInt(1, 65536)));
    }
  }

  private String nextName() {
    String name = names[next];
    next = next + 1 == names.length ? 0 : next + 1;
    return name;
  }

  /** One allocation to a client and its recovery: two moves in the sorted set, as an offer and its decline. */
  @Benchmark
  public DrfSorter allocatedThenUnallocated() {
    String name = nextName();
    sorter.allocated(name, offer);
    sorter.unallocated(name, offer);
    return sorter;
  }

  /** An allocation, then the walk to the new first client, then the recovery: one offer in a cycle. */
  @Benchmark
  public String allocatedThenFirst() {
    String name = nextName();
    sorter.allocated(name, offer);
    String first = sorter.iterator().next();
    sorter.unallocated(name, offer);
    return first;
  }

  /** The full order of every active client. */
  @Benchmark
  public List<String> sort() {
    return sorter.sort();
  }

  /** The walk to the first client, with nothing changed since the last one. */
  @Benchmark
  public String iterateToFirst() {
    return sorter.iterator().next();
  }
}
