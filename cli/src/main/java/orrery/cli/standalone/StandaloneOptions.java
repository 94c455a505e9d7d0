package orrery.cli.standalone;

import java.nio.file.Path;
import orrery.agent.core.SandboxGc;
import orrery.agent.isolation.Isolators;
import orrery.gateway.GatewayOptions;
import orrery.offers.OfferOptions;
import orrery.registry.RegistryOptions;
import orrery.registry.store.RegistryStoreSettings;

/**
 * Everything {@code orrery standalone} can be told. Ports of 0 pick free ones (tests run several clusters at once).
 *
 * @param resources the agent's resources in Mesos syntax, or null to detect the machine's
 * @param attributes the agent's attributes in Mesos syntax, or null
 * @param fairnessExcludedKinds scalar kinds left out of DRF shares (such as {@code gpus})
 * @param isolation how the agent confines its tasks: {@code auto} (cgroups when the machine has them), {@code cgroups}
 *     or {@code none}
 * @param sandboxGcDelayMillis how long the agent keeps a task's sandbox after the task ended
 * @param registryStore where the registry keeps its record: by default the embedded store under the work dir, so a
 *     standalone started again on the same work dir finds its agents, frameworks and tasks
 */
public record StandaloneOptions(
    String host,
    int httpPort,
    int bridgePort,
    int agentPort,
    Path workDir,
    String resources,
    String attributes,
    double frameworkHeartbeatSeconds,
    long agentHeartbeatMillis,
    long agentTimeoutMillis,
    long agentUnreachableTimeoutMillis,
    long allocationIntervalMillis,
    long statusUpdateRetryMillis,
    Isolators.Mode isolation,
    java.util.Set<String> fairnessExcludedKinds,
    long sandboxGcDelayMillis,
    RegistryStoreSettings registryStore) {

  public StandaloneOptions {
    if (allocationIntervalMillis <= 0) {
      throw new IllegalArgumentException("the allocation interval must be positive, was " + allocationIntervalMillis
          + " ms");
    }
    registryStore = registryStore == null ? RegistryStoreSettings.embedded(workDir) : registryStore;
    fairnessExcludedKinds = fairnessExcludedKinds == null ? java.util.Set.of() : java.util.Set.copyOf(fairnessExcludedKinds);
  }

  public static Builder builder(Path workDir) {
    return new Builder(workDir);
  }

  /** Free ports everywhere: for tests and benchmarks that start clusters side by side. */
  public static Builder ephemeral(Path workDir, String resources) {
    return builder(workDir).ports(0, 0, 0).resources(resources);
  }

  /** Starts from the defaults of {@code orrery standalone}. */
  public static final class Builder {
    private final Path workDir;
    private String host = "127.0.0.1";
    private int httpPort = GatewayOptions.DEFAULT_HTTP_PORT;
    private int bridgePort = GatewayOptions.DEFAULT_BRIDGE_PORT;
    private int agentPort = 5051;
    private String resources;
    private Isolators.Mode isolation = Isolators.Mode.AUTO;
    private java.util.Set<String> fairnessExcludedKinds = java.util.Set.of();
    private String attributes;
    private double frameworkHeartbeatSeconds = OfferOptions.DEFAULT_HEARTBEAT_SECONDS;
    private long agentHeartbeatMillis = 5_000;
    private long agentTimeoutMillis = RegistryOptions.DEFAULT_AGENT_TIMEOUT_MILLIS;
    private long agentUnreachableTimeoutMillis = RegistryOptions.DEFAULT_UNREACHABLE_TIMEOUT_MILLIS;
    private long allocationIntervalMillis = 1_000;
    private long statusUpdateRetryMillis = 2_000;
    private long sandboxGcDelayMillis = SandboxGc.DEFAULT_DELAY_MILLIS;
    private RegistryStoreSettings registryStore;

    private Builder(Path workDir) {
      this.workDir = workDir;
    }

    public Builder host(String value) {
      host = value;
      return this;
    }

    public Builder ports(int http, int bridge, int agent) {
      httpPort = http;
      bridgePort = bridge;
      agentPort = agent;
      return this;
    }

    public Builder resources(String value) {
      resources = value;
      return this;
    }

    public Builder attributes(String value) {
      attributes = value;
      return this;
    }

    public Builder frameworkHeartbeatSeconds(double value) {
      frameworkHeartbeatSeconds = value;
      return this;
    }

    /**
     * How often the agent heartbeats, after how long without one it is unreachable, and after how long unreachable
     * it is gone.
     */
    public Builder agentTimeouts(long heartbeatMillis, long timeoutMillis, long unreachableTimeoutMillis) {
      agentHeartbeatMillis = heartbeatMillis;
      agentTimeoutMillis = timeoutMillis;
      agentUnreachableTimeoutMillis = unreachableTimeoutMillis;
      return this;
    }

    public Builder statusUpdateRetryMillis(long value) {
      statusUpdateRetryMillis = value;
      return this;
    }

    public Builder isolation(Isolators.Mode value) {
      isolation = value;
      return this;
    }

    public Builder allocationIntervalMillis(long value) {
      allocationIntervalMillis = value;
      return this;
    }

    public Builder fairnessExcludedKinds(java.util.Set<String> value) {
      fairnessExcludedKinds = value;
      return this;
    }

    /** Null keeps the default: the embedded store under the work dir. */
    public Builder registryStore(RegistryStoreSettings value) {
      registryStore = value;
      return this;
    }

    public Builder sandboxGcDelayMillis(long value) {
      sandboxGcDelayMillis = value;
      return this;
    }

    public StandaloneOptions build() {
      return new StandaloneOptions(host, httpPort, bridgePort, agentPort, workDir, resources, attributes,
          frameworkHeartbeatSeconds, agentHeartbeatMillis, agentTimeoutMillis, agentUnreachableTimeoutMillis,
          allocationIntervalMillis,
          statusUpdateRetryMillis, isolation, fairnessExcludedKinds, sandboxGcDelayMillis, registryStore);
    }
  }
}
