package orrery.registry.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import orrery.protocol.messages.RoleMessages.QuotaConfig;
import orrery.protocol.messages.RoleMessages.WeightInfo;
import orrery.protocol.resources.Resources;
import org.junit.jupiter.api.Test;

/** The registry keeps the operator's weights and quota, and queues each change for its store. */
class RoleConfigTest {

  private final Registry registry = new Registry("M");

  @Test
  void keepsTheLatestWeightOfEachRole() {
    registry.updateWeights(List.of(new WeightInfo("eng", 2), new WeightInfo("ads", 0.5)));
    registry.updateWeights(List.of(new WeightInfo("eng", 3)));

    assertThat(registry.roleConfig().weights())
        .containsExactly(new WeightInfo("ads", 0.5), new WeightInfo("eng", 3));
    assertThat(registry.drainChanges()).hasSize(3).allMatch(RegistryChange.RoleWeightSaved.class::isInstance);
  }

  @Test
  void anEmptyQuotaConfigRemovesTheRolesQuota() {
    QuotaConfig eng = new QuotaConfig("eng", Resources.parse("cpus:1"), Resources.parse("cpus:4"));
    registry.updateQuota(List.of(eng, new QuotaConfig("ads", null, Resources.parse("mem:512"))));

    registry.updateQuota(List.of(new QuotaConfig("ads", null, null)));

    assertThat(registry.roleConfig().quotas()).containsExactly(eng);
    assertThat(registry.drainChanges()).hasSize(3).allMatch(RegistryChange.RoleQuotaSaved.class::isInstance);
  }
}
