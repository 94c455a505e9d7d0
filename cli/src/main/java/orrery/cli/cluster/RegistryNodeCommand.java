package orrery.cli.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.UUID;
import orrery.agent.core.Durations;
import orrery.cli.flags.RegistryStoreFlags;
import orrery.registry.RegistryOptions;
import orrery.registry.RegistryVerticle;
import orrery.registry.store.RegistryStore;
import orrery.registry.store.RegistryStoreSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "registry", mixinStandardHelpOptions = true,
    description = "Run the task registry as a member of the cluster, until interrupted.")
public final class RegistryNodeCommand extends NodeCommand {

  @Mixin
  RegistryStoreFlags store;

  @Option(names = "--work-dir", defaultValue = "${sys:java.io.tmpdir}/orrery-registry",
      description = "Where the embedded store keeps its file (default: ${DEFAULT-VALUE}).")
  Path workDir;

  @Option(names = "--agent-timeout", defaultValue = "${env:ORRERY_AGENT_TIMEOUT:-30s}",
      description = "An agent not heard from for this long is unreachable (default: ${DEFAULT-VALUE}; environment "
          + "ORRERY_AGENT_TIMEOUT).")
  String agentTimeout;

  @Option(names = "--agent-unreachable-timeout", defaultValue = "15mins",
      description = "An agent unreachable for this long is gone (default: ${DEFAULT-VALUE}).")
  String unreachableTimeout;

  private RegistryStore opened;

  @Override
  String role() {
    return "registry";
  }

  @Override
  boolean singleton() {
    return true;
  }

  @Override
  Future<String> deploy(Vertx vertx, long fence) {
    RegistryStoreSettings settings = store.settings(workDir);
    long timeoutMillis = Durations.parseMillis("--agent-timeout", agentTimeout);
    long unreachableMillis = Durations.parseMillis("--agent-unreachable-timeout", unreachableTimeout);
    // Opening the store may create or migrate its schema: blocking work, kept off the event loops.
    return vertx.executeBlocking(() -> {
          opened = settings.open();
          // Every write of this leader carries its token: once another has written with a higher one, this one's
          // writes are refused (the store checks it in the same transaction).
          opened.fence(fence);
          return opened;
        })
        .compose(store -> vertx.deployVerticle(new RegistryVerticle(new RegistryOptions(
            UUID.randomUUID().toString(), timeoutMillis, unreachableMillis, store))))
        .map(id -> "orrery registry is up, keeping its record in the " + settings + " store");
  }

  @Override
  void stopped() {
    if (opened != null) {
      opened.close();
    }
  }
}
