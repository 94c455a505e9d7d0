package orrery.allocator.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeSet;
import orrery.protocol.resources.Resources;

/**
 * Dominant Resource Fairness over a set of clients (roles, or the frameworks of one role), after the Mesos sorter: a
 * client's share is the largest fraction of the pool it holds of any scalar kind not excluded, divided by its weight;
 * ties go to the client with fewer allocations, then to the smaller name, so the order is deterministic.
 *
 * <p>Names form a tree by {@code /} ({@code eng/ads} is a child of {@code eng}), as Mesos' hierarchical roles do:
 * siblings are sorted by the share of their whole subtree, weighted by their own weight, and the order of clients is
 * a depth-first walk of that tree. A client that also has children ({@code eng} beside {@code eng/ads}) is a
 * virtual leaf among its own children.
 *
 * <p>The order is kept incrementally: each node's children sit in a {@link TreeSet} by (share, allocations, name),
 * and a change of a client's allocation moves it and its ancestors within their parents' sets. Only a change of the
 * pool, which changes every share, rebuilds the sets.
 *
 * <p>Invariants: a node sits in its parent's {@code sorted} set exactly when its subtree has an active client; a
 * node's {@code allocated} is the sum of its subtree's clients' allocations; keys of nodes in a set are only changed
 * while the node is out of it.
 */
public final class DrfSorter implements Iterable<String> {

  private static final Comparator<Node> ORDER = Comparator.comparingDouble((Node n) -> n.share)
      .thenComparingLong(n -> n.allocations).thenComparing(n -> n.name);

  private final ScalarPool pool;
  private final Set<String> excludedKinds;
  private final Node root = new Node("", null);
  /** Internal nodes by path (every client has one: its subtree). */
  private final Map<String, Node> nodes = new HashMap<>();
  /** Clients by name: the leaves that hold allocations. */
  private final Map<String, Node> clients = new HashMap<>();
  private final Map<String, Double> weights = new HashMap<>();
  private boolean[] excluded = new boolean[0];
  private long poolVersion = -1;

  private final boolean hierarchical;

  /** A sorter of roles: names are paths by {@code /}. */
  public DrfSorter(ScalarPool pool, Set<String> excludedKinds) {
    this(pool, excludedKinds, true);
  }

  /**
   * @param hierarchical whether {@code /} makes names a tree (roles), or is just a character (framework ids, which
   *     are opaque)
   */
  public DrfSorter(ScalarPool pool, Set<String> excludedKinds, boolean hierarchical) {
    this.pool = pool;
    this.excludedKinds = Set.copyOf(excludedKinds);
    this.hierarchical = hierarchical;
  }

  /** Adds an inactive-by-nothing client: it is active from the start, as in Mesos. */
  public void add(String name) {
    if (clients.containsKey(name)) {
      return;
    }
    Node subtree = internal(name);
    Node leaf = new Node(name, subtree);
    leaf.leaf = true;
    subtree.self = leaf;
    clients.put(name, leaf);
    setActive(leaf, true);
  }

  public void remove(String name) {
    Node leaf = clients.remove(name);
    if (leaf == null) {
      return;
    }
    setActive(leaf, false);
    // What it held leaves its ancestors' sums with it.
    moveAllocation(leaf, leaf.allocated, -1, false);
    Node subtree = leaf.parent;
    subtree.self = null;
    for (Node node = subtree; node != root && node.self == null && node.children.isEmpty(); node = node.parent) {
      node.parent.children.remove(lastSegment(node.name));
      nodes.remove(node.name);
    }
  }

  public boolean contains(String name) {
    return clients.containsKey(name);
  }

  public boolean isEmpty() {
    return clients.isEmpty();
  }

  public void activate(String name) {
    setActive(client(name), true);
  }

  public void deactivate(String name) {
    setActive(client(name), false);
  }

  public boolean isActive(String name) {
    return client(name).active;
  }

  /** The weight of a name (a client or an inner node of the tree); kept for names that do not exist yet. */
  public void setWeight(String name, double weight) {
    if (!(weight > 0) || Double.isInfinite(weight) || Double.isNaN(weight)) {
      throw new IllegalArgumentException("weight must be a positive number, not " + weight);
    }
    weights.put(name, weight);
    Node node = nodes.get(name);
    if (node != null) {
      reposition(node, () -> {
        node.weight = weight;
        node.share = share(node);
      });
    }
  }

  public double weight(String name) {
    return weights.getOrDefault(name, 1.0);
  }

  public void allocated(String name, Resources resources) {
    allocated(name, pool.vector(resources));
  }

  public void unallocated(String name, Resources resources) {
    unallocated(name, pool.vector(resources));
  }

  /** As {@link #allocated(String, Resources)}, with the scalars already a vector of the pool's kinds. */
  void allocated(String name, long[] vector) {
    moveAllocation(client(name), vector, 1, true);
  }

  void unallocated(String name, long[] vector) {
    Node leaf = clients.get(name);
    if (leaf != null) {
      moveAllocation(leaf, vector, -1, false);
    }
  }

  /** The weighted dominant share of a name's subtree (for a client without children: its own share). */
  public double share(String name) {
    refreshIfPoolChanged();
    Node node = nodes.get(name);
    if (node == null) {
      throw new IllegalArgumentException("unknown sorter client '" + name + "'");
    }
    return node.share;
  }

  /** What the name's subtree holds, in milli-units of each scalar kind. */
  public long allocatedMillis(String name, String kind) {
    Node node = nodes.get(name);
    int i = pool.index(kind);
    return node == null || i >= node.allocated.length ? 0 : node.allocated[i];
  }

  /** Active clients, lowest share first. */
  public List<String> sort() {
    List<String> order = new ArrayList<>();
    iterator().forEachRemaining(order::add);
    return order;
  }

  /**
   * Active clients in order, walked lazily so that a caller who stops at the first fit pays for no more. The
   * iterator must not be used after the sorter changes.
   */
  @Override
  public Iterator<String> iterator() {
    refreshIfPoolChanged();
    return new Walk(root);
  }

  // ---- the tree ----

  private Node internal(String path) {
    Node node = nodes.get(path);
    if (node != null) {
      return node;
    }
    int slash = hierarchical ? path.lastIndexOf('/') : -1;
    Node parent = slash < 0 ? root : internal(path.substring(0, slash));
    node = new Node(path, parent);
    node.weight = weights.getOrDefault(path, 1.0);
    parent.children.put(lastSegment(path), node);
    nodes.put(path, node);
    return node;
  }

  private void setActive(Node leaf, boolean active) {
    if (leaf.active == active) {
      return;
    }
    leaf.active = active;
    int delta = active ? 1 : -1;
    // Walk up: a node enters its parent's set when its subtree gets its first active client, and leaves with the last.
    for (Node node = leaf; node != root; node = node.parent) {
      boolean wasVisible = node.activeClients > 0;
      node.activeClients += delta;
      boolean visible = node.activeClients > 0;
      if (wasVisible != visible) {
        if (visible) {
          node.share = share(node);
          node.parent.sorted.add(node);
        } else {
          node.parent.sorted.remove(node);
        }
      }
    }
  }

  /** Adds {@code sign * vector} to the leaf and its ancestors, moving each within its parent's set. */
  private void moveAllocation(Node leaf, long[] vector, int sign, boolean countsAsAllocation) {
    refreshIfPoolChanged();
    List<Node> path = new ArrayList<>(4);
    for (Node node = leaf; node != root; node = node.parent) {
      path.add(node);
    }
    for (Node node : path) {
      if (node.activeClients > 0) {
        node.parent.sorted.remove(node);
      }
    }
    long[] delta = vector == leaf.allocated ? vector.clone() : vector;
    for (Node node : path) {
      node.add(delta, sign);
      if (countsAsAllocation) {
        node.allocations++;
      }
      node.share = share(node);
    }
    for (Node node : path) {
      if (node.activeClients > 0) {
        node.parent.sorted.add(node);
      }
    }
  }

  private void reposition(Node node, Runnable change) {
    boolean visible = node.activeClients > 0;
    if (visible) {
      node.parent.sorted.remove(node);
    }
    change.run();
    if (visible) {
      node.parent.sorted.add(node);
    }
  }

  private void refreshIfPoolChanged() {
    if (poolVersion == pool.version()) {
      return;
    }
    poolVersion = pool.version();
    excluded = new boolean[pool.kindCount()];
    for (int i = 0; i < excluded.length; i++) {
      excluded[i] = excludedKinds.contains(pool.kind(i));
    }
    rebuild(root);
  }

  /** Every share changes with the pool: recompute them bottom-up and refill the sets. */
  private void rebuild(Node node) {
    node.sorted.clear();
    for (Node child : node.children.values()) {
      rebuild(child);
    }
    if (node.self != null) {
      node.self.share = share(node.self);
      if (node.self.active) {
        node.sorted.add(node.self);
      }
    }
    for (Node child : node.children.values()) {
      if (child.activeClients > 0) {
        node.sorted.add(child);
      }
    }
    if (node != root) {
      node.share = share(node);
    }
  }

  private double share(Node node) {
    double dominant = 0;
    long[] allocated = node.allocated;
    for (int i = 0; i < allocated.length; i++) {
      if (allocated[i] == 0 || (i < excluded.length && excluded[i])) {
        continue;
      }
      long total = pool.total(i);
      if (total > 0) {
        dominant = Math.max(dominant, allocated[i] / (double) total);
      }
    }
    // A virtual leaf competes with its siblings at weight 1; every other node carries its name's weight.
    return dominant / (node.leaf ? 1.0 : node.weight);
  }

  private Node client(String name) {
    Node client = clients.get(name);
    if (client == null) {
      throw new IllegalArgumentException("unknown sorter client '" + name + "'");
    }
    return client;
  }

  private String lastSegment(String path) {
    return hierarchical ? path.substring(path.lastIndexOf('/') + 1) : path;
  }

  private static final class Node {
    final String name;
    final Node parent;
    final Map<String, Node> children = new HashMap<>(2);
    final TreeSet<Node> sorted = new TreeSet<>(ORDER);
    /** The client of this very name, when there is one (a virtual leaf below this node). */
    Node self;
    boolean leaf;
    boolean active;
    int activeClients;
    double weight = 1.0;
    long[] allocated = new long[0];
    long allocations;
    double share;

    Node(String name, Node parent) {
      this.name = name;
      this.parent = parent;
    }

    void add(long[] delta, int sign) {
      if (allocated.length < delta.length) {
        allocated = Arrays.copyOf(allocated, delta.length);
      }
      for (int i = 0; i < delta.length; i++) {
        allocated[i] = Math.max(0, allocated[i] + sign * delta[i]);
      }
    }
  }

  /** A depth-first walk of the sets: inner nodes are passed through, leaves are yielded. */
  private static final class Walk implements Iterator<String> {
    private final Deque<Iterator<Node>> stack = new ArrayDeque<>();
    private Node next;

    Walk(Node root) {
      stack.push(root.sorted.iterator());
      advance();
    }

    private void advance() {
      next = null;
      while (!stack.isEmpty()) {
        Iterator<Node> top = stack.peek();
        if (!top.hasNext()) {
          stack.pop();
          continue;
        }
        Node node = top.next();
        if (node.leaf) {
          next = node;
          return;
        }
        stack.push(node.sorted.iterator());
      }
    }

    @Override
    public boolean hasNext() {
      return next != null;
    }

    @Override
    public String next() {
      if (next == null) {
        throw new NoSuchElementException();
      }
      String name = next.name;
      advance();
      return name;
    }
  }
}
