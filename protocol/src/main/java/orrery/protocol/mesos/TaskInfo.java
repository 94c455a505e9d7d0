package orrery.protocol.mesos;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import orrery.protocol.json.Fields;
import orrery.protocol.mesos.Durations.DurationInfo;

/**
 * A task a framework asks to launch. {@code container}, {@code health_check}, {@code check} and {@code discovery}
 * are carried as they came; the agent that runs the task interprets them.
 */
public record TaskInfo(
    String name,
    TaskId taskId,
    AgentId agentId,
    List<Resource> resources,
    JsonNode executor,
    CommandInfo command,
    JsonNode container,
    JsonNode healthCheck,
    JsonNode check,
    KillPolicy killPolicy,
    byte[] data,
    Labels labels,
    JsonNode discovery,
    DurationInfo maxCompletionTime,
    Map<String, Value.Scalar> limits) {

  public TaskInfo {
    Fields.required(name, "name");
    Fields.required(taskId, "task_id");
    Fields.required(agentId, "agent_id");
    resources = Fields.list(resources, "resources");
    limits = Fields.map(limits);
  }

  /**
   * The role the task's resources were allocated under (offer-service marks each resource of a launched task with
   * the role of its offer), or {@code *} when none is marked.
   */
  public String allocationRole() {
    for (Resource resource : resources) {
      if (resource.allocationInfo() != null && resource.allocationInfo().role() != null) {
        return resource.allocationInfo().role();
      }
    }
    return FrameworkInfo.DEFAULT_ROLE;
  }

  public static TaskInfo command(String name, TaskId taskId, AgentId agentId, List<Resource> resources,
      CommandInfo command) {
    return new TaskInfo(name, taskId, agentId, resources, null, command, null, null, null, null, null, null, null,
        null, null);
  }

  public TaskInfo withHealthCheck(JsonNode value) {
    return new TaskInfo(name, taskId, agentId, resources, executor, command, container, value, check, killPolicy,
        data, labels, discovery, maxCompletionTime, limits);
  }

  public TaskInfo withContainer(JsonNode value) {
    return new TaskInfo(name, taskId, agentId, resources, executor, command, value, healthCheck, check, killPolicy,
        data, labels, discovery, maxCompletionTime, limits);
  }

  public TaskInfo withKillPolicy(KillPolicy policy) {
    return new TaskInfo(name, taskId, agentId, resources, executor, command, container, healthCheck, check, policy,
        data, labels, discovery, maxCompletionTime, limits);
  }
}
