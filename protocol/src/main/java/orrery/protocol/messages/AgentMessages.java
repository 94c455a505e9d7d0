package orrery.protocol.messages;

import java.util.List;
import orrery.protocol.json.Fields;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.AgentInfo;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskState;
import orrery.protocol.resources.Resources;

/** Messages about agents joining, staying in and leaving the cluster. */
public final class AgentMessages {

  private AgentMessages() {}

  /**
   * A task an agent holds as it registers: one it recovered from its checkpoints, or one that ran on while the agent
   * was cut off. {@code state} is the latest the agent knows; {@code role} is the role its resources were offered
   * under.
   */
  public record AgentTask(FrameworkId frameworkId, TaskId taskId, TaskState state, String role,
      Resources resources) {
    public AgentTask {
      Fields.required(frameworkId, "framework_id");
      Fields.required(taskId, "task_id");
      Fields.required(state, "state");
      Fields.requiredText(role, "role");
      Fields.required(resources, "resources");
    }
  }

  /**
   * Agent to registry; {@code info.id} is set when an agent that had an id registers again, and {@code tasks} are
   * the tasks it holds then (as a Mesos agent re-registers with its tasks): the registry settles its record by them.
   */
  public record RegisterAgent(AgentInfo info, List<AgentTask> tasks) {
    public RegisterAgent {
      Fields.required(info, "info");
      tasks = Fields.list(tasks, "tasks");
    }
  }

  /** The agent's id, and whether an operator had it draining (deactivated) before: it stays so. */
  public record AgentRegistered(AgentId agentId, Boolean draining) {
    public AgentRegistered {
      Fields.required(agentId, "agent_id");
      draining = draining != null && draining; // absent means not draining
    }
  }

  /**
   * An agent as the registry knows it, for an allocator that starts (a standby taking over): its resources, whether
   * it drains, and the tasks it runs, whose resources are allocated from the start.
   */
  public record KnownAgent(AgentInfo info, Resources total, Boolean draining, List<AgentTask> tasks) {
    public KnownAgent {
      Fields.required(info, "info");
      Fields.required(info.id(), "info.id");
      Fields.required(total, "total");
      draining = draining != null && draining;
      tasks = Fields.list(tasks, "tasks");
    }
  }

  public record KnownAgents(List<KnownAgent> agents) {
    public KnownAgents {
      agents = Fields.list(agents, "agents");
    }
  }

  /**
   * Agent to allocator once it has its id: its machine's total resources, and the tasks it already runs, whose
   * resources are allocated from the start (to their frameworks, even ones that have not subscribed again yet).
   * A draining agent is added deactivated: it is offered to no one.
   */
  public record AddAgent(AgentInfo info, Resources total, List<AgentTask> tasks, Boolean draining) {
    public AddAgent {
      draining = draining != null && draining; // absent means not draining
      Fields.required(info, "info");
      Fields.required(info.id(), "info.id");
      Fields.required(total, "total");
      tasks = Fields.list(tasks, "tasks");
    }
  }

  public record AgentHeartbeat(AgentId agentId) {
    public AgentHeartbeat {
      Fields.required(agentId, "agent_id");
    }
  }

  /** {@code known} false tells an agent that the registry has removed it and it must register again. */
  public record HeartbeatReply(boolean known) {}

  public record UnregisterAgent(AgentId agentId) {
    public UnregisterAgent {
      Fields.required(agentId, "agent_id");
    }
  }

  /** Published when an agent leaves, so its offers are rescinded and its resources forgotten. */
  /**
   * The operator's DEACTIVATE_AGENT (active false: nothing more of the agent is offered, what runs there goes on,
   * as when an agent drains) and REACTIVATE_AGENT (active true).
   */
  public record AgentActivation(AgentId agentId, boolean active) {
    public AgentActivation {
      Fields.required(agentId, "agent_id");
    }
  }

  public record AgentRemoved(AgentId agentId, String reason) {
    public AgentRemoved {
      Fields.required(agentId, "agent_id");
    }
  }

  public record AgentSummary(AgentId agentId, String hostname, int port, Resources total, boolean active) {}

  public record AgentList(List<AgentSummary> agents) {
    public AgentList {
      agents = Fields.list(agents, "agents");
    }
  }
}
