package orrery.cli.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import orrery.gateway.GatewayOptions;
import orrery.gateway.GatewayVerticle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "gateway", mixinStandardHelpOptions = true,
    description = "Run the gateway (HTTP APIs and the event-bus bridge) as a member of the cluster, until "
        + "interrupted.")
public final class GatewayNodeCommand extends NodeCommand {

  @Option(names = "--host", defaultValue = "0.0.0.0",
      description = "Interface to listen on (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "5050", description = "HTTP port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--bridge-port", defaultValue = "5060",
      description = "TCP event-bus bridge port (default: ${DEFAULT-VALUE}).")
  int bridgePort;

  @Override
  String role() {
    return "gateway";
  }

  @Override
  Future<String> deploy(Vertx vertx, long fence) {
    GatewayVerticle gateway = new GatewayVerticle(new GatewayOptions(host, port, bridgePort));
    return vertx.deployVerticle(gateway).map(id -> "orrery gateway is up: http://" + host + ":" + gateway.httpPort()
        + ", event-bus bridge on port " + gateway.bridgePort());
  }
}
