package orrery.cli.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.commons.io.FileUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

  private static final Logger LOG = LoggerFactory.getLogger(RegistryNodeCommand.class);

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

  /**
   * A store of its own, in a scratch directory, opened, read and closed: the first opening of a store in a JVM takes
   * seconds here (Flyway, SQLite's native library, the store's classes; about 1 s on a quiet machine and 3 to 4 s in
   * the middle of a failover, against 40 ms after), which a standby spends now rather than once elected.
   */
  @Override
  void prepare() {
    long started = System.nanoTime();
    Path scratch = null;
    try {
      scratch = Files.createTempDirectory("orrery-registry-prepare");
      try (RegistryStore store = RegistryStoreSettings.embedded(scratch).open()) {
        store.load().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      LOG.info("the registry's store code is ready ({} ms), before leading", (System.nanoTime() - started) / 1_000_000);
    } catch (Exception e) {
      LOG.warn("could not prepare the registry's store code before leading (it is loaded when elected): {}",
          e.toString());
    } finally {
      if (scratch != null) {
        FileUtils.deleteQuietly(scratch.toFile());
      }
    }
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
