package orrery.rest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import orrery.protocol.json.MesosJson;

/**
 * A task as {@code /v1/tasks} shows it: its id, name, agent, resources and its latest status in Mesos JSON
 * ({@code state}, {@code reason}, {@code message}, {@code healthy}); a task still waiting for an offer has
 * {@code queued: true}, {@code state: QUEUED} and no status.
 */
public final class RestTaskJson {

  private RestTaskJson() {}

  public static JsonObject of(RestTask task) {
    JsonObject json = new JsonObject()
        .put("id", task.id().value())
        .put("name", task.request().name() == null ? task.id().value() : task.request().name())
        .put("cmd", task.request().cmd())
        .put("image", task.request().image())
        .put("resources", new JsonArray(MesosJson.write(task.request().resources())))
        .put("queued", task.queued());
    if (task.agentId() != null) {
      json.put("agent_id", task.agentId().value());
    }
    if (task.status() != null) {
      json.put("status", MesosJson.toJsonObject(task.status()));
      json.put("state", task.status().state().name());
    } else {
      json.put("state", task.queued() ? "QUEUED" : "TASK_STAGING");
    }
    return json;
  }
}
