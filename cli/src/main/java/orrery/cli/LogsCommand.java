package orrery.cli;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import orrery.cli.client.MasterClient;
import orrery.cli.client.MasterClient.LogChunk;
import orrery.protocol.mesos.TaskState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "logs", description = "Print a task's stdout (or stderr) from its sandbox, through the master; with "
    + "--follow, keep printing what it writes until it has ended.", mixinStandardHelpOptions = true)
final class LogsCommand implements Callable<Integer> {

  /** How long to wait before asking again when a followed task has written nothing new. */
  static final long POLL_MILLIS = 500;

  @Mixin
  MasterOption master;

  @Option(names = "--stderr", description = "Print the task's stderr instead of its stdout.")
  boolean stderr;

  @Option(names = {"-f", "--follow"}, description = "Keep reading as the task writes, until it has ended and all "
      + "it wrote is printed.")
  boolean follow;

  @Parameters(paramLabel = "TASK_ID", description = "The task (of any framework).")
  String id;

  @Override
  public Integer call() throws InterruptedException {
    MasterClient client = master.client();
    String file = stderr ? "stderr" : "stdout";
    long offset = 0;
    while (true) {
      LogChunk chunk = client.logs(id, file, offset);
      if (chunk.pending() && !follow) {
        throw new MasterClient.ClientException("task '" + id + "' has not started yet (" + chunk.taskState()
            + "); use --follow to wait for it");
      }
      if (!chunk.data().isEmpty()) {
        System.out.print(chunk.data());
        System.out.flush();
        // The agent sends text decoded as UTF-8: its length in UTF-8 is how far the read went.
        offset = chunk.offset() + chunk.data().getBytes(StandardCharsets.UTF_8).length;
        continue; // there may be more at once: a read gives at most 64 KiB
      }
      // Nothing new. The state was taken before the read: once it is terminal, an empty read means all is printed.
      if (!follow || terminal(chunk.taskState())) {
        return 0;
      }
      Thread.sleep(POLL_MILLIS);
    }
  }

  private static boolean terminal(String state) {
    try {
      return state != null && TaskState.valueOf(state).isTerminal();
    } catch (IllegalArgumentException e) {
      return false; // a state this client does not know: keep following
    }
  }
}
