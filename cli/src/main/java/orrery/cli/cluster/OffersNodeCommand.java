package orrery.cli.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.UUID;
import orrery.cli.standalone.Standalone;
import orrery.offers.OfferOptions;
import orrery.offers.OfferVerticle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "offers", mixinStandardHelpOptions = true,
    description = "Run the offer broker (framework sessions and offers) as a member of the cluster, until "
        + "interrupted.")
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
    return vertx.deployVerticle(new OfferVerticle(options)).map(id -> "orrery offers is up");
  }
}
