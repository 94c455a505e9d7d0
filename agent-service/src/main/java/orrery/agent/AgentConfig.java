package orrery.agent;

import java.nio.file.Path;
import orrery.agent.core.SandboxGc;
import orrery.agent.isolation.IsolationOptions;
import java.util.Objects;
import orrery.agent.core.RetryPolicy;
import orrery.protocol.mesos.AgentInfo;

/**
 * How an agent is started.
 *
 * @param workDir where sandboxes are created ({@code <workDir>/agents/...})
 * @param resources the {@code --resources} text (Mesos syntax), or null; what it leaves out is detected
 * @param attributes the {@code --attributes} text ({@code rack:r1;zone:a}), or null
 * @param hostname how others reach this agent; goes into its {@code AgentInfo}
 * @param httpPort the port of {@code /state} and {@code /files}; 0 picks a free one
 * @param heartbeatIntervalMillis how often the agent tells the registry it is alive
 * @param statusUpdateRetryInitialMillis the first wait before an unacknowledged status update is resent
 * @param statusUpdateRetryMaxMillis the longest wait between resends (the wait doubles up to it)
 * @param isolation how tasks are confined (cgroups when the machine has them, by default)
 * @param dockerHost the Docker engine for DOCKER tasks: null for {@code DOCKER_HOST}, else the default socket;
 *     {@code none} for no Docker
 * @param sandboxGcDelayMillis how long a task's sandbox is kept after the task ended (Mesos' {@code --gc_delay})
 */
public record AgentConfig(
    Path workDir,
    String resources,
    String attributes,
    String hostname,
    int httpPort,
    long heartbeatIntervalMillis,
    long statusUpdateRetryInitialMillis,
    long statusUpdateRetryMaxMillis,
    IsolationOptions isolation,
    String dockerHost,
    long sandboxGcDelayMillis) {

  public static final long DEFAULT_HEARTBEAT_INTERVAL_MILLIS = 5_000;
  public static final long DEFAULT_STATUS_UPDATE_RETRY_INITIAL_MILLIS = 2_000;
  public static final long DEFAULT_STATUS_UPDATE_RETRY_MAX_MILLIS = 60_000;

  public AgentConfig {
    Objects.requireNonNull(workDir, "workDir");
    if (hostname == null || hostname.isBlank()) {
      throw new IllegalArgumentException("hostname is required");
    }
    if (httpPort < 0 || httpPort > 65_535) {
      throw new IllegalArgumentException("httpPort must be 0 (any free port) to 65535, was " + httpPort);
    }
    if (heartbeatIntervalMillis <= 0) {
      throw new IllegalArgumentException("heartbeatIntervalMillis must be positive, was " + heartbeatIntervalMillis);
    }
    new RetryPolicy(statusUpdateRetryInitialMillis, statusUpdateRetryMaxMillis); // validates both
    isolation = isolation == null ? IsolationOptions.DEFAULT : isolation;
    if (sandboxGcDelayMillis <= 0) {
      throw new IllegalArgumentException("sandboxGcDelayMillis must be positive, was " + sandboxGcDelayMillis);
    }
  }

  public AgentConfig(Path workDir, String resources, String attributes, String hostname, int httpPort,
      long heartbeatIntervalMillis, long statusUpdateRetryInitialMillis, long statusUpdateRetryMaxMillis) {
    this(workDir, resources, attributes, hostname, httpPort, heartbeatIntervalMillis, statusUpdateRetryInitialMillis,
        statusUpdateRetryMaxMillis, IsolationOptions.DEFAULT);
  }

  public AgentConfig(Path workDir, String resources, String attributes, String hostname, int httpPort,
      long heartbeatIntervalMillis, long statusUpdateRetryInitialMillis, long statusUpdateRetryMaxMillis,
      IsolationOptions isolation) {
    this(workDir, resources, attributes, hostname, httpPort, heartbeatIntervalMillis, statusUpdateRetryInitialMillis,
        statusUpdateRetryMaxMillis, isolation, null, SandboxGc.DEFAULT_DELAY_MILLIS);
  }

  /** Mesos' defaults: port 5051, a heartbeat every 5 s, updates resent after 2 s doubling up to 60 s. */
  public static AgentConfig defaults(Path workDir, String hostname) {
    return new AgentConfig(workDir, null, null, hostname, AgentInfo.DEFAULT_PORT, DEFAULT_HEARTBEAT_INTERVAL_MILLIS,
        DEFAULT_STATUS_UPDATE_RETRY_INITIAL_MILLIS, DEFAULT_STATUS_UPDATE_RETRY_MAX_MILLIS);
  }

  public RetryPolicy statusUpdateRetry() {
    return new RetryPolicy(statusUpdateRetryInitialMillis, statusUpdateRetryMaxMillis);
  }

  public AgentConfig withHttpPort(int value) {
    return new AgentConfig(workDir, resources, attributes, hostname, value, heartbeatIntervalMillis,
        statusUpdateRetryInitialMillis, statusUpdateRetryMaxMillis, isolation, dockerHost, sandboxGcDelayMillis);
  }

  public AgentConfig withStatusUpdateRetry(long initialMillis, long maxMillis) {
    return new AgentConfig(workDir, resources, attributes, hostname, httpPort, heartbeatIntervalMillis,
        initialMillis, maxMillis, isolation, dockerHost, sandboxGcDelayMillis);
  }

  public AgentConfig withIsolation(IsolationOptions value) {
    return new AgentConfig(workDir, resources, attributes, hostname, httpPort, heartbeatIntervalMillis,
        statusUpdateRetryInitialMillis, statusUpdateRetryMaxMillis, value, dockerHost, sandboxGcDelayMillis);
  }

  public AgentConfig withDockerHost(String value) {
    return new AgentConfig(workDir, resources, attributes, hostname, httpPort, heartbeatIntervalMillis,
        statusUpdateRetryInitialMillis, statusUpdateRetryMaxMillis, isolation, value, sandboxGcDelayMillis);
  }

  public AgentConfig withSandboxGcDelayMillis(long value) {
    return new AgentConfig(workDir, resources, attributes, hostname, httpPort, heartbeatIntervalMillis,
        statusUpdateRetryInitialMillis, statusUpdateRetryMaxMillis, isolation, dockerHost, value);
  }
}
