package orrery.allocator.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Set;
import org.junit.jupiter.api.Test;
import orrery.protocol.resources.Resources;

class DrfSorterTest {

  private final ScalarPool pool = new ScalarPool();

  @Test
  void sortsByDominantShare() {
    pool.add(Resources.cpusMem(100, 100));
    DrfSorter sorter = new DrfSorter(pool, Set.of());
    sorter.add("a");
    sorter.add("b");
    sorter.allocated("a", Resources.cpusMem(5, 5));
    sorter.allocated("b", Resources.cpusMem(6, 6));
    // shares: a = .05, b = .06
    assertThat(sorter.share("a")).isCloseTo(0.05, within(1e-9));
    assertThat(sorter.share("b")).isCloseTo(0.06, within(1e-9));
    assertThat(sorter.sort()).containsExactly("a", "b");

    sorter.allocated("a", Resources.cpusMem(0, 2));
    // a holds 5 cpus and 7 mem: its dominant share is mem, .07 > .06
    assertThat(sorter.sort()).containsExactly("b", "a");

    sorter.unallocated("a", Resources.cpusMem(0, 7));
    // a = .05 again (cpus)
    assertThat(sorter.sort()).containsExactly("a", "b");
  }

  @Test
  void weightsDivideTheShare() {
    pool.add(Resources.cpusMem(10, 10));
    DrfSorter sorter = new DrfSorter(pool, Set.of());
    sorter.add("heavy");
    sorter.add("light");
    sorter.setWeight("heavy", 2.0);
    sorter.allocated("heavy", Resources.cpusMem(4, 0));
    sorter.allocated("light", Resources.cpusMem(3, 0));
    // heavy = .4 / 2 = .2, light = .3 / 1 = .3
    assertThat(sorter.sort()).containsExactly("heavy", "light");
    assertThatThrownBy(() -> sorter.setWeight("light", 0)).hasMessageContaining("positive");
  }

  @Test
  void tiesBrokenByAllocationCountThenName() {
    pool.add(Resources.cpusMem(10, 10));
    DrfSorter sorter = new DrfSorter(pool, Set.of());
    sorter.add("b");
    sorter.add("a");
    assertThat(sorter.sort()).containsExactly("a", "b");
    sorter.allocated("a", Resources.cpusMem(1, 0));
    sorter.unallocated("a", Resources.cpusMem(1, 0));
    // both at share 0, but a has had one allocation
    assertThat(sorter.sort()).containsExactly("b", "a");
  }

  @Test
  void excludedKindsDoNotCount() {
    pool.add(Resources.builder().scalar("cpus", 100).scalar("gpus", 1).build());
    DrfSorter sorter = new DrfSorter(pool, Set.of("gpus"));
    sorter.add("a");
    sorter.allocated("a", Resources.builder().scalar("cpus", 10).scalar("gpus", 1).build());
    // gpus would make it 1.0; without them it is 10/100
    assertThat(sorter.share("a")).isCloseTo(0.1, within(1e-9));
  }

  @Test
  void inactiveClientsAreNotSortedAndPoolChangesReSort() {
    pool.add(Resources.cpusMem(10, 10));
    DrfSorter sorter = new DrfSorter(pool, Set.of());
    sorter.add("a");
    sorter.add("b");
    sorter.allocated("a", Resources.cpusMem(2, 0));
    sorter.allocated("b", Resources.cpusMem(0, 3));
    assertThat(sorter.sort()).containsExactly("a", "b");
    // more cpus in the pool: a = 2/40 = .05, b = 3/10 = .3; unchanged order
    pool.add(Resources.cpusMem(30, 0));
    assertThat(sorter.share("a")).isCloseTo(0.05, within(1e-9));
    // more mem: b = 3/110 = .027 < a = .05
    pool.add(Resources.cpusMem(0, 100));
    assertThat(sorter.sort()).containsExactly("b", "a");
    sorter.deactivate("b");
    assertThat(sorter.sort()).containsExactly("a");
  }

  @Test
  void siblingsAreSortedByTheShareOfTheirWholeSubtree() {
    pool.add(Resources.cpusMem(10, 10));
    DrfSorter sorter = new DrfSorter(pool, Set.of());
    sorter.add("eng/ads");
    sorter.add("eng/search");
    sorter.add("ops");
    sorter.allocated("eng/ads", Resources.cpusMem(1, 0));
    sorter.allocated("eng/search", Resources.cpusMem(3, 0));
    sorter.allocated("ops", Resources.cpusMem(2, 0));
    // leaves: eng/ads = .1, eng/search = .3, ops = .2; but at the root eng = (1 + 3) / 10 = .4 > ops = .2,
    // so ops comes first (flat DRF would say eng/ads, ops, eng/search)
    assertThat(sorter.share("eng")).isCloseTo(0.4, within(1e-9));
    assertThat(sorter.sort()).containsExactly("ops", "eng/ads", "eng/search");
    sorter.setWeight("eng", 4);
    // eng = .4 / 4 = .1 < ops = .2
    assertThat(sorter.sort()).containsExactly("eng/ads", "eng/search", "ops");
  }

  @Test
  void aSubtreeWithoutAnActiveClientIsSkippedButItsAllocationStillCounts() {
    pool.add(Resources.cpusMem(10, 10));
    DrfSorter sorter = new DrfSorter(pool, Set.of());
    sorter.add("eng/ads");
    sorter.add("eng/search");
    sorter.add("ops");
    sorter.allocated("eng/ads", Resources.cpusMem(4, 0));
    sorter.allocated("ops", Resources.cpusMem(2, 0));
    sorter.deactivate("eng/ads");
    sorter.deactivate("eng/search");
    assertThat(sorter.sort()).containsExactly("ops");
    sorter.activate("eng/search");
    // eng = .4 (ads is inactive but holds 4 cpus) > ops = .2
    assertThat(sorter.sort()).containsExactly("ops", "eng/search");
    sorter.unallocated("eng/ads", Resources.cpusMem(4, 0));
    // eng = 0 < ops = .2
    assertThat(sorter.sort()).containsExactly("eng/search", "ops");
  }

  @Test
  void removingTheLastClientOfASubtreeRemovesItsInnerNodes() {
    pool.add(Resources.cpusMem(10, 10));
    DrfSorter sorter = new DrfSorter(pool, Set.of());
    sorter.add("a/b/c");
    sorter.add("d");
    sorter.allocated("a/b/c", Resources.cpusMem(5, 0));
    // a = .5 > d = 0
    assertThat(sorter.sort()).containsExactly("d", "a/b/c");
    sorter.remove("a/b/c");
    assertThatThrownBy(() -> sorter.share("a")).hasMessageContaining("unknown");
    assertThatThrownBy(() -> sorter.share("a/b")).hasMessageContaining("unknown");
    // a client of the same name starts afresh: share 0, no allocations; "a/b/c" < "d" by name
    sorter.add("a/b/c");
    assertThat(sorter.share("a")).isZero();
    assertThat(sorter.sort()).containsExactly("a/b/c", "d");
  }
}
