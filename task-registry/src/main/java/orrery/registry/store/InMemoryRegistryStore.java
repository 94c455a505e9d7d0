package orrery.registry.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.FrameworkId;
import orrery.registry.core.RegistryChange;

/**
 * Keeps the latest record of each agent, framework, task, role weight and role quota in memory: what a process restart loses. The durable
 * stores come with their own issue; this one holds the same contract without the disk.
 */
public final class InMemoryRegistryStore implements RegistryStore {

  private final Map<AgentId, RegistryChange> agents = new LinkedHashMap<>();
  private final Map<FrameworkId, RegistryChange> frameworks = new LinkedHashMap<>();
  private final Map<String, RegistryChange> tasks = new LinkedHashMap<>();
  private final Map<String, RegistryChange> weights = new LinkedHashMap<>();
  private final Map<String, RegistryChange> quotas = new LinkedHashMap<>();

  @Override
  public synchronized CompletionStage<Void> apply(List<RegistryChange> changes) {
    for (RegistryChange change : changes) {
      if (change instanceof RegistryChange.AgentSaved saved) {
        agents.put(saved.agent().info().id(), saved);
      } else if (change instanceof RegistryChange.AgentDeleted deleted) {
        agents.remove(deleted.agentId());
      } else if (change instanceof RegistryChange.FrameworkSaved saved) {
        frameworks.put(saved.framework().info().id(), saved);
      } else if (change instanceof RegistryChange.TaskSaved saved) {
        tasks.put(saved.task().frameworkId().value() + "/" + saved.task().taskId().value(), saved);
      } else if (change instanceof RegistryChange.RoleWeightSaved saved) {
        weights.put(saved.weight().role(), saved);
      } else if (change instanceof RegistryChange.RoleQuotaSaved saved) {
        if (saved.quota().removesQuota()) {
          quotas.remove(saved.quota().role());
        } else {
          quotas.put(saved.quota().role(), saved);
        }
      }
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized CompletionStage<List<RegistryChange>> load() {
    List<RegistryChange> all = new ArrayList<>(agents.values());
    all.addAll(frameworks.values());
    all.addAll(tasks.values());
    all.addAll(weights.values());
    all.addAll(quotas.values());
    return CompletableFuture.completedFuture(all);
  }
}
