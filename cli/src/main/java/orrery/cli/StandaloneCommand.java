package orrery.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import orrery.cli.flags.AgentFlags;
import orrery.cli.flags.AllocatorFlags;
import orrery.cli.flags.RegistryStoreFlags;
import orrery.cli.standalone.Demo;
import orrery.cli.standalone.Standalone;
import orrery.cli.standalone.StandaloneOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "standalone", mixinStandardHelpOptions = true,
    description = "Run every service and one local agent in this process, until interrupted.")
final class StandaloneCommand implements Callable<Integer> {

  @Option(names = "--port", description = "HTTP port of the gateway (default: ${DEFAULT-VALUE}).",
      defaultValue = "5050")
  int port;

  @Option(names = "--bridge-port", description = "TCP event-bus bridge port (default: ${DEFAULT-VALUE}).",
      defaultValue = "5060")
  int bridgePort;

  @Option(names = "--agent-port", description = "HTTP port of the local agent (default: ${DEFAULT-VALUE}).",
      defaultValue = "5051")
  int agentPort;

  @Option(names = "--host", description = "Interface to listen on (default: ${DEFAULT-VALUE}).",
      defaultValue = "127.0.0.1")
  String host;

  @Mixin
  AgentFlags agent;

  @Mixin
  AllocatorFlags allocator;

  @Mixin
  RegistryStoreFlags registryStore;

  @Option(names = "--demo", description = "Also launch a few demo tasks and print their states as they change.")
  boolean demo;

  @Override
  public Integer call() throws Exception {
    StandaloneOptions options = StandaloneOptions.builder(agent.workDir).ports(port, bridgePort, agentPort).host(host)
        .resources(agent.resources).attributes(agent.attributes).isolation(agent.isolation)
        .allocationIntervalMillis(allocator.allocationIntervalMillis())
        .fairnessExcludedKinds(allocator.fairnessExcluded())
        .sandboxGcDelayMillis(agent.sandboxGcDelayMillis())
        .registryStore(registryStore.settings(agent.workDir)).build();
    Standalone standalone = Standalone.start(options).toCompletionStage().toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
    System.out.printf("Orrery is up: http://%s:%d (Mesos scheduler API at /api/v1/scheduler, tasks at /v1/tasks), "
        + "event-bus bridge on %s:%d, agent %s on port %d%n", host, standalone.httpPort(), host,
        standalone.bridgePort(), standalone.agentId(), standalone.agentPort());
    if (demo) {
      new Demo("http://" + host + ":" + standalone.httpPort(), System.out).start();
    }
    Lifetime.untilStopped(standalone::close);
    return 0;
  }
}
