package orrery.allocator.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.ShrinkingMode;
import orrery.protocol.resources.Resources;

/**
 * The incrementally kept {@link DrfSorter} against a sorter computed from scratch after every step: the tree of
 * names by '/', each level sorted by (weighted share of the subtree, allocations, name), a client with children a
 * virtual leaf at weight 1 among them, inactive clients and subtrees without an active client left out.
 *
 * <p>Allocation counts are those of the sorter's nodes: a node counts every allocation made in its subtree, including
 * by clients since removed, for as long as the node exists (while a client remains in its subtree), as in Mesos.
 */
class DrfSorterPropertiesTest {

  private static final String[] NAMES = {"a", "a/b", "a/b/c", "a/c", "b", "c/d", "c", "d/e/f"};
  private static final Resources[] AMOUNTS = {
      Resources.parse("cpus:1"), Resources.parse("mem:1024"), Resources.parse("cpus:0.5;mem:100"),
      Resources.parse("cpus:2;mem:512;gpus:1"), Resources.parse("gpus:2"), Resources.parse("disk:100;cpus:0.001")};
  private static final Resources[] POOL = {
      Resources.parse("cpus:4;mem:4096"), Resources.parse("cpus:16;mem:1024;gpus:4"),
      Resources.parse("disk:1000;mem:100"), Resources.parse("cpus:1")};
  private static final double[] WEIGHTS = {0.25, 1, 2, 3};
  private static final Set<String> EXCLUDED = Set.of("gpus");

  enum Kind { ADD, REMOVE, ACTIVATE, DEACTIVATE, ALLOCATED, UNALLOCATED, WEIGHT, POOL_ADD, POOL_REMOVE }

  record Op(Kind kind, int a, int b) {}

  @Provide
  Arbitrary<List<Op>> operations() {
    Arbitrary<Kind> kind = Arbitraries.frequency(
        net.jqwik.api.Tuple.of(6, Kind.ADD), net.jqwik.api.Tuple.of(2, Kind.REMOVE),
        net.jqwik.api.Tuple.of(2, Kind.ACTIVATE), net.jqwik.api.Tuple.of(2, Kind.DEACTIVATE),
        net.jqwik.api.Tuple.of(10, Kind.ALLOCATED), net.jqwik.api.Tuple.of(5, Kind.UNALLOCATED),
        net.jqwik.api.Tuple.of(2, Kind.WEIGHT), net.jqwik.api.Tuple.of(2, Kind.POOL_ADD),
        net.jqwik.api.Tuple.of(1, Kind.POOL_REMOVE));
    Arbitrary<Integer> n = Arbitraries.integers().between(0, 999);
    return Combinators.combine(kind, n, n).as(Op::new).list().ofMinSize(1).ofMaxSize(60)
        .withSizeDistribution(RandomDistribution.uniform());
  }

  @Property(tries = 400, shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE)
  void incrementalOrderEqualsOrderFromScratch(@ForAll("operations") List<Op> ops) {
    Model model = new Model();
    model.apply(new Op(Kind.POOL_ADD, 0, 0));
    for (Op op : ops) {
      model.apply(op);
      model.check(op);
    }
  }

  private static final class Model {
    final ScalarPool pool = new ScalarPool();
    final DrfSorter sorter = new DrfSorter(pool, EXCLUDED);
    final Map<String, Long> poolTotals = new HashMap<>();
    final List<Resources> poolParts = new ArrayList<>();
    final Map<String, Boolean> active = new LinkedHashMap<>();
    final Map<String, Resources> held = new HashMap<>();
    final Map<String, Long> leafCount = new HashMap<>();
    final Map<String, Long> nodeCount = new HashMap<>();
    final Map<String, Double> weights = new HashMap<>();

    void apply(Op op) {
      String name = NAMES[op.a() % NAMES.length];
      switch (op.kind()) {
        case ADD -> {
          sorter.add(name);
          if (!active.containsKey(name)) {
            active.put(name, true);
            held.put(name, Resources.empty());
            leafCount.put(name, 0L);
          }
        }
        case REMOVE -> {
          sorter.remove(name);
          if (active.remove(name) != null) {
            held.remove(name);
            leafCount.remove(name);
            nodeCount.keySet().removeIf(path -> active.keySet().stream().noneMatch(c -> inSubtree(c, path)));
          }
        }
        case ACTIVATE, DEACTIVATE -> {
          if (!active.containsKey(name)) {
            return;
          }
          boolean on = op.kind() == Kind.ACTIVATE;
          if (on) {
            sorter.activate(name);
          } else {
            sorter.deactivate(name);
          }
          active.put(name, on);
          assertThat(sorter.isActive(name)).isEqualTo(on);
        }
        case ALLOCATED -> {
          if (!active.containsKey(name)) {
            return;
          }
          Resources amount = AMOUNTS[op.b() % AMOUNTS.length];
          sorter.allocated(name, amount);
          held.merge(name, amount, Resources::plus);
          leafCount.merge(name, 1L, Long::sum);
          for (String path : path(name)) {
            nodeCount.merge(path, 1L, Long::sum);
          }
        }
        case UNALLOCATED -> {
          if (!active.containsKey(name)) {
            return;
          }
          Resources amount = switch (op.b() % 3) {
            case 0 -> held.get(name);
            case 1 -> half(held.get(name));
            default -> held.get(name).minus(held.get(name).minus(AMOUNTS[op.b() % AMOUNTS.length]));
          };
          sorter.unallocated(name, amount);
          held.put(name, held.get(name).minus(amount));
        }
        case WEIGHT -> {
          // a client's name or an inner node's ("c" is inner as long as only "c/d" exists; "d/e" is always inner)
          String target = op.b() % 5 == 4 ? "d/e" : name;
          double weight = WEIGHTS[op.b() % WEIGHTS.length];
          sorter.setWeight(target, weight);
          weights.put(target, weight);
          assertThat(sorter.weight(target)).isEqualTo(weight);
        }
        case POOL_ADD -> {
          Resources part = POOL[op.b() % POOL.length];
          pool.add(part);
          poolParts.add(part);
          part.scalarMillis().forEach((k, v) -> poolTotals.merge(k, v, Long::sum));
        }
        case POOL_REMOVE -> {
          if (poolParts.size() <= 1) {
            return;
          }
          Resources part = poolParts.remove(op.b() % poolParts.size());
          pool.remove(part);
          part.scalarMillis().forEach((k, v) -> poolTotals.merge(k, -v, Long::sum));
        }
        default -> throw new AssertionError(op);
      }
    }

    void check(Op after) {
      assertThat(sorter.sort()).as("order after %s; held %s, weights %s, pool %s", after, held, weights, poolTotals)
          .isEqualTo(order(""));
      Set<String> paths = new TreeSet<>();
      active.keySet().forEach(client -> paths.addAll(path(client)));
      for (String path : paths) {
        // every path with a client in its subtree has a share: its subtree's, weighted by its own weight
        assertThat(sorter.share(path)).as("share of %s after %s", path, after)
            .isEqualTo(dominant(subtree(path)) / weights.getOrDefault(path, 1.0));
      }
      for (String client : active.keySet()) {
        assertThat(sorter.contains(client)).isTrue();
        assertThat(sorter.share(client)).as("share of %s after %s", client, after)
            .isEqualTo(dominant(subtree(client)) / weights.getOrDefault(client, 1.0));
        for (String kind : List.of("cpus", "mem", "gpus", "disk")) {
          assertThat(sorter.allocatedMillis(client, kind)).isEqualTo(subtree(client).getOrDefault(kind, 0L));
        }
      }
      assertThat(sorter.isEmpty()).isEqualTo(active.isEmpty());
    }

    /** The depth-first order below {@code path}, computed from scratch. */
    private List<String> order(String path) {
      record Entry(String name, boolean leaf, double share, long count) {}
      List<Entry> entries = new ArrayList<>();
      if (!path.isEmpty() && Boolean.TRUE.equals(active.get(path))) {
        entries.add(new Entry(path, true, dominant(held.get(path).scalarMillis()), leafCount.get(path)));
      }
      Set<String> children = new TreeSet<>();
      for (String client : active.keySet()) {
        if (path.isEmpty() || client.startsWith(path + "/")) {
          String rest = path.isEmpty() ? client : client.substring(path.length() + 1);
          int slash = rest.indexOf('/');
          children.add((path.isEmpty() ? "" : path + "/") + (slash < 0 ? rest : rest.substring(0, slash)));
        }
      }
      for (String child : children) {
        boolean anyActive = active.entrySet().stream().anyMatch(e -> e.getValue() && inSubtree(e.getKey(), child));
        if (anyActive) {
          entries.add(new Entry(child, false, dominant(subtree(child)) / weights.getOrDefault(child, 1.0),
              nodeCount.getOrDefault(child, 0L)));
        }
      }
      entries.sort(Comparator.comparingDouble(Entry::share).thenComparingLong(Entry::count)
          .thenComparing(Entry::name));
      List<String> order = new ArrayList<>();
      for (Entry entry : entries) {
        if (entry.leaf()) {
          order.add(entry.name());
        } else {
          order.addAll(order(entry.name()));
        }
      }
      return order;
    }

    private Map<String, Long> subtree(String path) {
      Map<String, Long> sum = new HashMap<>();
      held.forEach((client, resources) -> {
        if (inSubtree(client, path)) {
          resources.scalarMillis().forEach((k, v) -> sum.merge(k, v, Long::sum));
        }
      });
      return sum;
    }

    private double dominant(Map<String, Long> allocated) {
      double share = 0;
      for (Map.Entry<String, Long> entry : allocated.entrySet()) {
        long total = Math.max(0, poolTotals.getOrDefault(entry.getKey(), 0L));
        if (entry.getValue() != 0 && !EXCLUDED.contains(entry.getKey()) && total > 0) {
          share = Math.max(share, entry.getValue() / (double) total);
        }
      }
      return share;
    }
  }

  private static boolean inSubtree(String name, String path) {
    return name.equals(path) || name.startsWith(path + "/");
  }

  /** The name and its ancestors. */
  private static List<String> path(String name) {
    List<String> path = new ArrayList<>();
    for (String node = name; ; node = node.substring(0, node.lastIndexOf('/'))) {
      path.add(node);
      if (node.indexOf('/') < 0) {
        return path;
      }
    }
  }

  private static Resources half(Resources resources) {
    Resources.Builder builder = Resources.builder();
    resources.scalarMillis().forEach((k, v) -> builder.scalarMillis(k, v / 2));
    return builder.build();
  }
}
