package orrery.bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import orrery.agent.isolation.Isolators;
import orrery.cli.standalone.Standalone;
import orrery.cli.standalone.StandaloneOptions;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.Filters;
import orrery.protocol.mesos.FrameworkInfo;
import orrery.protocol.mesos.Offer;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskInfo;
import orrery.protocol.mesos.TaskState;
import orrery.protocol.mesos.TaskStatus;
import orrery.protocol.resources.Resources;
import orrery.protocol.scheduler.Call;
import orrery.sdk.SchedulerHttpClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One agent of a standalone cluster started in this process, each task in cgroups of its own: how long until
 * {@code --tasks} long-running tasks are all TASK_RUNNING (from the first ACCEPT), and how long from the KILL calls
 * until all are TASK_KILLED and none of their cgroups is left. A framework on the Mesos v1 HTTP API launches them,
 * up to {@code --batch} per ACCEPT, and acknowledges every update at once.
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
    description = "Time for one agent to run N cgroup-isolated tasks, and to kill and clean them all up.")
final class AgentBenchmark implements Callable<Integer> {

  private static final Path CGROUPS = Isolators.DEFAULT_MOUNT;

  @Option(names = "--tasks", defaultValue = "1000", description = "Tasks to launch (default: ${DEFAULT-VALUE}).")
  int tasks;

  @Option(names = "--batch", defaultValue = "1000", description = "Most tasks per ACCEPT (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--command", defaultValue = "sleep 600",
      description = "Each task's command; it must run until killed (default: ${DEFAULT-VALUE}).")
  String command;

  @Option(names = "--resources", defaultValue = "cpus:32;mem:65536;disk:1024;ports:[31000-32000]",
      description = "The agent's resources; 0.02 cpus and 32 MB per task must fit (default: ${DEFAULT-VALUE}).")
  String resources;

  @Option(names = "--isolation", defaultValue = "cgroups",
      description = "cgroups (refuse to run without them), auto or none (default: ${DEFAULT-VALUE}).")
  String isolation;

  private final Deque<TaskId> pending = new ArrayDeque<>();
  /** Filled on the client's event loop, read from the main thread: hence concurrent. */
  private final Set<TaskId> running = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final Set<TaskId> killed = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final CompletableFuture<Long> allRunning = new CompletableFuture<>();
  private final CompletableFuture<Long> allKilled = new CompletableFuture<>();
  private int failed;
  private long firstAccept;
  private AgentId agentId;
  private SchedulerHttpClient client;

  @Override
  public Integer call() throws Exception {
    Path workDir = Files.createTempDirectory("orrery-bench-agent");
    Standalone cluster = Standalone.start(StandaloneOptions.ephemeral(workDir, resources)
            .isolation(Isolators.Mode.valueOf(isolation.toUpperCase(java.util.Locale.ROOT))).build())
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    Vertx clients = Vertx.vertx();
    try {
      for (int i = 0; i < tasks; i++) {
        pending.add(TaskId.of("agent-bench-" + i));
      }
      agentId = cluster.agentId();
      JsonObject state = agentState(cluster);
      System.err.printf("agent: %d tasks of '%s', up to %d per ACCEPT, on one agent (%s, isolation %s)%n", tasks,
          command, batch, resources, state.getString("isolation"));
      client = new SchedulerHttpClient(clients, "127.0.0.1", cluster.httpPort());
      client.subscribe(FrameworkInfo.of("bench", "agent-benchmark"),
              OfferPacking.events(this::launchOn, this::onUpdate))
          .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      long runningAt = allRunning.get(10, TimeUnit.MINUTES);
      double runningSeconds = (runningAt - firstAccept) / 1e9;
      System.err.printf("agent: all %d RUNNING after %.2f s (%d failed)%n", tasks, runningSeconds, failed);

      List<String> containers = containers(agentState(cluster));
      long killsSent = System.nanoTime();
      for (TaskId id : List.copyOf(running)) {
        client.call(Call.kill(client.frameworkId(), id, agentId))
            .onFailure(e -> System.err.println("agent: KILL of " + id + " failed: " + e.getMessage()));
      }
      allKilled.get(10, TimeUnit.MINUTES);
      long killedAt = System.nanoTime();
      int left;
      while ((left = cgroupsLeft(containers)) > 0 && System.nanoTime() - killsSent < TimeUnit.MINUTES.toNanos(5)) {
        Thread.sleep(10);
      }
      long cleanedAt = System.nanoTime();
      System.err.printf("agent: all KILLED %.2f s after the kills, cgroups gone %.2f s after (%d left)%n",
          (killedAt - killsSent) / 1e9, (cleanedAt - killedAt) / 1e9, left);
      JsonObject result = new JsonObject()
          .put("benchmark", "agent")
          .put("tasks", tasks)
          .put("batch", batch)
          .put("isolation", state.getString("isolation"))
          .put("failed", failed)
          .put("all_running_s", round(runningSeconds))
          .put("all_killed_s", round((killedAt - killsSent) / 1e9))
          .put("all_cleaned_s", round((cleanedAt - killsSent) / 1e9))
          .put("cgroups_left", left);
      System.out.println(result.encode());
      return 0;
    } finally {
      if (client != null && client.frameworkId() != null) {
        client.call(Call.teardown(client.frameworkId()));
      }
      clients.close();
      cluster.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }

  /** On the client's event loop, as every touch of the benchmark's state. */
  private void launchOn(Offer offer) {
    List<TaskInfo> launch = OfferPacking.pack(offer, pending, batch, Resources.cpusMem(0.02, 32), command);
    if (launch.isEmpty()) {
      client.call(Call.decline(client.frameworkId(), List.of(offer.id()), new Filters(pending.isEmpty() ? 600.0 : 0)));
      return;
    }
    if (firstAccept == 0) {
      firstAccept = System.nanoTime();
    }
    client.call(Call.accept(client.frameworkId(), List.of(offer.id()), List.of(Offer.Operation.launch(launch)),
        new Filters(0.0)));
  }

  private void onUpdate(TaskStatus status) {
    if (status.uuid() != null) {
      client.call(Call.acknowledge(client.frameworkId(), status.agentId(), status.taskId(), status.uuid()))
          .onFailure(e -> System.err.println("agent: ACKNOWLEDGE of " + status.taskId() + " " + status.state()
              + " failed: " + e.getMessage()));
    }
    if (status.state() == TaskState.TASK_RUNNING && running.add(status.taskId())) {
      if (running.size() % 100 == 0) {
        System.err.printf("agent: %d/%d RUNNING%n", running.size(), tasks);
      }
      if (running.size() + failed == tasks) {
        allRunning.complete(System.nanoTime());
      }
    } else if (status.state() == TaskState.TASK_KILLED && killed.add(status.taskId())) {
      if (killed.size() == running.size()) {
        allKilled.complete(System.nanoTime());
      }
    } else if (status.state().isTerminal() && status.state() != TaskState.TASK_KILLED) {
      failed++;
      System.err.println("agent: " + status.taskId() + " ended " + status.state() + ": " + status.message());
      if (!allRunning.isDone() && running.size() + failed == tasks) {
        allRunning.complete(System.nanoTime());
      }
    }
  }

  private static JsonObject agentState(Standalone cluster) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.agentPort() + "/state"))
        .build();
    // HTTP/1.1: the JDK client's default h2c upgrade fails on the agent's multi-megabyte /state.
    HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
        .send(request, HttpResponse.BodyHandlers.ofString());
    return new JsonObject(response.body());
  }

  private static List<String> containers(JsonObject state) {
    List<String> ids = new ArrayList<>();
    JsonArray list = state.getJsonArray("tasks");
    for (int i = 0; i < list.size(); i++) {
      String id = list.getJsonObject(i).getString("container_id");
      if (id != null) {
        ids.add(id);
      }
    }
    return ids;
  }

  /** How many of the containers still have a cgroup in the cpu or memory hierarchy (below any agent's root). */
  private static int cgroupsLeft(List<String> containers) throws Exception {
    int left = 0;
    for (String controller : List.of("memory", "cpu")) {
      Path orrery = CGROUPS.resolve(controller).resolve("orrery");
      if (!Files.isDirectory(orrery)) {
        continue;
      }
      try (Stream<Path> roots = Files.list(orrery)) {
        for (Path root : roots.toList()) {
          for (String container : containers) {
            if (Files.exists(root.resolve(container))) {
              left++;
            }
          }
        }
      }
    }
    return left;
  }

  private static double round(double seconds) {
    return Math.round(seconds * 100) / 100.0;
  }
}
