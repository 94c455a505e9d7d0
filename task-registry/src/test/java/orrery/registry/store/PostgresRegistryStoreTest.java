package orrery.registry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import orrery.protocol.messages.RoleMessages.WeightInfo;
import orrery.registry.core.RegistryChange;
import org.junit.jupiter.api.Test;

/** The contract against a real PostgreSQL server that the test starts itself (see {@link TestPostgres}). */
class PostgresRegistryStoreTest extends SqlRegistryStoreContract {

  @Override
  protected SqlStoreConfig config() {
    return TestPostgres.server().storeConfig();
  }

  @Override
  protected RegistryStore openEmpty() throws Exception {
    TestPostgres.server().reset();
    return SqlRegistryStore.open(config());
  }

  @Override
  protected RegistryStore reopen() {
    return SqlRegistryStore.open(config());
  }

  @Test
  void aGroupThatCannotBeWrittenFailsItsCallsAndTheStoreGoesOn() throws Exception {
    TestPostgres.server().reset(); // the tables are gone under the open store

    assertThatThrownBy(() -> apply(List.of(new RegistryChange.RoleWeightSaved(new WeightInfo("eng", 2)))))
        .isInstanceOf(ExecutionException.class).hasMessageContaining("role_weights");

    store.close();
    store = SqlRegistryStore.open(config()); // migrates again
    apply(List.of(new RegistryChange.RoleWeightSaved(new WeightInfo("eng", 2))));
    assertThat(store.load().toCompletableFuture().get(30, TimeUnit.SECONDS).weights())
        .containsExactly(new WeightInfo("eng", 2));
  }
}
