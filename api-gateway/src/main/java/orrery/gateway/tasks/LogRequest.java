package orrery.gateway.tasks;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import orrery.protocol.json.ProtocolException;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.messages.TaskMessages.TaskView;

/**
 * A read of a task's log through the gateway: which file of its sandbox, from where, how much; and the pure steps of
 * finding it (which task the id means, where its sandbox is in the agent's {@code /state}).
 *
 * @param file {@code stdout} or {@code stderr}
 * @param offset where to read from; -1 asks only for the file's size, as Mesos' {@code /files/read}
 * @param length the most bytes to read, -1 for as many as the agent gives at once (64 KiB)
 */
public record LogRequest(String file, long offset, long length) {

  public static final List<String> FILES = List.of("stdout", "stderr");

  /** From the query's text: {@code file} defaults to stdout, {@code offset} to 0 (the start), {@code length} to -1. */
  public static LogRequest parse(String file, String offset, String length) {
    String name = file == null || file.isEmpty() ? "stdout" : file;
    if (!FILES.contains(name)) {
      throw ProtocolException.invalid("file", "must be stdout or stderr, was '" + name + "'");
    }
    return new LogRequest(name, number("offset", offset, 0), number("length", length, -1));
  }

  private static long number(String field, String text, long absent) {
    if (text == null || text.isEmpty()) {
      return absent;
    }
    long value;
    try {
      value = Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw ProtocolException.invalid(field, "must be an integer, was '" + text + "'");
    }
    if (value < -1) {
      throw ProtocolException.invalid(field, "must be -1 or more, was " + value);
    }
    return value;
  }

  /**
   * The task an id means among the registry's: task ids are unique per framework only, so the REST framework's
   * (which {@code /v1/tasks} shows) comes first, else the one launched last. Null when none has the id.
   */
  public static TaskView choose(List<TaskView> tasks, TaskId id, FrameworkId preferred) {
    TaskView chosen = null;
    for (TaskView task : tasks) {
      if (task.taskId().equals(id)) {
        if (task.frameworkId().equals(preferred)) {
          return task;
        }
        chosen = task;
      }
    }
    return chosen;
  }

  /** The task's sandbox in an agent's {@code /state}, among its tasks and completed tasks; null when not there. */
  public static String sandbox(JsonObject state, TaskId id, FrameworkId framework) {
    for (String list : List.of("tasks", "completed_tasks")) {
      JsonArray tasks = state.getJsonArray(list, new JsonArray());
      // The newest entry wins: a task id relaunched after its end has a newer sandbox.
      for (int i = tasks.size() - 1; i >= 0; i--) {
        JsonObject task = tasks.getJsonObject(i);
        if (id.value().equals(task.getString("task_id")) && framework.value().equals(task.getString("framework_id"))
            && task.getString("directory") != null) {
          return task.getString("directory");
        }
      }
    }
    return null;
  }
}
