package orrery.cli.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicBoolean;
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

  /**
   * Several gateways may run; one of them runs the REST framework behind {@code /v1/tasks} (elected like the
   * singletons: two under its one framework id would take it from each other), the others forward to it.
   */
  @Override
  Future<String> deploy(Vertx vertx, long fence) {
    GatewayVerticle gateway = new GatewayVerticle(new GatewayOptions(host, port, bridgePort, false));
    return vertx.deployVerticle(gateway).map(id -> {
      runRestFrameworkWhenElected(gateway);
      return "orrery gateway is up: http://" + host + ":" + gateway.httpPort() + ", event-bus bridge on port "
          + gateway.bridgePort();
    });
  }

  private void runRestFrameworkWhenElected(GatewayVerticle gateway) {
    String advertised = ClusterNode.advertisedAddress(cluster.host) + ":" + gateway.httpPort();
    // The lock goes when the member leaves the cluster at a stop: that is no lost leadership.
    AtomicBoolean stopping = new AtomicBoolean();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stopping.set(true), "orrery-rest-framework-stop"));
    Thread elected = new Thread(() -> {
      Leadership leadership = new Leadership(hazelcast, "rest");
      long fence = leadership.await();
      gateway.startRestFramework(advertised).toCompletionStage().toCompletableFuture().join();
      System.out.println("orrery gateway runs the REST framework (fencing token " + fence + ")");
      while (leadership.held() || stopping.get()) {
        try {
          Thread.sleep(1_000);
        } catch (InterruptedException e) {
          return;
        }
      }
      // Another gateway runs it now; this one must not go on as a second REST framework.
      System.out.println("orrery gateway lost the REST framework's leadership (fencing token " + fence + "); exiting");
      System.out.flush();
      Runtime.getRuntime().halt(LOST_LEADERSHIP_EXIT);
    }, "orrery-rest-framework-leadership");
    elected.setDaemon(true);
    elected.start();
  }
}
