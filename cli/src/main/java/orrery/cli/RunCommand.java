package orrery.cli;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import orrery.cli.client.MasterClient;
import orrery.cli.client.TaskWatcher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", description = "Launch a command as a task through the REST API.",
    mixinStandardHelpOptions = true)
final class RunCommand implements Callable<Integer> {

  @Mixin
  MasterOption master;

  @Option(names = "--name", description = "A name for the task (its id starts with it).")
  String name;

  @Option(names = "--cpus", description = "CPUs for the task (default: ${DEFAULT-VALUE}).", defaultValue = "0.1")
  double cpus;

  @Option(names = "--mem", description = "Memory in MB (default: ${DEFAULT-VALUE}).", defaultValue = "32")
  double mem;

  @Option(names = {"-e", "--env"}, description = "An environment variable NAME=VALUE; repeatable.")
  Map<String, String> env;

  @Option(names = "--image", description = "Run the command in this Docker image (by the agent's Docker "
      + "containerizer, on the host's network) instead of as a plain process.")
  String image;

  @Option(names = {"-w", "--wait"}, description = "Wait for the task to end, printing each state; the exit code "
      + "is 0 only if it finished.")
  boolean wait;

  @Parameters(arity = "1..*", paramLabel = "CMD", description = "The command, run by /bin/sh -c.")
  List<String> command;

  @Override
  public Integer call() throws Exception {
    MasterClient client = master.client();
    JsonObject request = new JsonObject().put("cmd", String.join(" ", command)).put("cpus", cpus).put("mem", mem);
    if (name != null) {
      request.put("name", name);
    }
    if (env != null && !env.isEmpty()) {
      request.put("env", new JsonObject(Map.copyOf(env)));
    }
    if (image != null) {
      request.put("image", image);
    }
    JsonObject task = client.launch(request);
    String id = task.getString("id");
    System.out.println(id);
    if (!wait) {
      return 0;
    }
    JsonObject last = new TaskWatcher(client, System.out).await(List.of(id)).get(id);
    return "TASK_FINISHED".equals(last.getString("state")) ? 0 : 1;
  }
}
