package orrery.allocator.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import orrery.protocol.resources.Resources;

/**
 * Dominant Resource Fairness over a set of clients (roles, or the frameworks of one role), after the Mesos sorter:
 * a client's share is the largest fraction of the pool it holds of any scalar kind, divided by its weight. Clients
 * are sorted by share, then by how many allocations they have had, then by name, so the order is deterministic.
 *
 * <p>Sorting is lazy: any change marks the order dirty and the next {@link #sort()} recomputes it.
 */
public final class DrfSorter {

  private final ScalarPool pool;
  private final Set<String> excludedKinds;
  private final Map<String, Client> clients = new HashMap<>();
  private List<String> order = List.of();
  private boolean dirty;
  private long poolVersion = -1;

  public DrfSorter(ScalarPool pool, Set<String> excludedKinds) {
    this.pool = pool;
    this.excludedKinds = Set.copyOf(excludedKinds);
  }

  public void add(String name) {
    if (clients.putIfAbsent(name, new Client(name)) == null) {
      dirty = true;
    }
  }

  public void remove(String name) {
    if (clients.remove(name) != null) {
      dirty = true;
    }
  }

  public boolean contains(String name) {
    return clients.containsKey(name);
  }

  public boolean isEmpty() {
    return clients.isEmpty();
  }

  public void activate(String name) {
    client(name).active = true;
    dirty = true;
  }

  public void deactivate(String name) {
    client(name).active = false;
    dirty = true;
  }

  public void setWeight(String name, double weight) {
    if (!(weight > 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException("weight must be a positive number, not " + weight);
    }
    client(name).weight = weight;
    dirty = true;
  }

  public void allocated(String name, Resources resources) {
    Client client = client(name);
    resources.scalarMillis().forEach((kind, millis) -> client.allocated.merge(kind, millis, Long::sum));
    client.allocations++;
    dirty = true;
  }

  public void unallocated(String name, Resources resources) {
    Client client = clients.get(name);
    if (client == null) {
      return;
    }
    resources.scalarMillis().forEach((kind, millis) ->
        client.allocated.computeIfPresent(kind, (k, v) -> v - millis > 0 ? v - millis : null));
    dirty = true;
  }

  /** The client's weighted dominant share, between 0 and 1 divided by its weight. */
  public double share(String name) {
    return computeShare(client(name));
  }

  /** Active clients, lowest share first. */
  public List<String> sort() {
    if (dirty || poolVersion != pool.version()) {
      List<Client> active = new ArrayList<>(clients.size());
      for (Client client : clients.values()) {
        if (client.active) {
          client.share = computeShare(client);
          active.add(client);
        }
      }
      active.sort(Comparator.comparingDouble((Client c) -> c.share)
          .thenComparingLong(c -> c.allocations)
          .thenComparing(c -> c.name));
      order = active.stream().map(c -> c.name).toList();
      dirty = false;
      poolVersion = pool.version();
    }
    return order;
  }

  private double computeShare(Client client) {
    double dominant = 0;
    for (Map.Entry<String, Long> entry : client.allocated.entrySet()) {
      if (excludedKinds.contains(entry.getKey())) {
        continue;
      }
      long total = pool.totalMillis(entry.getKey());
      if (total > 0) {
        dominant = Math.max(dominant, entry.getValue() / (double) total);
      }
    }
    return dominant / client.weight;
  }

  private Client client(String name) {
    Client client = clients.get(name);
    if (client == null) {
      throw new IllegalArgumentException("unknown sorter client '" + name + "'");
    }
    return client;
  }

  private static final class Client {
    final String name;
    final Map<String, Long> allocated = new HashMap<>();
    boolean active = true;
    double weight = 1.0;
    long allocations;
    double share;

    Client(String name) {
      this.name = name;
    }
  }
}
