package orrery.allocator.core;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import orrery.protocol.resources.Resources;

/**
 * Roles' quota and what it implies for an offer: how much of a guarantee is still unmet, how much headroom unmet
 * guarantees need the cluster to keep free, and how far a role may go before its limits. A role's consumption is
 * what its subtree holds in the role sorter (offered or in use), so quota on {@code eng} counts {@code eng/ads}.
 *
 * <p>Invariants: {@code unmet} holds, for each role with guarantees, {@code max(guarantee - consumed, 0)} per kind;
 * {@code requiredHeadroom} is their sum; {@code rolesWithUnmet} counts the roles with any unmet kind;
 * {@code allocatedTotal} is what all agents have allocated.
 */
final class QuotaBook {

  private final ScalarPool pool;
  private final DrfSorter roleSorter;
  private final Map<String, Quota> quotas = new HashMap<>();
  private final Map<String, long[]> unmet = new HashMap<>();
  private long[] requiredHeadroom = new long[0];
  private long[] allocatedTotal = new long[0];
  private int rolesWithUnmet;

  QuotaBook(ScalarPool pool, DrfSorter roleSorter) {
    this.pool = pool;
    this.roleSorter = roleSorter;
  }

  Map<String, Quota> all() {
    return Map.copyOf(quotas);
  }

  /**
   * Why the quota cannot be set, or null: the guarantees of the top-level roles (a child's guarantee is part of its
   * parent's, as in Mesos), with this one applied, must fit in the cluster. Removing a quota is always allowed.
   */
  String problem(String role, Quota quota) {
    if (quota.isNone()) {
      return null;
    }
    Map<String, Quota> applied = new HashMap<>(quotas);
    applied.put(role, quota);
    Map<String, Long> guaranteed = new HashMap<>();
    applied.forEach((name, q) -> {
      if (!hasGuaranteedAncestor(name, applied)) {
        q.guarantees().scalarMillis().forEach((kind, millis) -> guaranteed.merge(kind, millis, Long::sum));
      }
    });
    for (Map.Entry<String, Long> entry : guaranteed.entrySet()) {
      long total = pool.totalMillis(entry.getKey());
      if (entry.getValue() > total) {
        return "the guarantees of all roles would need " + entry.getValue() / 1000.0 + " " + entry.getKey()
            + " but the cluster has " + total / 1000.0;
      }
    }
    return null;
  }

  void set(String role, Quota quota) {
    forgetUnmet(role);
    if (quota.isNone()) {
      quotas.remove(role);
    } else {
      quotas.put(role, quota);
      refreshUnmet(role);
    }
  }

  private static boolean hasGuaranteedAncestor(String role, Map<String, Quota> quotas) {
    String[] path = Roles.path(role);
    for (int i = 1; i < path.length; i++) {
      Quota ancestor = quotas.get(path[i]);
      if (ancestor != null && !ancestor.guarantees().isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** Whether the offer holds some of a kind the role (or an ancestor) still lacks of its guarantee. */
  boolean helpsGuarantee(String role, Resources offer) {
    long[] need = pathUnmet(role);
    for (int i = 0; i < need.length; i++) {
      if (need[i] > 0 && offer.scalarMillis(pool.kind(i)) > 0) {
        return true;
      }
    }
    return false;
  }

  /** Keeps {@code allocatedTotal}: what agents hand out or take back. */
  void allocatedOnAgents(Resources resources, int sign) {
    for (Map.Entry<String, Long> entry : resources.scalarMillis().entrySet()) {
      int i = pool.index(entry.getKey());
      if (i >= allocatedTotal.length) {
        allocatedTotal = Arrays.copyOf(allocatedTotal, i + 1);
      }
      allocatedTotal[i] += sign * entry.getValue();
    }
  }

  /** The role's consumption changed: so did the unmet guarantees of it and its ancestors. */
  void consumptionChanged(String role) {
    if (unmet.isEmpty()) {
      return;
    }
    for (String node : Roles.path(role)) {
      if (unmet.containsKey(node)) {
        forgetUnmet(node);
        refreshUnmet(node);
      }
    }
  }

  /** Whether any role has a quota (then headroom and limits depend on every allocation anywhere). */
  boolean any() {
    return !quotas.isEmpty();
  }

  /** Whether the resources hold some of a kind that an unmet guarantee still needs. */
  boolean anyLackingKindIn(Resources resources) {
    for (int i = 0; i < requiredHeadroom.length; i++) {
      if (requiredHeadroom[i] > 0 && resources.scalarMillis(pool.kind(i)) > 0) {
        return true;
      }
    }
    return false;
  }

  boolean hasUnmetGuarantees() {
    return rolesWithUnmet > 0;
  }

  /** Whether the role, or one of its ancestors, is still below a guarantee. */
  boolean hasUnmetGuarantee(String role) {
    if (rolesWithUnmet == 0) {
      return false;
    }
    for (String node : Roles.path(role)) {
      long[] need = unmet.get(node);
      if (need != null && any(need)) {
        return true;
      }
    }
    return false;
  }

  /** Stage 1: of each guaranteed kind, only what the role's path still needs; other kinds as they are. */
  Resources capToGuarantee(String role, Resources offer) {
    long[] need = pathUnmet(role);
    Resources.Builder excess = null;
    for (Map.Entry<String, Long> entry : offer.scalarMillis().entrySet()) {
      int i = pool.index(entry.getKey());
      if (!guaranteedOnPath(role, entry.getKey())) {
        continue;
      }
      long allowed = i < need.length ? need[i] : 0;
      if (entry.getValue() > allowed) {
        excess = excess == null ? Resources.builder() : excess;
        excess.scalarMillis(entry.getKey(), entry.getValue() - allowed);
      }
    }
    return excess == null ? offer : offer.minus(excess.build());
  }

  /**
   * Stage 2: no kind may take the cluster's unallocated amount below what unmet guarantees need, except for what
   * counts toward the role's own guarantee.
   */
  Resources capToHeadroom(String role, Resources offer) {
    if (rolesWithUnmet == 0) {
      return offer;
    }
    long[] own = pathUnmet(role);
    Resources.Builder excess = null;
    for (Map.Entry<String, Long> entry : offer.scalarMillis().entrySet()) {
      int i = pool.index(entry.getKey());
      long required = i < requiredHeadroom.length ? requiredHeadroom[i] : 0;
      if (required == 0) {
        continue;
      }
      long unallocated = pool.total(i) - (i < allocatedTotal.length ? allocatedTotal[i] : 0);
      long allowed = Math.max(0, unallocated - required + (i < own.length ? own[i] : 0));
      if (entry.getValue() > allowed) {
        excess = excess == null ? Resources.builder() : excess;
        excess.scalarMillis(entry.getKey(), entry.getValue() - allowed);
      }
    }
    return excess == null ? offer : offer.minus(excess.build());
  }

  /** No kind beyond the limit of the role or of any ancestor. */
  Resources capToLimits(String role, Resources offer) {
    if (quotas.isEmpty()) {
      return offer;
    }
    Resources.Builder excess = null;
    for (String node : Roles.path(role)) {
      Quota quota = quotas.get(node);
      if (quota == null || quota.limits().isEmpty()) {
        continue;
      }
      for (Map.Entry<String, Long> limit : quota.limits().scalarMillis().entrySet()) {
        long offered = offer.scalarMillis(limit.getKey());
        long room = Math.max(0, limit.getValue() - roleSorter.allocatedMillis(node, limit.getKey()));
        if (offered > room) {
          excess = excess == null ? Resources.builder() : excess;
          excess.scalarMillis(limit.getKey(), offered - room);
        }
      }
      if (excess != null) {
        offer = offer.minus(excess.build());
        excess = null;
      }
    }
    return offer;
  }

  /** What the role's subtree holds now, scalars only. */
  Resources consumed(String role) {
    Resources.Builder consumed = Resources.builder();
    for (int i = 0; i < pool.kindCount(); i++) {
      long millis = roleSorter.allocatedMillis(role, pool.kind(i));
      if (millis > 0) {
        consumed.scalarMillis(pool.kind(i), millis);
      }
    }
    return consumed.build();
  }

  private boolean guaranteedOnPath(String role, String kind) {
    for (String node : Roles.path(role)) {
      Quota quota = quotas.get(node);
      if (quota != null && quota.guarantees().scalarMillis(kind) > 0) {
        return true;
      }
    }
    return false;
  }

  /** Of each kind, the most any guaranteed role on the path still needs. */
  private long[] pathUnmet(String role) {
    long[] most = new long[0];
    for (String node : Roles.path(role)) {
      long[] need = unmet.get(node);
      if (need == null) {
        continue;
      }
      if (most.length < need.length) {
        most = Arrays.copyOf(most, need.length);
      }
      for (int i = 0; i < need.length; i++) {
        most[i] = Math.max(most[i], need[i]);
      }
    }
    return most;
  }

  private void refreshUnmet(String role) {
    Quota quota = quotas.get(role);
    if (quota == null || quota.guarantees().isEmpty()) {
      return;
    }
    long[] need = new long[pool.kindCount() + quota.guarantees().scalarMillis().size()];
    for (Map.Entry<String, Long> guarantee : quota.guarantees().scalarMillis().entrySet()) {
      int i = pool.index(guarantee.getKey());
      need[i] = Math.max(0, guarantee.getValue() - roleSorter.allocatedMillis(role, guarantee.getKey()));
    }
    unmet.put(role, need);
    addTo(need, 1);
  }

  private void forgetUnmet(String role) {
    long[] need = unmet.remove(role);
    if (need != null) {
      addTo(need, -1);
    }
  }

  private void addTo(long[] need, int sign) {
    if (requiredHeadroom.length < need.length) {
      requiredHeadroom = Arrays.copyOf(requiredHeadroom, need.length);
    }
    for (int i = 0; i < need.length; i++) {
      requiredHeadroom[i] += sign * need[i];
    }
    if (any(need)) {
      rolesWithUnmet += sign;
    }
  }

  private static boolean any(long[] values) {
    for (long value : values) {
      if (value > 0) {
        return true;
      }
    }
    return false;
  }
}
