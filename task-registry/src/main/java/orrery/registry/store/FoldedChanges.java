package orrery.registry.store;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskStatus;
import orrery.protocol.messages.RoleMessages.QuotaConfig;
import orrery.protocol.messages.RoleMessages.WeightInfo;
import orrery.registry.core.AgentRecord;
import orrery.registry.core.FrameworkRecord;
import orrery.registry.core.RegistryChange;
import orrery.registry.core.RegistrySnapshot;
import orrery.registry.core.TaskRecord;

/**
 * Changes folded into the latest record per key: what the in-memory store keeps, and what a SQL store writes for
 * one group commit (a task saved ten times in a group is written once).
 *
 * <p>A null value marks a deletion (an agent deleted, a role's quota removed); history entries are kept per task in
 * the order of their {@code seq}, each at most once.
 */
final class FoldedChanges {

  record TaskKey(FrameworkId frameworkId, TaskId taskId) {}

  final Map<AgentId, AgentRecord> agents = new LinkedHashMap<>();
  final Map<FrameworkId, FrameworkRecord> frameworks = new LinkedHashMap<>();
  final Map<TaskKey, TaskRecord> tasks = new LinkedHashMap<>();
  /** Tasks launched in these changes: written whole, their earlier history (of a task that had their id) gone. */
  final Set<TaskKey> launched = new HashSet<>();
  final Map<TaskKey, Map<Integer, TaskStatus>> history = new LinkedHashMap<>();
  final Map<String, WeightInfo> weights = new LinkedHashMap<>();
  final Map<String, QuotaConfig> quotas = new LinkedHashMap<>();

  void fold(List<RegistryChange> changes) {
    for (RegistryChange change : changes) {
      fold(change);
    }
  }

  private void fold(RegistryChange change) {
    if (change instanceof RegistryChange.AgentSaved saved) {
      agents.put(saved.agent().info().id(), saved.agent());
    } else if (change instanceof RegistryChange.AgentDeleted deleted) {
      agents.put(deleted.agentId(), null);
    } else if (change instanceof RegistryChange.FrameworkSaved saved) {
      frameworks.put(saved.framework().info().id(), saved.framework());
    } else if (change instanceof RegistryChange.TaskSaved saved) {
      TaskKey key = new TaskKey(saved.task().frameworkId(), saved.task().taskId());
      tasks.put(key, saved.task());
      if (saved.launched()) {
        launched.add(key);
        history.remove(key);
      }
    } else if (change instanceof RegistryChange.TaskStatusRecorded recorded) {
      history.computeIfAbsent(new TaskKey(recorded.frameworkId(), recorded.taskId()), k -> new LinkedHashMap<>())
          .putIfAbsent(recorded.seq(), recorded.status());
    } else if (change instanceof RegistryChange.RoleWeightSaved saved) {
      weights.put(saved.weight().role(), saved.weight());
    } else if (change instanceof RegistryChange.RoleQuotaSaved saved) {
      quotas.put(saved.quota().role(), saved.quota().removesQuota() ? null : saved.quota());
    } else {
      throw new IllegalArgumentException("unknown change " + change);
    }
  }

  /** Everything folded so far as a snapshot: deletions left out, each task given its recorded history. */
  RegistrySnapshot snapshot() {
    List<TaskRecord> withHistory = new ArrayList<>();
    tasks.forEach((key, task) -> withHistory.add(task.withHistory(
        history.getOrDefault(key, Map.of()).entrySet().stream()
            .sorted(Map.Entry.comparingByKey()).map(Map.Entry::getValue).toList())));
    return new RegistrySnapshot(present(agents), present(frameworks), withHistory, present(weights),
        present(quotas));
  }

  boolean isEmpty() {
    return agents.isEmpty() && frameworks.isEmpty() && tasks.isEmpty() && history.isEmpty() && weights.isEmpty()
        && quotas.isEmpty();
  }

  private static <T> List<T> present(Map<?, T> records) {
    return records.values().stream().filter(r -> r != null).toList();
  }
}
