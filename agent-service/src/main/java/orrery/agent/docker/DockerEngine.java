package orrery.agent.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Docker engine this agent runs DOCKER tasks with, found when the agent starts. Blocking: call {@link #connect}
 * from a worker thread.
 *
 * @param host the engine's address ({@code unix:///var/run/docker.sock}, {@code tcp://...})
 * @param version the engine's version, as {@code /state} shows it
 */
public record DockerEngine(DockerClient client, String host, String version) implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DockerEngine.class);
  /** An agent that may not use Docker says so with this instead of an address. */
  public static final String NONE = "none";
  /** How long the agent waits at start for an engine to answer; a machine without one must not slow it much. */
  static final Duration PING_TIMEOUT = Duration.ofSeconds(3);

  /**
   * The engine at {@code host} (null: {@code DOCKER_HOST}, else the default socket), or null when none answers in
   * {@link #PING_TIMEOUT} or {@code host} is {@link #NONE}; why not is logged, and the agent then offers no Docker.
   */
  public static DockerEngine connect(String host) {
    if (NONE.equals(host)) {
      LOG.info("Docker: not used (docker host 'none'); tasks with a DOCKER container will be refused");
      return null;
    }
    DefaultDockerClientConfig.Builder builder = DefaultDockerClientConfig.createDefaultConfigBuilder();
    if (host != null) {
      builder.withDockerHost(host);
    }
    DockerClientConfig config;
    try {
      config = builder.build();
    } catch (RuntimeException e) {
      LOG.warn("Docker: the engine address '{}' is not usable ({}); tasks with a DOCKER container will be refused",
          host, e.getMessage());
      return null;
    }
    String address = config.getDockerHost().toString();
    try (DockerClient probe = client(config, PING_TIMEOUT)) {
      String version = probe.versionCmd().exec().getVersion();
      LOG.info("Docker: engine {} at {}", version, address);
      // Without a response timeout: waiting for a container's exit and following its logs take as long as the task.
      return new DockerEngine(client(config, null), address, version);
    } catch (IOException | RuntimeException e) {
      LOG.info("Docker: no engine answers at {} ({}); tasks with a DOCKER container will be refused", address,
          e.getMessage() == null ? e.toString() : e.getMessage());
      return null;
    }
  }

  private static DockerClient client(DockerClientConfig config, Duration responseTimeout) {
    ZerodepDockerHttpClient.Builder http = new ZerodepDockerHttpClient.Builder()
        .dockerHost(config.getDockerHost())
        .sslConfig(config.getSSLConfig())
        .connectionTimeout(PING_TIMEOUT)
        .maxConnections(200);
    if (responseTimeout != null) {
      http.responseTimeout(responseTimeout);
    }
    DockerHttpClient built = http.build();
    return DockerClientImpl.getInstance(config, built);
  }

  @Override
  public void close() throws IOException {
    client.close();
  }
}
