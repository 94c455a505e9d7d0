package orrery.e2e;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import orrery.cli.standalone.Standalone;
import orrery.cli.standalone.StandaloneOptions;

/**
 * A standalone cluster on free ports with a small fixed agent, and a separate Vert.x for the clients, so that
 * every test talks to the cluster over real sockets as an outside framework would.
 */
final class ClusterFixture implements AutoCloseable {

  static final String AGENT_RESOURCES = "cpus:4;mem:4096;disk:4096;ports:[31000-31099]";

  final Path workDir;
  final Standalone cluster;
  final Vertx clients = Vertx.vertx();
  final HttpClient http = HttpClient.newHttpClient();

  private ClusterFixture(Path workDir, Standalone cluster) {
    this.workDir = workDir;
    this.cluster = cluster;
  }

  static ClusterFixture start() throws Exception {
    return start(options -> { });
  }

  /** As {@link #start()}, with the options changed by {@code customizer} (shorter agent timeouts, say). */
  static ClusterFixture start(Consumer<StandaloneOptions.Builder> customizer) throws Exception {
    Path workDir = Files.createTempDirectory("orrery-e2e");
    StandaloneOptions.Builder options = StandaloneOptions.ephemeral(workDir, AGENT_RESOURCES)
        .frameworkHeartbeatSeconds(0.5).statusUpdateRetryMillis(500);
    customizer.accept(options);
    return new ClusterFixture(workDir, await(Standalone.start(options.build())));
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(EventLog.TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  /** Built locally by bin/test-setup: no image can be pulled where the tests run. */
  static final String DOCKER_TEST_IMAGE = "orrery-test-busybox:latest";

  /** Skips the calling test, saying why, unless the agent has a Docker engine holding the test image. */
  void assumeDocker() throws Exception {
    io.vertx.core.json.JsonObject agent = new io.vertx.core.json.JsonObject(
        get("http://127.0.0.1:" + cluster.agentPort() + "/state").body());
    org.junit.jupiter.api.Assumptions.assumeTrue(agent.getBoolean("docker"),
        "the agent found no Docker engine (bin/test-setup starts one)");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        new ProcessBuilder("docker", "image", "inspect", DOCKER_TEST_IMAGE).start().waitFor() == 0,
        "the test image " + DOCKER_TEST_IMAGE + " is missing (bin/test-setup builds it)");
  }

  String gateway() {
    return "http://127.0.0.1:" + cluster.httpPort();
  }

  HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String url, String contentType, String body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> delete(String url) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(url)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() throws Exception {
    await(clients.close());
    await(cluster.close());
  }
}
