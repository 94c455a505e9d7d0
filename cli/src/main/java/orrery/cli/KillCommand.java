package orrery.cli;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "kill", description = "Kill a task launched through the REST API (SIGTERM, then SIGKILL after "
    + "its grace period).", mixinStandardHelpOptions = true)
final class KillCommand implements Callable<Integer> {

  @Mixin
  MasterOption master;

  @Parameters(paramLabel = "ID", description = "The task to kill.")
  String id;

  @Override
  public Integer call() {
    JsonObject task = master.client().kill(id);
    System.out.println(task.getString("id") + " " + task.getString("state") + " (kill requested)");
    return 0;
  }
}
