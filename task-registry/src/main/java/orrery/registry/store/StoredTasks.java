package orrery.registry.store;

import java.util.List;
import orrery.protocol.mesos.TaskStatus;
import orrery.registry.core.TaskRecord;

/** A task's record and its history are kept apart by the stores and joined again when loaded. */
final class StoredTasks {

  private StoredTasks() {}

  static TaskRecord withHistory(TaskRecord task, List<TaskStatus> history) {
    return new TaskRecord(task.frameworkId(), task.info(), task.role(), task.resources(), task.state(),
        task.latestStatus(), history, task.unacknowledged(), task.resourcesRecovered());
  }
}
