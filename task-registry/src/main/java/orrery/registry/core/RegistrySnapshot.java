package orrery.registry.core;

import java.util.List;
import orrery.protocol.messages.RoleMessages.QuotaConfig;
import orrery.protocol.messages.RoleMessages.WeightInfo;

/** Everything a store holds: what a restarted registry starts from. Tasks carry their whole status history. */
public record RegistrySnapshot(
    List<AgentRecord> agents,
    List<FrameworkRecord> frameworks,
    List<TaskRecord> tasks,
    List<WeightInfo> weights,
    List<QuotaConfig> quotas) {

  public static final RegistrySnapshot EMPTY = new RegistrySnapshot(List.of(), List.of(), List.of(), List.of(),
      List.of());

  public RegistrySnapshot {
    agents = List.copyOf(agents);
    frameworks = List.copyOf(frameworks);
    tasks = List.copyOf(tasks);
    weights = List.copyOf(weights);
    quotas = List.copyOf(quotas);
  }
}
