package orrery.cli;

import orrery.cli.client.MasterClient;
import orrery.cli.cluster.AgentNodeCommand;
import orrery.cli.cluster.AllocatorNodeCommand;
import orrery.cli.cluster.GatewayNodeCommand;
import orrery.cli.cluster.OffersNodeCommand;
import orrery.cli.cluster.RegistryNodeCommand;
import orrery.cli.standalone.Standalone;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one {@code orrery} command. */
@Command(name = "orrery", mixinStandardHelpOptions = true, version = "orrery " + Standalone.VERSION,
    description = "A datacenter operating system in the Mesos mould: one pool of machines, shared fairly.",
    subcommands = {StandaloneCommand.class, RunCommand.class, TasksCommand.class, KillCommand.class,
        LogsCommand.class, RolesCommand.class, RegistryNodeCommand.class, AllocatorNodeCommand.class,
        OffersNodeCommand.class, GatewayNodeCommand.class, AgentNodeCommand.class})
public final class OrreryCommand implements Runnable {

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    CommandLine commandLine = new CommandLine(new OrreryCommand());
    commandLine.setExecutionExceptionHandler((e, line, parsed) -> {
      // A bad flag value or an unreachable master is the user's to fix: say what, without a stack trace.
      if (e instanceof MasterClient.ClientException || e instanceof IllegalArgumentException) {
        line.getErr().println("orrery: " + e.getMessage());
        return 2;
      }
      throw e;
    });
    // 'standalone' returns only once it has been stopped, so every command can exit here.
    System.exit(commandLine.execute(args));
  }
}
