package orrery.cli.standalone;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.UUID;
import orrery.agent.AgentConfig;
import orrery.agent.AgentVerticle;
import orrery.agent.isolation.IsolationOptions;
import orrery.agent.isolation.Isolators;
import orrery.allocator.AllocatorOptions;
import orrery.allocator.AllocatorVerticle;
import orrery.gateway.GatewayOptions;
import orrery.gateway.GatewayVerticle;
import orrery.gateway.health.HealthApi;
import orrery.offers.OfferOptions;
import orrery.offers.OfferVerticle;
import orrery.protocol.mesos.Address;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.MasterInfo;
import orrery.registry.RegistryOptions;
import orrery.rest.RestFrameworkVerticle;
import orrery.registry.RegistryVerticle;
import orrery.registry.store.RegistryStore;

/**
 * Every service and one local agent in one JVM, on a local event bus: what {@code orrery standalone} runs, and what
 * the end-to-end tests and benchmarks start. Services start in the order their messages need: registry,
 * allocator and offer-service, the REST framework, then the gateway, then the agent.
 */
public final class Standalone {

  public static final String VERSION = "0.1.0";

  private final Vertx vertx;
  private final GatewayVerticle gateway;
  private final AgentVerticle agent;
  private final String masterId;
  private final String agentDeployment;
  private final AllocatorOptions allocatorOptions;
  private final RegistryStore store;
  private String allocatorDeployment;
  private String restFrameworkDeployment;

  private Standalone(Vertx vertx, GatewayVerticle gateway, AgentVerticle agent, String masterId,
      String agentDeployment, AllocatorOptions allocatorOptions, String allocatorDeployment, RegistryStore store) {
    this.vertx = vertx;
    this.store = store;
    this.gateway = gateway;
    this.agent = agent;
    this.masterId = masterId;
    this.agentDeployment = agentDeployment;
    this.allocatorOptions = allocatorOptions;
    this.allocatorDeployment = allocatorDeployment;
  }

  public static Future<Standalone> start(StandaloneOptions options) {
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(HealthApi.prometheusRegistry()))
        .build();
    String masterId = UUID.randomUUID().toString();
    MasterInfo masterInfo = masterInfo(masterId, options.host(), options.httpPort());
    GatewayVerticle gateway = new GatewayVerticle(
        new GatewayOptions(options.host(), options.httpPort(), options.bridgePort()));
    AgentVerticle agent = new AgentVerticle(new AgentConfig(options.workDir(), options.resources(),
        options.attributes(), options.host(), options.agentPort(), options.agentHeartbeatMillis(),
        options.statusUpdateRetryMillis(), 60_000,
        new IsolationOptions(options.isolation(), false, null, Isolators.DEFAULT_MOUNT), null,
        options.sandboxGcDelayMillis()));
    AllocatorOptions allocatorOptions =
        AllocatorOptions.defaults().withAllocationIntervalMillis(options.allocationIntervalMillis())
            .withFairnessExcludedKinds(options.fairnessExcludedKinds());
    String[] allocatorDeployment = new String[1];
    String[] restFrameworkDeployment = new String[1];
    RegistryStore[] store = new RegistryStore[1];
    // Opening the store may create or migrate its schema: blocking work, kept off the event loops.
    Future<String> services = vertx.executeBlocking(() -> store[0] = options.registryStore().open())
        .compose(opened -> vertx.deployVerticle(new RegistryVerticle(
            new RegistryOptions(masterId, options.agentTimeoutMillis(),
                options.agentUnreachableTimeoutMillis(), opened))))
        .compose(id -> vertx.deployVerticle(new AllocatorVerticle(allocatorOptions)))
        .compose(id -> {
          allocatorDeployment[0] = id;
          return vertx.deployVerticle(new OfferVerticle(
              new OfferOptions(masterInfo, options.frameworkHeartbeatSeconds())));
        })
        .compose(id -> vertx.deployVerticle(new RestFrameworkVerticle()))
        .compose(id -> {
          restFrameworkDeployment[0] = id;
          return vertx.deployVerticle(gateway);
        })
        .compose(id -> vertx.deployVerticle(agent));
    return services.map(agentDeployment -> {
          Standalone standalone = new Standalone(vertx, gateway, agent, masterId, agentDeployment, allocatorOptions,
              allocatorDeployment[0], store[0]);
          standalone.restFrameworkDeployment = restFrameworkDeployment[0];
          return standalone;
        })
        .recover(failure -> vertx.close().transform(closed -> {
          if (store[0] != null) {
            store[0].close();
          }
          return Future.failedFuture(failure);
        }));
  }

  public int httpPort() {
    return gateway.httpPort();
  }

  public int bridgePort() {
    return gateway.bridgePort();
  }

  public int agentPort() {
    return agent.httpPort();
  }

  public AgentId agentId() {
    return agent.agentId();
  }

  public String masterId() {
    return masterId;
  }

  public Vertx vertx() {
    return vertx;
  }

  /**
   * Stops the allocator and starts a new one, as after a crash or when a standby takes over: it learns weights,
   * quota, agents and their running tasks from the registry, and offer-service tells it the frameworks again.
   */
  public Future<Void> restartAllocator() {
    return vertx.undeploy(allocatorDeployment)
        .compose(v -> vertx.deployVerticle(new AllocatorVerticle(allocatorOptions)))
        .onSuccess(id -> allocatorDeployment = id)
        .mapEmpty();
  }

  /**
   * Stops the REST framework, as when the offer broker it runs beside dies in a cluster: the gateway answers
   * {@code /v1/tasks} with 503 until {@link #startRestFramework} has started another.
   */
  public Future<Void> stopRestFramework() {
    return vertx.undeploy(restFrameworkDeployment);
  }

  /** Starts a new REST framework, which reads its tasks back and subscribes again under the same id. */
  public Future<Void> startRestFramework() {
    return vertx.deployVerticle(new RestFrameworkVerticle()).onSuccess(id -> restFrameworkDeployment = id)
        .mapEmpty();
  }

  /** Stops every service; the agent kills its tasks first. */
  public Future<Void> close() {
    // The agent leaves first, while the registry it unregisters from is still there. Vert.x is closed from a thread
    // of its own: a close called on one of its event loops could not report its end on that loop, which it stops.
    return Future.fromCompletionStage(vertx.undeploy(agentDeployment).toCompletionStage()
        .handle((undeployed, failure) -> undeployed)
        .thenComposeAsync(undeployed -> vertx.close().toCompletionStage())
        .whenComplete((closed, failure) -> store.close()));
  }

  /** What SUBSCRIBED tells a framework of the master: {@code host:port} is where the gateway answers. */
  public static MasterInfo masterInfo(String masterId, String host, int port) {
    return new MasterInfo(masterId, ipv4(host), port, "master@" + host + ":" + port, host, VERSION,
        new Address(host, host, port));
  }

  /** MasterInfo carries the master's IPv4 address as an unsigned 32-bit number, as Mesos does. */
  private static long ipv4(String host) {
    try {
      byte[] address = InetAddress.getByName(host).getAddress();
      return address.length == 4 ? Integer.toUnsignedLong(ByteBuffer.wrap(address).getInt()) : 0;
    } catch (java.net.UnknownHostException e) {
      return 0;
    }
  }
}
