package orrery.allocator;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import orrery.allocator.core.Allocator;
import orrery.allocator.core.Quota;
import orrery.allocator.core.Roles;
import orrery.allocator.core.Allocator.RoleView;
import orrery.protocol.messages.RoleMessages.QuotaConfig;
import orrery.protocol.messages.RoleMessages.RoleConfig;
import orrery.protocol.messages.RoleMessages.RoleState;
import orrery.protocol.messages.RoleMessages.UpdateQuota;
import orrery.protocol.messages.RoleMessages.UpdateWeights;
import orrery.protocol.messages.RoleMessages.WeightInfo;

/**
 * The operator's weight and quota updates checked against the allocator, and its roles as messages. An update is
 * checked whole before anything is recorded or applied, so a refused update changes nothing.
 */
final class RoleUpdates {

  private RoleUpdates() {}

  /** The first fault of the update, naming its field, or null when every weight can be applied. */
  static String weightsProblem(UpdateWeights update) {
    return rolesProblem(update.weightInfos().stream().map(WeightInfo::role).toList(), "weight_infos");
  }

  /**
   * The first fault of the update, naming its field, or null when every config can be applied. Unless forced, the
   * guarantees of all roles, with this update's in place, must fit in the cluster as it is now.
   */
  static String quotaProblem(Allocator allocator, UpdateQuota update) {
    List<QuotaConfig> configs = update.quotaConfigs();
    String badRole = rolesProblem(configs.stream().map(QuotaConfig::role).toList(), "quota_configs");
    if (badRole != null) {
      return badRole;
    }
    List<Quota> quotas = new ArrayList<>(configs.size());
    for (int i = 0; i < configs.size(); i++) {
      try {
        quotas.add(toQuota(configs.get(i)));
      } catch (IllegalArgumentException e) {
        return "quota_configs[" + i + "].guarantees: " + e.getMessage();
      }
    }
    return update.force() ? null : fitProblem(allocator, configs, quotas);
  }

  /**
   * The core checks one role's quota against every other role's as they are; to check several together, each is
   * set for the time of the check (nothing else runs meanwhile on the verticle's event loop) and then put back.
   */
  private static String fitProblem(Allocator allocator, List<QuotaConfig> configs, List<Quota> quotas) {
    Map<String, Quota> before = allocator.quotas();
    int set = 0;
    try {
      for (int i = 0; i < configs.size(); i++) {
        String role = configs.get(i).role();
        // Only a raised guarantee can stop the guarantees from fitting: removing or lowering one never does, even
        // when a forced quota already exceeds the cluster.
        boolean raises = !before.getOrDefault(role, Quota.NONE).guarantees().contains(quotas.get(i).guarantees());
        String problem = raises ? allocator.quotaProblem(role, quotas.get(i)) : null;
        if (problem != null) {
          return "quota_configs[" + i + "].guarantees: " + problem;
        }
        allocator.setQuota(configs.get(i).role(), quotas.get(i));
        set++;
      }
      return null;
    } finally {
      for (int i = 0; i < set; i++) {
        String role = configs.get(i).role();
        allocator.setQuota(role, before.getOrDefault(role, Quota.NONE));
      }
    }
  }

  /** A role an update names must be a valid role name, and named once. */
  private static String rolesProblem(List<String> roles, String field) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < roles.size(); i++) {
      String problem = Roles.problem(roles.get(i));
      if (problem == null && !seen.add(roles.get(i))) {
        problem = "role '" + roles.get(i) + "' is given twice";
      }
      if (problem != null) {
        return field + "[" + i + "].role: " + problem;
      }
    }
    return null;
  }

  static Quota toQuota(QuotaConfig config) {
    return config.removesQuota() ? Quota.NONE : new Quota(config.guarantees(), config.limits());
  }

  static QuotaConfig toConfig(String role, Quota quota) {
    return new QuotaConfig(role, quota.guarantees(), quota.limits());
  }

  static void applyWeights(Allocator allocator, List<WeightInfo> infos) {
    infos.forEach(info -> allocator.setWeight(info.role(), info.weight()));
  }

  static void applyQuota(Allocator allocator, List<QuotaConfig> configs) {
    configs.forEach(config -> allocator.setQuota(config.role(), toQuota(config)));
  }

  static RoleConfig config(Allocator allocator) {
    List<WeightInfo> weights = allocator.weights().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .map(e -> new WeightInfo(e.getKey(), e.getValue())).toList();
    List<QuotaConfig> quotas = allocator.quotas().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .map(e -> toConfig(e.getKey(), e.getValue())).toList();
    return new RoleConfig(weights, quotas);
  }

  static RoleState state(RoleView view) {
    return new RoleState(view.name(), view.weight(), view.share(), view.frameworks(), view.allocated(),
        toConfig(view.name(), view.quota()));
  }
}
