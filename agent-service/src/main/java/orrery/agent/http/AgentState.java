package orrery.agent.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import orrery.agent.core.TaskView;
import orrery.protocol.json.MesosJson;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.Attribute;
import orrery.protocol.resources.Resources;

/**
 * What {@code GET /state} shows: the agent and its tasks. Ids are plain strings, as in Mesos' {@code /state};
 * resources and attributes are the Mesos v1 JSON lists.
 *
 * @param id null until the agent has registered
 * @param isolation how tasks are confined: {@code cgroups/v1}, {@code cgroups/v2} or {@code none}
 * @param dockerVersion the version of the Docker engine DOCKER tasks run on, or null when the agent has none
 */
public record AgentState(AgentId id, String hostname, int port, Resources resources, List<Attribute> attributes,
    String isolation, String dockerVersion, List<TaskView> tasks, List<TaskView> completedTasks) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id == null ? null : id.value())
        .put("hostname", hostname)
        .put("port", port)
        .put("resources", new JsonArray(MesosJson.write(resources)))
        .put("attributes", new JsonArray(MesosJson.write(attributes)))
        .put("isolation", isolation)
        .put("docker", dockerVersion != null)
        .put("docker_version", dockerVersion)
        .put("tasks", tasks(tasks))
        .put("completed_tasks", tasks(completedTasks));
  }

  private static JsonArray tasks(List<TaskView> views) {
    JsonArray array = new JsonArray();
    for (TaskView task : views) {
      array.add(new JsonObject()
          .put("task_id", task.taskId().value())
          .put("framework_id", task.frameworkId().value())
          .put("name", task.name())
          .put("state", task.state() == null ? null : task.state().name())
          .put("resources", new JsonArray(MesosJson.write(task.resources())))
          .put("directory", task.directory() == null ? null : task.directory().toString())
          .put("container_id", task.containerId() == null ? null : task.containerId().value())
          .put("pid", task.pid()));
    }
    return array;
  }
}
