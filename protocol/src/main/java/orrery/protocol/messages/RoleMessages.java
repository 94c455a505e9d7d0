package orrery.protocol.messages;

import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import orrery.protocol.json.Fields;
import orrery.protocol.json.ProtocolException;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.resources.Resources;

/**
 * Role weights and quota as the operator sets and reads them: gateway to allocator (which applies them), allocator
 * to registry (which keeps them), and what the allocator and offer-service report per role.
 */
public final class RoleMessages {

  private RoleMessages() {}

  /**
   * The scalar kinds reported for a role in metrics and tables: cpus, mem and disk always (so that a role holding
   * none shows 0 rather than nothing), and any other scalar it holds.
   */
  public static SortedSet<String> reportedKinds(Resources held) {
    SortedSet<String> kinds = new TreeSet<>(List.of(Resources.CPUS, Resources.MEM, Resources.DISK));
    kinds.addAll(held.scalarNames());
    return kinds;
  }

  /** Mesos' {@code WeightInfo}: a role's weight in DRF, a finite number above 0 (default 1). */
  public record WeightInfo(String role, double weight) {
    public WeightInfo {
      Fields.requiredText(role, "role");
      if (!(weight > 0) || Double.isInfinite(weight)) {
        throw ProtocolException.invalid("weight", "must be a finite number greater than 0, not " + weight);
      }
    }
  }

  /**
   * Mesos' {@code QuotaConfig} on scalar resources: what is set aside for {@code role} and what it may never
   * exceed. Both empty means the role has no quota (an update with it removes the quota).
   */
  public record QuotaConfig(String role, Resources guarantees, Resources limits) {
    public QuotaConfig {
      Fields.requiredText(role, "role");
      guarantees = guarantees == null ? Resources.empty() : guarantees;
      limits = limits == null ? Resources.empty() : limits;
      if (!guarantees.equals(guarantees.scalarsOnly())) {
        throw ProtocolException.invalid("guarantees", "may hold scalar resources only");
      }
      if (!limits.equals(limits.scalarsOnly())) {
        throw ProtocolException.invalid("limits", "may hold scalar resources only");
      }
    }

    /** No guarantee and no limit: the role has no quota. (Not {@code isNone}, which JSON would take for a field.) */
    public boolean removesQuota() {
      return guarantees.isEmpty() && limits.isEmpty();
    }
  }

  /** UPDATE_WEIGHTS: all of them are applied, or (when any is refused) none. */
  public record UpdateWeights(List<WeightInfo> weightInfos) {
    public UpdateWeights {
      weightInfos = Fields.list(weightInfos, "weight_infos");
    }
  }

  /** UPDATE_QUOTA: all configs are applied, or none. {@code force} skips the check that guarantees fit the cluster. */
  public record UpdateQuota(boolean force, List<QuotaConfig> quotaConfigs) {
    public UpdateQuota {
      quotaConfigs = Fields.list(quotaConfigs, "quota_configs");
    }
  }

  /** Every weight and quota that was set: what the registry keeps and the allocator applies. */
  public record RoleConfig(List<WeightInfo> weights, List<QuotaConfig> quotas) {
    public RoleConfig {
      weights = Fields.list(weights, "weights");
      quotas = Fields.list(quotas, "quotas");
    }
  }

  /**
   * One role as the allocator sees it: its weight, weighted dominant share, frameworks, and what it has been
   * allocated (offered or in use, what its share is computed over), with its quota.
   */
  public record RoleState(String name, double weight, double share, List<FrameworkId> frameworks,
      Resources allocated, QuotaConfig quota) {
    public RoleState {
      Fields.requiredText(name, "name");
      frameworks = Fields.list(frameworks, "frameworks");
      allocated = allocated == null ? Resources.empty() : allocated;
      quota = quota == null ? new QuotaConfig(name, null, null) : quota;
    }
  }

  /** The allocator's answer to {@code orrery.allocator.roles}. */
  public record RoleStates(List<RoleState> roles) {
    public RoleStates {
      roles = Fields.list(roles, "roles");
    }
  }

  /** Resources held by a role, such as those in its outstanding offers. */
  public record RoleResources(String role, Resources resources) {
    public RoleResources {
      Fields.requiredText(role, "role");
      Fields.required(resources, "resources");
    }
  }

  /** Offer-service's answer to {@code orrery.offers.offered}: per role, what its outstanding offers hold. */
  public record OfferedResources(List<RoleResources> roles) {
    public OfferedResources {
      roles = Fields.list(roles, "roles");
    }
  }
}
