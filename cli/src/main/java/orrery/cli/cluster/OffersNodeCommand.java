package orrery.cli.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.UUID;
import orrery.cli.standalone.Standalone;
import orrery.offers.OfferOptions;
import orrery.offers.OfferVerticle;
import orrery.rest.RestFrameworkVerticle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "offers", mixinStandardHelpOptions = true,
    description = "Run the offer broker (framework sessions and offers) and, beside it, the REST framework behind "
        + "/v1/tasks, as a member of the cluster, until interrupted.")
public final class OffersNodeCommand extends NodeCommand {

  @Option(names = "--master-host", defaultValue = "${env:ORRERY_MASTER_HOST:-127.0.0.1}",
      description = "Where frameworks reach the gateway, as SUBSCRIBED tells them (default: ${DEFAULT-VALUE}; "
          + "environment ORRERY_MASTER_HOST).")
  String masterHost;

  @Option(names = "--master-port", defaultValue = "${env:ORRERY_MASTER_PORT:-5050}",
      description = "The gateway's HTTP port, as SUBSCRIBED tells frameworks (default: ${DEFAULT-VALUE}; "
          + "environment ORRERY_MASTER_PORT).")
  int masterPort;

  @Option(names = "--framework-heartbeat", defaultValue = "15",
      description = "Seconds between HEARTBEAT events to each framework (default: ${DEFAULT-VALUE}).")
  double heartbeatSeconds;

  @Override
  String role() {
    return "offers";
  }

  @Override
  boolean singleton() {
    return true;
  }

  @Override
  Future<String> deploy(Vertx vertx, long fence) {
    OfferOptions options = new OfferOptions(Standalone.masterInfo(UUID.randomUUID().toString(), masterHost,
        masterPort), heartbeatSeconds);
    // The REST framework is a singleton too (every gateway's /v1/tasks asks it): it runs with the leading broker,
    // and a broker that takes over starts it again, reading its launched tasks back from the registry.
    return vertx.deployVerticle(new OfferVerticle(options))
        .compose(id -> vertx.deployVerticle(new RestFrameworkVerticle()))
        .map(id -> "orrery offers is up, with the REST framework");
  }
}
