package orrery.cli;

import io.vertx.core.json.JsonArray;
import java.util.concurrent.Callable;
import orrery.cli.client.TaskTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "tasks", description = "List the tasks launched through the REST API, or show one as JSON.",
    mixinStandardHelpOptions = true)
final class TasksCommand implements Callable<Integer> {

  @Mixin
  MasterOption master;

  @Option(names = "--json", description = "Print the JSON the API answers.")
  boolean json;

  @Parameters(arity = "0..1", paramLabel = "ID", description = "One task to show in full.")
  String id;

  @Override
  public Integer call() {
    if (id != null) {
      System.out.println(master.client().task(id).encodePrettily());
      return 0;
    }
    JsonArray tasks = master.client().tasks();
    if (json) {
      System.out.println(tasks.encodePrettily());
    } else {
      TaskTable.print(tasks, System.out);
    }
    return 0;
  }
}
