package orrery.allocator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import orrery.allocator.core.Allocator;
import orrery.allocator.core.AllocatorConfig;
import orrery.allocator.core.Quota;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.AgentInfo;
import orrery.protocol.messages.RoleMessages.QuotaConfig;
import orrery.protocol.messages.RoleMessages.UpdateQuota;
import orrery.protocol.messages.RoleMessages.UpdateWeights;
import orrery.protocol.messages.RoleMessages.WeightInfo;
import orrery.protocol.resources.Resources;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Operator updates are checked whole, name the faulty entry, and a check leaves the allocator as it was. */
class RoleUpdatesTest {

  private final Allocator allocator = new Allocator(AllocatorConfig.defaults(), new SplittableRandom(1));

  @BeforeEach
  void cluster() {
    // The cluster: 4 cpus, 4096 mem.
    allocator.addAgent(new AgentInfo("node", 5051, null, null, AgentId.of("S1"), null), Resources.cpusMem(4, 4096));
  }

  private static QuotaConfig quota(String role, String guarantees, String limits) {
    return new QuotaConfig(role, guarantees == null ? null : Resources.parse(guarantees),
        limits == null ? null : Resources.parse(limits));
  }

  @Test
  void weightsOfBadOrRepeatedRolesAreRefusedByIndex() {
    assertThat(RoleUpdates.weightsProblem(new UpdateWeights(List.of(new WeightInfo("eng", 2),
        new WeightInfo("/eng", 1))))).startsWith("weight_infos[1].role: ").contains("must not start or end");
    assertThat(RoleUpdates.weightsProblem(new UpdateWeights(List.of(new WeightInfo("eng", 2),
        new WeightInfo("eng", 3))))).isEqualTo("weight_infos[1].role: role 'eng' is given twice");
    assertThat(RoleUpdates.weightsProblem(new UpdateWeights(List.of(new WeightInfo("eng/ads", 2))))).isNull();
  }

  @Test
  void aGuaranteeAboveItsLimitIsRefused() {
    String problem = RoleUpdates.quotaProblem(allocator,
        new UpdateQuota(false, List.of(quota("eng", "cpus:2", "cpus:1"))));

    assertThat(problem).startsWith("quota_configs[0].guarantees: ").contains("above its limit");
  }

  @Test
  void guaranteesTogetherMustFitTheClusterUnlessForced() {
    allocator.setQuota("ads", new Quota(Resources.parse("cpus:1"), Resources.empty()));
    // eng 2 + web 2 + ads 1 = 5 cpus > 4; each alone would fit.
    UpdateQuota update = new UpdateQuota(false, List.of(quota("eng", "cpus:2", null), quota("web", "cpus:2", null)));

    String problem = RoleUpdates.quotaProblem(allocator, update);

    assertThat(problem).startsWith("quota_configs[1].guarantees: ").contains("5.0 cpus").contains("has 4.0");
    assertThat(allocator.quotas()).as("the check leaves the quota as it was")
        .isEqualTo(Map.of("ads", new Quota(Resources.parse("cpus:1"), Resources.empty())));
    assertThat(RoleUpdates.quotaProblem(allocator, new UpdateQuota(true, update.quotaConfigs()))).isNull();
  }

  @Test
  void replacingARolesQuotaCountsOnlyTheNewGuarantee() {
    allocator.setQuota("eng", new Quota(Resources.parse("cpus:3"), Resources.empty()));

    assertThat(RoleUpdates.quotaProblem(allocator,
        new UpdateQuota(false, List.of(quota("eng", "cpus:4", null), quota("ads", null, "cpus:1"))))).isNull();
    assertThat(allocator.quotas().get("eng").guarantees()).isEqualTo(Resources.parse("cpus:3"));
    assertThat(allocator.quotas()).doesNotContainKey("ads");
  }

  @Test
  void removingOrLoweringAGuaranteeIsNeverRefused() {
    // Forced beyond the cluster's 4 cpus.
    allocator.setQuota("ads", new Quota(Resources.parse("cpus:8"), Resources.empty()));
    allocator.setQuota("eng", new Quota(Resources.parse("cpus:2"), Resources.empty()));

    assertThat(RoleUpdates.quotaProblem(allocator, new UpdateQuota(false,
        List.of(quota("eng", "cpus:1", null), quota("ads", null, null))))).isNull();
    assertThat(RoleUpdates.quotaProblem(allocator, new UpdateQuota(false,
        List.of(quota("eng", "cpus:2;mem:1", null))))).startsWith("quota_configs[0].guarantees: ");
  }

  @Test
  void appliedConfigsAndWeightsAreReportedBack() {
    RoleUpdates.applyWeights(allocator, List.of(new WeightInfo("eng", 2.5)));
    RoleUpdates.applyQuota(allocator, List.of(quota("eng", "cpus:1", "cpus:2"), quota("ads", null, "mem:64")));
    RoleUpdates.applyQuota(allocator, List.of(quota("ads", null, null)));

    assertThat(RoleUpdates.config(allocator).weights()).containsExactly(new WeightInfo("eng", 2.5));
    assertThat(RoleUpdates.config(allocator).quotas()).containsExactly(quota("eng", "cpus:1", "cpus:2"));
  }
}
