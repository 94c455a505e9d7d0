package orrery.cli.standalone;

import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import orrery.cli.client.MasterClient;
import orrery.cli.client.TaskTable;
import orrery.cli.client.TaskWatcher;

/**
 * The workload {@code orrery standalone --demo} runs so a newcomer sees the cluster work: a few tasks through the
 * REST API, each state change printed as it happens, then the final table.
 */
public final class Demo {

  private static final List<JsonObject> TASKS = List.of(
      new JsonObject().put("name", "hello").put("cmd", "echo hello from $MESOS_TASK_ID"),
      new JsonObject().put("name", "count").put("cmd", "for i in 1 2 3; do echo $i; sleep 1; done"),
      new JsonObject().put("name", "fails").put("cmd", "echo about to fail >&2; exit 3"),
      new JsonObject().put("name", "big").put("cmd", "sleep 2").put("cpus", 0.5).put("mem", 64),
      new JsonObject().put("name", "env").put("cmd", "echo \"GREETING=$GREETING\"")
          .put("env", new JsonObject().put("GREETING", "hi")));

  private final MasterClient client;
  private final PrintStream out;

  public Demo(String master, PrintStream out) {
    this.client = new MasterClient(master);
    this.out = out;
  }

  /** Runs on its own thread: the client is blocking, and the cluster runs on Vert.x's threads. */
  public void start() {
    Thread thread = new Thread(this::run, "orrery-demo");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      List<String> ids = new ArrayList<>();
      for (JsonObject task : TASKS) {
        ids.add(client.launch(task).getString("id"));
      }
      out.println("demo: launched " + ids.size() + " tasks through POST /v1/tasks; their states as they change:");
      Map<String, JsonObject> ended = new TaskWatcher(client, out).await(ids);
      out.println("demo: all " + ended.size() + " tasks ended; 'bin/orrery tasks' shows them again:");
      TaskTable.print(client.tasks(), out);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      out.println("demo: " + e.getMessage());
    }
  }
}
