package orrery.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cluster as docker-compose.yml deploys it, from the image the Dockerfile builds (on a local JRE base: no image
 * can be pulled here): PostgreSQL, two registries, two allocators, two offer brokers, a gateway and three agents, each
 * a container on one Docker network. Tasks run through the gateway; killing the leading registry, allocator and
 * offer broker containers in turn is followed by the standby taking over with no task lost; an agent container
 * killed and started again recovers its task (a Docker container beside it); that agent cut off the network (its
 * interface taken down, see {@link ComposeCluster#partition}) walks a partition-aware framework's task through
 * TASK_UNREACHABLE and back to TASK_RUNNING.
 */
class ComposeClusterTest {

  private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
  private static final String IMAGE = "orrery-compose-test:latest";
  private static final String JRE_IMAGE = "orrery-test-jre:bookworm";
  private static final String POSTGRES_IMAGE = "orrery-test-postgres:latest";
  private static final String TASK_IMAGE = "orrery-test-busybox:latest";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private static final long STEP_SECONDS = 120;

  private static ComposeCluster cluster;
  private static Path agentDir;
  private static String gateway;
  private static int gatewayPort;

  @BeforeAll
  static void up() throws Exception {
    assumeTrue(works("docker", "info") && works("docker-compose", "version"),
        "needs a Docker engine and docker-compose (bin/test-setup installs and starts them)");
    for (String image : List.of(JRE_IMAGE, POSTGRES_IMAGE, TASK_IMAGE)) {
      assumeTrue(works("docker", "image", "inspect", image), "needs the local image " + image + " (bin/test-setup)");
    }
    assertThat(ROOT.resolve("cli/target/orrery.jar")).as("the orrery jar, packaged before this module").exists();
    ComposeCluster.docker("build", "-q", "--build-arg", "BASE_IMAGE=" + JRE_IMAGE, "-t", IMAGE, ROOT.toString());

    // The agents' work dirs are mounted at the same path on the host, where the tasks' containers find them.
    agentDir = Files.createTempDirectory("orrery-compose-agents");
    gatewayPort = freePort();
    gateway = "http://127.0.0.1:" + gatewayPort;
    cluster = new ComposeCluster(ROOT, "orrerytest" + UUID.randomUUID().toString().substring(0, 8), Map.of(
        "ORRERY_IMAGE", IMAGE,
        "POSTGRES_IMAGE", POSTGRES_IMAGE,
        "ORRERY_GATEWAY_PORT", Integer.toString(gatewayPort),
        "ORRERY_AGENT_DIR", agentDir.toString(),
        "ORRERY_AGENT_TIMEOUT", "15s",
        "ORRERY_LOG_LEVEL", System.getenv().getOrDefault("ORRERY_LOG_LEVEL", "INFO"),
        "ORRERY_HAZELCAST_LOG_LEVEL", System.getenv().getOrDefault("ORRERY_HAZELCAST_LOG_LEVEL", "WARN"),
        // Ten JVMs start at once on a small machine: the first JIT tier and a small heap each.
        "ORRERY_JAVA_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx384m"));
    cluster.compose("up", "-d");
    awaitHealthy(240);
  }

  @AfterAll
  static void down() throws Exception {
    if (cluster == null) {
      return;
    }
    try {
      Files.writeString(ROOT.resolve("deploy/target/compose-cluster.log"), cluster.compose("logs", "--no-color"));
      cluster.compose("down", "-v", "--timeout", "5");
    } finally {
      // Tasks' containers are the agents' siblings on the engine: remove the ones whose sandbox was here.
      for (String id : ComposeCluster.docker("ps", "-aq", "--filter", "label=orrery.sandbox").split("\\s+")) {
        if (!id.isBlank() && ComposeCluster.docker("inspect", "-f", "{{index .Config.Labels \"orrery.sandbox\"}}", id)
            .startsWith(agentDir.toString())) {
          ComposeCluster.docker("rm", "-f", id);
        }
      }
    }
  }

  @Test
  void theComposedClusterRunsTasksAndSurvivesTheLossOfAnyContainer() throws Exception {
    assertThat(await(launch("echo hello from the containers", null), "TASK_FINISHED").get("agent_id").asText())
        .isNotBlank();
    // A task in a Docker container of its own, beside its agent's: it outlives the agent's container.
    String sleeper = launch("sleep 600", TASK_IMAGE);
    String sleeperAgent = await(sleeper, "TASK_RUNNING").get("agent_id").asText();

    for (String role : List.of("registry", "allocator", "offers")) {
      failOver(role);
      await(launch("echo after the " + role + " failover", null), "TASK_FINISHED");
      await(sleeper, "TASK_RUNNING");
    }

    // The agent's container dies and is started again: it finds its task's container and goes on with it.
    String agent = serviceOf(sleeperAgent);
    String taskContainer = taskContainer(sleeper);
    CpSeat seat = cpSeat(agent);
    cluster.kill(agent);
    cluster.start(agent);
    cluster.awaitLog(agent, "is up on port", 2, STEP_SECONDS);
    seat.awaitTaken();
    await(launch("echo after the agent came back", null), "TASK_FINISHED");
    await(sleeper, "TASK_RUNNING");
    assertThat(taskContainer(sleeper)).as("the same container still runs the task").isEqualTo(taskContainer);
    assertThat(status(sleeper).statusCode()).isEqualTo(200);
    assertThat(kill(sleeper)).isEqualTo(202);
    await(sleeper, "TASK_KILLED");

    partitionAnAgent(agent);
  }

  /**
   * A partition-aware framework on the HTTP API runs a task on the agent, which is then cut off the network: the
   * registry misses its heartbeats (15 s here) and reports the task TASK_UNREACHABLE; once the network heals the agent
   * rejoins (Hazelcast merges the split cluster) and registers again with the task, which is TASK_RUNNING again.
   * The agent is the one started again above, so the youngest member: when the oldest, Hazelcast's master, was cut
   * off, its side once did not merge back within two minutes here (docs/cluster.md).
   */
  private void partitionAnAgent(String victim) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      PartitionAwareFramework framework = new PartitionAwareFramework(vertx, gatewayPort);
      framework.subscribe();
      String task = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STEP_SECONDS);
      while (task == null && System.nanoTime() < deadline) {
        var offer = framework.nextOffer(5);
        if (offer == null) {
          continue;
        }
        String service = serviceOf(offer.agentId().value());
        if (!service.equals(victim)) {
          framework.decline(offer);
          continue;
        }
        task = framework.launchSleeper(offer);
      }
      assertThat(task).as("a task launched on %s", victim).isNotNull();
      framework.awaitState(task, "TASK_RUNNING", STEP_SECONDS);

      String defaultRoute = cluster.defaultRoute(victim);
      cluster.partition(victim);
      framework.awaitState(task, "TASK_UNREACHABLE", STEP_SECONDS);
      cluster.heal(victim, defaultRoute);
      framework.awaitState(task, "TASK_RUNNING", 2, STEP_SECONDS);
      System.out.printf("partition: %s%n", framework.statesOf(task));
      // As frameworks do, the kill is asked again until it is done: the agent may drop out again while it settles.
      long killDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STEP_SECONDS);
      while (!framework.statesOf(task).contains("TASK_KILLED") && System.nanoTime() < killDeadline) {
        framework.kill(task);
        try {
          framework.awaitState(task, "TASK_KILLED", 15);
        } catch (AssertionError notYet) {
          // asked again
        }
      }
      framework.awaitState(task, "TASK_KILLED", 1);
      framework.teardown();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /**
   * Kills whichever replica of the role leads (the one that printed the highest fencing token: a leader that lost its
   * lock exits and is started again as a standby), and waits for the other to take over.
   */
  private void failOver(String role) throws Exception {
    String leader = null;
    long highest = 0;
    for (String replica : List.of(role + "-1", role + "-2")) {
      Matcher token = Pattern.compile("leads \\(fencing token (\\d+)\\)").matcher(cluster.logs(replica));
      while (token.find()) {
        if (Long.parseLong(token.group(1)) > highest) {
          highest = Long.parseLong(token.group(1));
          leader = replica;
        }
      }
    }
    assertThat(leader).as("a leading %s", role).isNotNull();
    String standby = leader.endsWith("-1") ? role + "-2" : role + "-1";
    cluster.awaitLog(standby, "waiting to lead", 1, STEP_SECONDS);
    int upBefore = ComposeCluster.occurrences(cluster.logs(standby), "is up");
    CpSeat seat = cpSeat(leader);
    long killed = System.nanoTime();
    cluster.kill(leader);
    cluster.awaitLog(standby, "is up", upBefore + 1, STEP_SECONDS);
    System.out.printf("%s failover (containers): %s took over %.1f s after %s was killed%n", role, standby,
        (System.nanoTime() - killed) / 1e9, leader);
    seat.awaitTaken();
  }

  /**
   * The seat a service had in the CP subsystem (which keeps the leader locks: three members, docker-compose.yml),
   * if it had one, before it is killed: once killed, another member takes it and the dead one is removed; the test
   * waits for that before it kills the next container, as the CP subsystem outlives one death at a time.
   */
  private record CpSeat(boolean held, int wholeBefore) {

    void awaitTaken() throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STEP_SECONDS);
      while (held && ComposeCluster.occurrences(cluster.logs(), "CP subsystem is whole again") == wholeBefore) {
        assertThat(System.nanoTime()).as("another member took the killed one's CP seat").isLessThan(deadline);
        Thread.sleep(1_000);
      }
    }
  }

  private static CpSeat cpSeat(String service) throws Exception {
    String logs = cluster.logs(service);
    boolean held = logs.contains("is a CP member") || logs.contains("joined the CP subsystem");
    return new CpSeat(held, ComposeCluster.occurrences(cluster.logs(), "CP subsystem is whole again"));
  }

  /** The compose service whose agent registered under this id. */
  private static String serviceOf(String agentId) throws Exception {
    for (String service : List.of("agent-1", "agent-2", "agent-3")) {
      if (cluster.logs(service).contains("agent " + agentId + " registered")) {
        return service;
      }
    }
    throw new AssertionError("no agent service registered as " + agentId);
  }

  private static String taskContainer(String taskId) throws Exception {
    String id = ComposeCluster.docker("ps", "-q", "--filter", "label=orrery.task_id=" + taskId).strip();
    assertThat(id).as("the running container of task %s", taskId).isNotBlank();
    return id;
  }

  private static String launch(String cmd, String image) throws Exception {
    Map<String, Object> body = image == null ? Map.of("cmd", cmd, "cpus", 0.1, "mem", 16)
        : Map.of("cmd", cmd, "cpus", 0.1, "mem", 16, "image", image);
    HttpResponse<String> created = send("POST", "/v1/tasks", JSON.writeValueAsString(body));
    assertThat(created.statusCode()).as("POST /v1/tasks: %s", created.body()).isEqualTo(201);
    return JSON.readTree(created.body()).get("id").asText();
  }

  private static int kill(String id) throws Exception {
    return send("DELETE", "/v1/tasks/" + id, null).statusCode();
  }

  private static HttpResponse<String> status(String id) throws Exception {
    return send("GET", "/v1/tasks/" + id, null);
  }

  /** Polls the task until it is in {@code state}; the gateway may be briefly unable to answer meanwhile. */
  private static JsonNode await(String id, String state) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STEP_SECONDS);
    String last = "";
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> response = status(id);
        last = response.statusCode() + " " + response.body();
        if (response.statusCode() == 200) {
          JsonNode task = JSON.readTree(response.body());
          if (state.equals(task.path("state").asText())) {
            return task;
          }
        }
      } catch (IOException notAnswering) {
        last = notAnswering.toString();
      }
      Thread.sleep(250);
    }
    throw new AssertionError("task " + id + " never " + state + " within " + STEP_SECONDS + " s; last: " + last);
  }

  private static void awaitHealthy(long seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    String last = "";
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> health = send("GET", "/health", null);
        last = health.statusCode() + " " + health.body();
        if (health.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        last = notYet.toString();
      }
      Thread.sleep(1000);
    }
    throw new AssertionError("the gateway was not healthy within " + seconds + " s (last: " + last + "); "
        + "services:\n" + cluster.compose("ps"));
  }

  private static HttpResponse<String> send(String method, String path, String body) throws Exception {
    // The gateway may take its 15 s answer time while the REST framework fails over with the offer broker.
    HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + path)).timeout(Duration.ofSeconds(60))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json").build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static boolean works(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** A port below Linux's ephemeral range, free now, for the gateway on the host. */
  private static int freePort() throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = java.util.concurrent.ThreadLocalRandom.current().nextInt(20_000, 32_000);
      try (ServerSocket socket = new ServerSocket(port)) {
        return port;
      } catch (IOException taken) {
        // another one
      }
    }
    throw new IOException("no free port between 20000 and 32000");
  }
}
