package orrery.registry.store;

import java.util.List;
import java.util.concurrent.CompletionStage;
import orrery.registry.core.RegistryChange;

/**
 * Where the registry's changes go. The registry answers an agent only after {@link #apply} has completed, so a
 * durable store makes every acknowledged update durable. Implementations apply changes in order.
 */
public interface RegistryStore {

  CompletionStage<Void> apply(List<RegistryChange> changes);

  /** What was applied so far, to rebuild the registry after a restart. */
  CompletionStage<List<RegistryChange>> load();
}
