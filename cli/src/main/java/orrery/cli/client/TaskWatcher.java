package orrery.cli.client;

import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Follows tasks through the REST API, printing each change of state, until all have ended. */
public final class TaskWatcher {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
  private static final long POLL_MILLIS = 100;

  private final MasterClient client;
  private final PrintStream out;

  public TaskWatcher(MasterClient client, PrintStream out) {
    this.client = client;
    this.out = out;
  }

  /** Returns each task as it was when it ended. */
  public Map<String, JsonObject> await(List<String> ids) throws InterruptedException {
    Map<String, String> seen = new HashMap<>();
    Map<String, JsonObject> ended = new LinkedHashMap<>();
    while (ended.size() < ids.size()) {
      for (String id : ids) {
        if (ended.containsKey(id)) {
          continue;
        }
        JsonObject task = client.task(id);
        String state = task.getString("state");
        if (!state.equals(seen.put(id, state))) {
          String message = TaskTable.message(task);
          out.printf("%s  %-28s %-15s %s%n", LocalTime.now().format(TIME), id, state, message);
        }
        JsonObject status = task.getJsonObject("status");
        if (status != null && isTerminal(state)) {
          ended.put(id, task);
        }
      }
      if (ended.size() < ids.size()) {
        Thread.sleep(POLL_MILLIS);
      }
    }
    return ended;
  }

  private static boolean isTerminal(String state) {
    return switch (state) {
      case "TASK_FINISHED", "TASK_FAILED", "TASK_KILLED", "TASK_ERROR", "TASK_LOST", "TASK_DROPPED", "TASK_GONE",
          "TASK_GONE_BY_OPERATOR" -> true;
      default -> false;
    };
  }
}
