package orrery.registry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import orrery.protocol.messages.RoleMessages.WeightInfo;
import orrery.registry.core.RegistryChange;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract, plus what only a SQL store does: group commit, and commits visible before calls complete. */
abstract class SqlRegistryStoreContract extends RegistryStoreContract {

  /** The configuration of the storage the current store uses, for a second store beside it. */
  protected abstract SqlStoreConfig config();

  @BeforeAll
  static void countCommits() {
    // The global registry only forwards to registries added to it; the standalone adds Prometheus.
    if (Metrics.globalRegistry.getRegistries().isEmpty()) {
      Metrics.addRegistry(new SimpleMeterRegistry());
    }
  }

  @Test
  void callsMadeWhileACommitRunsAreWrittenTogether() throws Exception {
    DistributionSummary groups = Metrics.globalRegistry.find("orrery.registry.store.group.changes").summary();
    long groupsBefore = groups.count();
    List<CompletableFuture<Void>> calls = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      calls.add(store.apply(List.of(new RegistryChange.RoleWeightSaved(new WeightInfo("r" + i, 1))))
          .toCompletableFuture());
    }
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

    long commits = groups.count() - groupsBefore;
    assertThat(commits).isPositive().isLessThan(2_000);
    assertThat(load(store).weights()).hasSize(2_000);
  }

  @Test
  void aDeposedLeaderCanWriteNothingOnceANewerOneHas() throws Exception {
    store.fence(1);
    apply(List.of(new RegistryChange.RoleWeightSaved(new WeightInfo("old", 1))));
    try (SqlRegistryStore newer = SqlRegistryStore.open(config())) {
      newer.fence(2);
      newer.apply(List.of(new RegistryChange.RoleWeightSaved(new WeightInfo("new", 2)))).toCompletableFuture()
          .get(30, TimeUnit.SECONDS);

      assertThatThrownBy(() -> apply(List.of(new RegistryChange.RoleWeightSaved(new WeightInfo("old", 3)))))
          .hasCauseInstanceOf(FencedOut.class);
      assertThat(load(newer).weights()).containsExactly(new WeightInfo("new", 2), new WeightInfo("old", 1));
    }
  }

  @Test
  void aCallCompletesOnlyOnceItsCommitIsVisibleToAnyoneElse() throws Exception {
    try (SqlRegistryStore other = SqlRegistryStore.open(config())) {
      for (int i = 0; i < 20; i++) {
        apply(List.of(new RegistryChange.RoleWeightSaved(new WeightInfo("r" + i, 1))));
        // Read on another connection the moment the call completed: the commit must already be there.
        assertThat(load(other).weights()).hasSize(i + 1);
      }
    }
  }
}
