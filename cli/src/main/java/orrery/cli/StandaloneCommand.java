package orrery.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import orrery.agent.core.Durations;
import orrery.cli.standalone.Demo;
import orrery.cli.standalone.Standalone;
import orrery.agent.isolation.Isolators;
import orrery.cli.standalone.StandaloneOptions;
import orrery.registry.store.RegistryStoreSettings;
import picocli.CommandLine.Command;
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

  @Option(names = "--work-dir", description = "Where the agent keeps task sandboxes (default: ${DEFAULT-VALUE}).",
      defaultValue = "${sys:java.io.tmpdir}/orrery")
  Path workDir;

  @Option(names = "--resources", description = "The agent's resources in Mesos syntax, e.g. "
      + "'cpus:4;mem:8192;ports:[31000-32000]' (default: detected from this machine).")
  String resources;

  @Option(names = "--attributes", description = "The agent's attributes in Mesos syntax, e.g. 'rack:r1;zone:a'.")
  String attributes;

  @Option(names = "--isolation", defaultValue = "auto", converter = IsolationConverter.class,
      description = "How the agent confines tasks: auto (cgroups when the machine has them), cgroups (refuse to "
          + "start without them) or none (default: ${DEFAULT-VALUE}).")
  Isolators.Mode isolation;

  @Option(names = "--allocation-interval", defaultValue = "1",
      description = "Seconds between allocation cycles; triggers such as a new agent also start one (default: "
          + "${DEFAULT-VALUE}).")
  double allocationIntervalSeconds;

  @Option(names = "--fair-sharing-excluded-resource-names", split = ",",
      description = "Scalar resources left out of DRF shares, e.g. 'gpus' on a cluster of mostly CPU work.")
  java.util.Set<String> fairnessExcluded = java.util.Set.of();

  @Option(names = "--sandbox-gc-delay", defaultValue = "7d",
      description = "How long a task's sandbox (its stdout, stderr and files) is kept after the task ended, as "
          + "Mesos' --gc_delay: 30s, 12h, 7d, 1weeks (default: ${DEFAULT-VALUE}).")
  String sandboxGcDelay;

  @Option(names = "--registry-store", defaultValue = "${env:ORRERY_REGISTRY_STORE:-embedded}",
      description = "Where the registry keeps agents, frameworks and tasks: embedded (a file under the work dir, "
          + "the default), postgresql (see --postgres-url) or memory (lost when Orrery stops). "
          + "Environment: ORRERY_REGISTRY_STORE.")
  String registryStore;

  @Option(names = "--postgres-url", defaultValue = "${env:ORRERY_POSTGRES_URL}",
      description = "The registry's PostgreSQL database, e.g. jdbc:postgresql://db:5432/orrery. "
          + "Environment: ORRERY_POSTGRES_URL.")
  String postgresUrl;

  @Option(names = "--postgres-user", defaultValue = "${env:ORRERY_POSTGRES_USER}",
      description = "PostgreSQL user. Environment: ORRERY_POSTGRES_USER.")
  String postgresUser;

  @Option(names = "--postgres-password", defaultValue = "${env:ORRERY_POSTGRES_PASSWORD}",
      description = "PostgreSQL password; prefer the environment variable ORRERY_POSTGRES_PASSWORD.")
  String postgresPassword;

  @Option(names = "--demo", description = "Also launch a few demo tasks and print their states as they change.")
  boolean demo;

  @Override
  public Integer call() throws Exception {
    StandaloneOptions options = StandaloneOptions.builder(workDir).ports(port, bridgePort, agentPort).host(host)
        .resources(resources).attributes(attributes).isolation(isolation)
        .allocationIntervalMillis(Math.round(allocationIntervalSeconds * 1000)).fairnessExcludedKinds(fairnessExcluded)
        .sandboxGcDelayMillis(Durations.parseMillis("--sandbox-gc-delay", sandboxGcDelay))
        .registryStore(registryStoreSettings()).build();
    Standalone standalone = Standalone.start(options).toCompletionStage().toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
    System.out.printf("Orrery is up: http://%s:%d (Mesos scheduler API at /api/v1/scheduler, tasks at /v1/tasks), "
        + "event-bus bridge on %s:%d, agent %s on port %d%n", host, standalone.httpPort(), host,
        standalone.bridgePort(), standalone.agentId(), standalone.agentPort());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        standalone.close().toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println("orrery: stopping took too long: " + e.getMessage());
      }
      stopped.countDown();
    }, "orrery-shutdown"));
    if (demo) {
      new Demo("http://" + host + ":" + standalone.httpPort(), System.out).start();
    }
    stopped.await();
    return 0;
  }

  private RegistryStoreSettings registryStoreSettings() {
    RegistryStoreSettings.Kind kind = RegistryStoreSettings.Kind.parse("--registry-store", registryStore);
    return new RegistryStoreSettings(kind, RegistryStoreSettings.embeddedFileIn(workDir), postgresUrl, postgresUser,
        postgresPassword);
  }

  /** Accepts the lower-case names the help shows. */
  static final class IsolationConverter implements picocli.CommandLine.ITypeConverter<Isolators.Mode> {
    @Override
    public Isolators.Mode convert(String value) {
      try {
        return Isolators.Mode.valueOf(value.toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException("--isolation must be auto, cgroups or none, not '"
            + value + "'");
      }
    }
  }
}
