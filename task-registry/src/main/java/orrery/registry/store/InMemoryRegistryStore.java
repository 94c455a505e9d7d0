package orrery.registry.store;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import orrery.registry.core.RegistryChange;
import orrery.registry.core.RegistrySnapshot;

/**
 * Keeps the latest record of each agent, framework, task, role weight and role quota in memory: what a process
 * restart loses. For tests of other services, and for a registry that is told to keep nothing.
 */
public final class InMemoryRegistryStore implements RegistryStore {

  private final FoldedChanges state = new FoldedChanges();

  @Override
  public synchronized CompletionStage<Void> apply(List<RegistryChange> changes) {
    state.fold(changes);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized CompletionStage<RegistrySnapshot> load() {
    return CompletableFuture.completedFuture(state.snapshot());
  }
}
