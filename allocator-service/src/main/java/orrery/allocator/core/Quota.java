package orrery.allocator.core;

import java.util.Map;
import orrery.protocol.resources.Resources;

/**
 * A role's quota, on scalar resources only, as in Mesos: {@code guarantees} are set aside for the role (offered to it
 * before anyone's fair share, and held back from other roles while unmet); {@code limits} are never exceeded. A kind
 * absent from {@code limits} is unlimited.
 *
 * <p>Invariant: every guarantee is at most its limit.
 */
public record Quota(Resources guarantees, Resources limits) {

  public static final Quota NONE = new Quota(Resources.empty(), Resources.empty());

  public Quota {
    guarantees = guarantees == null ? Resources.empty() : guarantees.scalarsOnly();
    limits = limits == null ? Resources.empty() : limits.scalarsOnly();
    for (Map.Entry<String, Long> guarantee : guarantees.scalarMillis().entrySet()) {
      Long limit = limits.scalarMillis().get(guarantee.getKey());
      if (limit != null && limit < guarantee.getValue()) {
        throw new IllegalArgumentException("the guarantee of " + guarantee.getKey() + " ("
            + guarantees.scalar(guarantee.getKey()) + ") is above its limit (" + limits.scalar(guarantee.getKey())
            + ")");
      }
    }
  }

  public boolean isNone() {
    return guarantees.isEmpty() && limits.isEmpty();
  }
}
