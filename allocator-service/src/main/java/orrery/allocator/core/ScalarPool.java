package orrery.allocator.core;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import orrery.protocol.resources.Resources;

/**
 * The cluster's total scalar resources, the denominator of every DRF share, and the index of scalar kinds that
 * lets sorters keep their allocations as plain {@code long[]} vectors of milli-units. Sorters compare
 * {@link #version()} with the one they last sorted at, so a change of the pool re-sorts them lazily.
 */
public final class ScalarPool {

  private final Map<String, Integer> kindIndex = new HashMap<>();
  private String[] kinds = new String[0];
  private long[] totals = new long[0];
  private long version;

  public void add(Resources resources) {
    resources.scalarMillis().forEach((name, millis) -> {
      int i = index(name); // first: a new kind grows the array
      totals[i] += millis;
    });
    version++;
  }

  public void remove(Resources resources) {
    resources.scalarMillis().forEach((name, millis) -> {
      int i = index(name);
      totals[i] = Math.max(0, totals[i] - millis);
    });
    version++;
  }

  public long totalMillis(String name) {
    Integer i = kindIndex.get(name);
    return i == null ? 0 : totals[i];
  }

  /** The scalars of {@code resources} as a vector indexed by kind; kinds not seen before get an index now. */
  long[] vector(Resources resources) {
    Map<String, Long> scalars = resources.scalarMillis();
    long[] vector = new long[kinds.length + scalars.size()];
    scalars.forEach((name, millis) -> {
      int i = index(name);
      vector[i] = millis;
    });
    return vector;
  }

  int index(String kind) {
    Integer i = kindIndex.get(kind);
    if (i != null) {
      return i;
    }
    int next = kinds.length;
    kindIndex.put(kind, next);
    kinds = Arrays.copyOf(kinds, next + 1);
    kinds[next] = kind;
    totals = Arrays.copyOf(totals, next + 1);
    return next;
  }

  int kindCount() {
    return kinds.length;
  }

  String kind(int index) {
    return kinds[index];
  }

  long total(int index) {
    return index < totals.length ? totals[index] : 0;
  }

  long version() {
    return version;
  }
}
