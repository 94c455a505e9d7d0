package orrery.cli.client;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;

/** Prints tasks as a table, the way {@code orrery tasks} shows them. */
public final class TaskTable {

  private static final String FORMAT = "%-28s %-16s %-22s %s%n";

  private TaskTable() {}

  public static void print(JsonArray tasks, PrintStream out) {
    out.printf(FORMAT, "ID", "STATE", "AGENT", "MESSAGE");
    for (int i = 0; i < tasks.size(); i++) {
      JsonObject task = tasks.getJsonObject(i);
      out.printf(FORMAT, task.getString("id"), task.getString("state"), shortAgent(task.getString("agent_id", "-")),
          message(task));
    }
  }

  public static String message(JsonObject task) {
    JsonObject status = task.getJsonObject("status");
    if (status == null) {
      return "";
    }
    String message = status.getString("message", "");
    String reason = status.getString("reason");
    return reason == null ? message : message + " [" + reason + "]";
  }

  /** Agent ids are long (master id + sequence); the tail tells them apart. */
  static String shortAgent(String agentId) {
    return agentId.length() > 22 ? "…" + agentId.substring(agentId.length() - 21) : agentId;
  }
}
