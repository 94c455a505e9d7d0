package orrery.protocol.messages;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import orrery.protocol.json.Fields;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.TaskId;

/**
 * What the gateways ask the built-in REST framework (the one behind {@code /v1/tasks}) on the event bus. Tasks come
 * back as the REST API shows them (JSON objects); a refusal is failed with its HTTP code and, as its message, the
 * JSON error body the gateway answers with: {@code {"error": "...", "field": "..."}}.
 */
public final class RestTaskMessages {

  private RestTaskMessages() {}

  /**
   * The REST framework's one id, for every start and on every node: after a restart or a failover it subscribes
   * again as the same framework, so its tasks stay its own and their updates reach it.
   */
  public static final FrameworkId FRAMEWORK_ID = FrameworkId.of("orrery-rest");

  /** One task of the REST framework, to show or to kill. */
  public record RestTaskRef(TaskId taskId) {
    public RestTaskRef {
      Fields.required(taskId, "task_id");
    }
  }

  /**
   * The message of {@code orrery.rest.submit}: the body of {@code POST /v1/tasks} and the id the gateway gave the task,
   * so that the gateway may ask again (a request lost with a broker that died) without queueing the task twice.
   */
  public static JsonObject submit(TaskId taskId, JsonObject request) {
    return new JsonObject().put("task_id", taskId.value()).put("request", request);
  }

  /** The message of a refusal: the error body, naming the field at fault when there is one. */
  public static String refusal(String field, String message) {
    JsonObject body = new JsonObject().put("error", message);
    if (field != null && !field.isEmpty()) {
      body.put("field", field);
    }
    return body.encode();
  }

  /** The error body a refusal carries; a failure that is not one of {@link #refusal} is wrapped as it is. */
  public static JsonObject errorBody(ReplyException refused) {
    String message = refused.getMessage();
    try {
      JsonObject body = message == null ? null : new JsonObject(message);
      if (body != null && body.getValue("error") instanceof String) {
        return body;
      }
    } catch (DecodeException notJson) {
      // a failure from elsewhere on the way (not the REST framework's refusal): its text is the error
    }
    return new JsonObject().put("error", String.valueOf(message));
  }
}
