package orrery.registry.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import orrery.protocol.messages.RoleMessages.QuotaConfig;
import orrery.protocol.messages.RoleMessages.WeightInfo;
import orrery.protocol.resources.Resources;
import orrery.registry.core.RegistryChange;
import org.junit.jupiter.api.Test;

class InMemoryRegistryStoreTest {

  @Test
  void loadsTheLatestWeightAndQuotaOfEachRoleAndForgetsRemovedQuota() throws Exception {
    InMemoryRegistryStore store = new InMemoryRegistryStore();
    RegistryChange eng = new RegistryChange.RoleWeightSaved(new WeightInfo("eng", 3));
    RegistryChange quota = new RegistryChange.RoleQuotaSaved(new QuotaConfig("eng", Resources.parse("cpus:1"), null));
    store.apply(List.of(new RegistryChange.RoleWeightSaved(new WeightInfo("eng", 2)), eng, quota,
        new RegistryChange.RoleQuotaSaved(new QuotaConfig("ads", null, Resources.parse("mem:64"))),
        new RegistryChange.RoleQuotaSaved(new QuotaConfig("ads", null, null))));

    assertThat(store.load().toCompletableFuture().get()).containsExactly(eng, quota);
  }
}
