package orrery.agent;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import orrery.protocol.bus.Addresses;
import orrery.protocol.mesos.CommandInfo;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.Resource;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskInfo;
import orrery.protocol.mesos.TaskState;
import orrery.protocol.messages.TaskMessages.LaunchTasks;
import orrery.protocol.messages.TaskMessages.StatusUpdate;

/**
 * A real Vert.x, a stand-in registry and allocator, and an agent deployed on them with a temporary work dir and a
 * free HTTP port. Every wait is generous: a slow machine makes these tests slower, never failing.
 */
final class AgentFixture implements AutoCloseable {

  static final FrameworkId FRAMEWORK = FrameworkId.of("framework-1");
  static final String RESOURCES = "cpus:2;mem:1024;disk:2048";
  static final String ATTRIBUTES = "rack:r1;zone:a";
  private static final long WAIT_SECONDS = 30;

  final Vertx vertx = Vertx.vertx();
  final FakeMaster master = new FakeMaster(vertx);
  final Path workDir;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(WAIT_SECONDS)).build();
  AgentVerticle agent;
  String deploymentId;

  AgentFixture(Path workDir) {
    this.workDir = workDir;
  }

  /** A free port, a heartbeat every 100 ms, and Mesos' retry of status updates (2 s doubling up to 60 s). */
  AgentConfig config() {
    return new AgentConfig(workDir, RESOURCES, ATTRIBUTES, "127.0.0.1", 0, 100, 2_000, 60_000);
  }

  /** Deploys the agent; the registry and allocator must be answering. */
  AgentVerticle deploy(AgentConfig config) throws Exception {
    agent = new AgentVerticle(config);
    deploymentId = await(vertx.deployVerticle(agent));
    return agent;
  }

  AgentFixture withMaster() throws Exception {
    master.startRegistry().startAllocator();
    return this;
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  static TaskInfo shell(String id, String command) {
    return TaskInfo.command(id, TaskId.of(id), FakeMaster.AGENT_ID, List.of(Resource.scalar("cpus", 0.1)),
        CommandInfo.shell(command));
  }

  void launch(TaskInfo... tasks) throws Exception {
    await(vertx.eventBus().request(Addresses.agentLaunch(agent.agentId()),
        new LaunchTasks(FRAMEWORK, agent.agentId(), List.of(tasks))));
  }

  /** The task's updates (resends skipped) until its terminal one. */
  List<StatusUpdate> updatesUntilTerminal(TaskId taskId) throws Exception {
    List<StatusUpdate> seen = new ArrayList<>();
    StatusUpdate update;
    do {
      update = master.nextUpdate(taskId);
      seen.add(update);
    } while (!update.status().state().isTerminal());
    return seen;
  }

  StatusUpdate awaitState(TaskId taskId, TaskState state) throws Exception {
    StatusUpdate update = master.nextUpdate(taskId);
    if (update.status().state() != state) {
      throw new AssertionError("expected " + state + " for task '" + taskId + "', got " + update.status().state()
          + " (" + update.status().message() + ")");
    }
    return update;
  }

  HttpResponse<String> get(String pathAndQuery) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.httpPort() + pathAndQuery))
        .timeout(Duration.ofSeconds(WAIT_SECONDS)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  JsonObject state() throws Exception {
    HttpResponse<String> response = get("/state");
    if (response.statusCode() != 200) {
      throw new AssertionError("/state answered " + response.statusCode() + ": " + response.body());
    }
    return new JsonObject(response.body());
  }

  /** The task in /state, running or completed; null when absent. */
  JsonObject task(String taskId) throws Exception {
    JsonObject state = state();
    for (String list : List.of("tasks", "completed_tasks")) {
      JsonArray tasks = state.getJsonArray(list);
      for (int i = 0; i < tasks.size(); i++) {
        if (taskId.equals(tasks.getJsonObject(i).getString("task_id"))) {
          return tasks.getJsonObject(i);
        }
      }
    }
    return null;
  }

  /** The contents of a sandbox file, read through /files/read over HTTP. */
  String readFile(String path) throws Exception {
    HttpResponse<String> response = get("/files/read?offset=0&path=" + encode(path));
    if (response.statusCode() != 200) {
      throw new AssertionError("/files/read of " + path + " answered " + response.statusCode() + ": "
          + response.body());
    }
    return new JsonObject(response.body()).getString("data");
  }

  static void eventually(String what, Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (!condition.call()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + WAIT_SECONDS + " s: " + what);
      }
      Thread.sleep(50);
    }
  }

  /** Closes Vert.x, which stops the agent (and so ends its tasks' processes). */
  @Override
  public void close() {
    try {
      await(vertx.close());
    } catch (Exception e) {
      throw new IllegalStateException("closing Vert.x failed", e);
    }
  }
}
