package orrery.registry.store;

import java.util.List;
import java.util.concurrent.CompletionStage;
import orrery.registry.core.RegistryChange;
import orrery.registry.core.RegistrySnapshot;

/**
 * Where the registry's changes go. The registry answers an agent, and forwards an update, only after {@link #apply}
 * has completed, so a durable store makes every acknowledged update durable.
 *
 * <p>Contract (checked by the store contract tests): changes are applied in the order given, and calls complete in
 * the order they were made, an empty list included (so that a reply waiting on it cannot overtake an earlier
 * change still being written); a completed call survives a crash of the process; {@link #load} returns the latest
 * record of each agent, framework, task, weight and quota, each task with its whole history in order.
 */
public interface RegistryStore extends AutoCloseable {

  CompletionStage<Void> apply(List<RegistryChange> changes);

  CompletionStage<RegistrySnapshot> load();

  /**
   * From now on every write carries this fencing token (the one a registry got when it was elected leader): a store
   * shared by several registries refuses, with {@link FencedOut}, the writes of one whose token is older than the
   * newest written. A store of one registry may ignore it.
   */
  default void fence(long token) {}

  /** Waits for the changes already handed over, then lets go of files and connections. */
  @Override
  default void close() {}
}
