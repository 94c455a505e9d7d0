package orrery.protocol.messages;

import java.util.List;
import orrery.protocol.json.Fields;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.KillPolicy;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskInfo;
import orrery.protocol.mesos.TaskState;
import orrery.protocol.mesos.TaskStatus;
import orrery.protocol.resources.Resources;
import orrery.protocol.scheduler.Call;

/** Messages that launch, kill and report on tasks. */
public final class TaskMessages {

  private TaskMessages() {}

  /** Validated tasks for one agent: offer-service to registry, then registry to the agent. */
  public record LaunchTasks(FrameworkId frameworkId, AgentId agentId, List<TaskInfo> tasks) {
    public LaunchTasks {
      Fields.required(frameworkId, "framework_id");
      Fields.required(agentId, "agent_id");
      tasks = Fields.list(tasks, "tasks");
    }
  }

  public record KillTask(FrameworkId frameworkId, TaskId taskId, AgentId agentId, KillPolicy killPolicy) {
    public KillTask {
      Fields.required(frameworkId, "framework_id");
      Fields.required(taskId, "task_id");
    }
  }

  /**
   * Agent to registry. {@code status.uuid} identifies the update for its acknowledgement; {@code latestState} is the
   * task's state now, which may be ahead of {@code status} while earlier updates wait for acknowledgement.
   */
  public record StatusUpdate(FrameworkId frameworkId, TaskStatus status, TaskState latestState) {
    public StatusUpdate {
      Fields.required(frameworkId, "framework_id");
      Fields.required(status, "status");
      Fields.required(status.uuid(), "status.uuid");
      Fields.required(status.agentId(), "status.agent_id");
      Fields.required(latestState, "latest_state");
    }
  }

  /** A framework's ACKNOWLEDGE on its way back to the agent that sent the update. */
  public record Acknowledgement(FrameworkId frameworkId, AgentId agentId, TaskId taskId, byte[] uuid) {
    public Acknowledgement {
      Fields.required(frameworkId, "framework_id");
      Fields.required(agentId, "agent_id");
      Fields.required(taskId, "task_id");
      Fields.required(uuid, "uuid");
    }
  }

  public record ReconcileTasks(FrameworkId frameworkId, boolean partitionAware, List<Call.Reconcile.Task> tasks) {
    public ReconcileTasks {
      Fields.required(frameworkId, "framework_id");
      tasks = Fields.list(tasks, "tasks");
    }
  }

  /** What the registry knows of one task; {@code info} is the TaskInfo it was launched with. */
  public record TaskView(FrameworkId frameworkId, TaskId taskId, String name, AgentId agentId, Resources resources,
      TaskStatus status, TaskInfo info) {}

  /** A query: the tasks of one framework, or of all when {@code frameworkId} is absent. */
  public record TaskQuery(FrameworkId frameworkId) {}

  public record TaskList(List<TaskView> tasks) {
    public TaskList {
      tasks = Fields.list(tasks, "tasks");
    }
  }
}
