package orrery.cli.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import orrery.agent.AgentConfig;
import orrery.agent.AgentVerticle;
import orrery.agent.isolation.IsolationOptions;
import orrery.agent.isolation.Isolators;
import orrery.cli.flags.AgentFlags;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "agent", mixinStandardHelpOptions = true,
    description = "Run an agent on this machine as a member of the cluster, until interrupted.")
public final class AgentNodeCommand extends NodeCommand {

  /** The role's name, as members tell it each other (CpMembership promotes agents last). */
  static final String ROLE = "agent";

  @Mixin
  AgentFlags agent;

  @Option(names = "--port", defaultValue = "5051",
      description = "HTTP port for the agent's state and sandbox files (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--hostname", description = "The hostname offers name (default: the --cluster-host).")
  String hostname;

  @Override
  String role() {
    return ROLE;
  }

  @Override
  Future<String> deploy(Vertx vertx, long fence) {
    AgentVerticle verticle = new AgentVerticle(new AgentConfig(agent.workDir, agent.resources, agent.attributes,
        hostname == null ? cluster.host : hostname, port, AgentConfig.DEFAULT_HEARTBEAT_INTERVAL_MILLIS,
        AgentConfig.DEFAULT_STATUS_UPDATE_RETRY_INITIAL_MILLIS, AgentConfig.DEFAULT_STATUS_UPDATE_RETRY_MAX_MILLIS,
        new IsolationOptions(agent.isolation, false, null, Isolators.DEFAULT_MOUNT), null,
        agent.sandboxGcDelayMillis()));
    return vertx.deployVerticle(verticle).map(id -> "orrery agent " + verticle.agentId() + " is up on port "
        + verticle.httpPort());
  }
}
