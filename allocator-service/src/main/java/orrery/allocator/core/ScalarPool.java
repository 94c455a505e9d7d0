package orrery.allocator.core;

import java.util.HashMap;
import java.util.Map;
import orrery.protocol.resources.Resources;

/**
 * The cluster's total scalar resources, the denominator of every DRF share. Sorters compare {@link #version()}
 * with the one they last sorted at, so a change of the pool re-sorts them lazily.
 */
public final class ScalarPool {

  private final Map<String, Long> totals = new HashMap<>();
  private long version;

  public void add(Resources resources) {
    resources.scalarMillis().forEach((name, millis) -> totals.merge(name, millis, Long::sum));
    version++;
  }

  public void remove(Resources resources) {
    resources.scalarMillis().forEach((name, millis) ->
        totals.computeIfPresent(name, (k, v) -> v - millis > 0 ? v - millis : null));
    version++;
  }

  public long totalMillis(String name) {
    return totals.getOrDefault(name, 0L);
  }

  long version() {
    return version;
  }
}
