package orrery.bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import orrery.cli.standalone.Standalone;
import orrery.cli.standalone.StandaloneOptions;
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
 * Launches short tasks through the Mesos v1 HTTP API on a standalone cluster started in this process, and measures
 * ACCEPT to TASK_RUNNING per task (from sending the ACCEPT to receiving the RUNNING update on the event stream).
 * The framework acknowledges every update at once, and launches up to {@code --batch} tasks per offer, as long as
 * fewer than {@code --in-flight} of its tasks are between ACCEPT and TASK_RUNNING; meanwhile it keeps the offers it
 * gets and uses them once a launch is confirmed. {@code --in-flight 0} uses every offer at once: a saturation test,
 * whose latency is the agent's queue.
 */
@Command(name = "launch", mixinStandardHelpOptions = true,
    description = "ACCEPT->TASK_RUNNING latency and launch throughput over the HTTP API.")
final class LaunchBenchmark implements Callable<Integer> {

  @Option(names = "--tasks", defaultValue = "200", description = "Tasks to launch (default: ${DEFAULT-VALUE}).")
  int tasks;

  @Option(names = "--batch", defaultValue = "10", description = "Most tasks per ACCEPT (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--in-flight", defaultValue = "1",
      description = "Most tasks between ACCEPT and TASK_RUNNING at once, as a rate-limited framework keeps them; "
          + "0 for no limit (default: ${DEFAULT-VALUE}).")
  int inFlight;

  @Option(names = "--warmup", defaultValue = "0",
      description = "Tasks launched first, the same way, and not measured: the JIT compiles the path as a long-running "
          + "agent has (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--command", defaultValue = "true", description = "Each task's command (default: ${DEFAULT-VALUE}).")
  String command;

  @Option(names = "--resources", defaultValue = "cpus:64;mem:65536;disk:1024;ports:[31000-32000]",
      description = "The agent's resources (default: ${DEFAULT-VALUE}).")
  String resources;

  private static final String WARMUP_PREFIX = "warmup-";

  private final List<Long> latenciesNanos = new ArrayList<>();
  private final Deque<TaskId> pending = new ArrayDeque<>();
  /** Offers kept while the launches in flight are at the limit. */
  private final Deque<Offer> held = new ArrayDeque<>();
  private LaunchWindow window;
  private final CompletableFuture<Long> allFinished = new CompletableFuture<>();
  private int finished;
  private int failed;
  private long firstAccept;
  private SchedulerHttpClient client;

  @Override
  public Integer call() throws Exception {
    Path workDir = Files.createTempDirectory("orrery-bench");
    Standalone cluster = Standalone.start(StandaloneOptions.ephemeral(workDir, resources).build())
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    Vertx clients = Vertx.vertx();
    window = new LaunchWindow(inFlight);
    try {
      for (int i = 0; i < warmup; i++) {
        pending.add(TaskId.of(WARMUP_PREFIX + i));
      }
      for (int i = 0; i < tasks; i++) {
        pending.add(TaskId.of("bench-" + i));
      }
      System.err.printf("launch: %d tasks of '%s' (after %d not measured), up to %d per ACCEPT, %s in flight, on %s%n",
          tasks, command, warmup, batch, inFlight == 0 ? "any number" : "at most " + inFlight, resources);
      client = new SchedulerHttpClient(clients, "127.0.0.1", cluster.httpPort());
      client.subscribe(FrameworkInfo.of("bench", "launch-benchmark"),
              OfferPacking.events(this::launchOn, this::onUpdate))
          .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      long lastFinish = allFinished.get(10, TimeUnit.MINUTES);
      double seconds = (lastFinish - firstAccept) / 1e9;
      long[] sorted = latenciesNanos.stream().mapToLong(Long::longValue).sorted().toArray();
      JsonObject result = new JsonObject()
          .put("benchmark", "launch")
          .put("tasks", tasks)
          .put("batch", batch)
          .put("warmup", warmup)
          .put("in_flight", inFlight)
          .put("peak_in_flight", window.peak())
          .put("failed", failed)
          .put("p50_ms", millis(percentile(sorted, 0.50)))
          .put("p99_ms", millis(percentile(sorted, 0.99)))
          .put("max_ms", millis(sorted[sorted.length - 1]))
          .put("tasks_per_s", Math.round(tasks / seconds * 10) / 10.0);
      System.out.println(result.encode());
      return 0;
    } finally {
      // The calls still under way (acknowledgements) are answered before the client closes.
      client.call(Call.teardown(client.frameworkId())).otherwiseEmpty().toCompletionStage().toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      clients.close();
      cluster.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /** On the client's event loop, as every touch of the benchmark's state. */
  private void launchOn(Offer offer) {
    held.addLast(offer);
    launchOnHeldOffers();
  }

  /**
   * Uses the offers kept while there are tasks to launch and room in the window. Once every task is out, the offers
   * stay kept (no more come for what they hold) until the teardown returns them.
   */
  private void launchOnHeldOffers() {
    while (!held.isEmpty() && !pending.isEmpty() && window.slots() > 0) {
      Offer offer = held.pollFirst();
      List<TaskInfo> launch = OfferPacking.pack(offer, pending, Math.min(batch, window.slots()),
          Resources.cpusMem(0.1, 16), command);
      if (launch.isEmpty()) {
        client.call(Call.decline(client.frameworkId(), List.of(offer.id()), new Filters(0.0)));
        continue;
      }
      long now = System.nanoTime();
      if (firstAccept == 0 && launch.stream().anyMatch(task -> !isWarmup(task.taskId()))) {
        firstAccept = now;
      }
      launch.forEach(task -> window.accepted(task.taskId(), now));
      client.call(Call.accept(client.frameworkId(), List.of(offer.id()), List.of(Offer.Operation.launch(launch)),
          new Filters(0.0)));
    }
  }

  private void onUpdate(TaskStatus status) {
    if (status.uuid() != null) {
      client.call(Call.acknowledge(client.frameworkId(), status.agentId(), status.taskId(), status.uuid()));
    }
    if (status.state() == TaskState.TASK_RUNNING) {
      long latency = window.running(status.taskId(), System.nanoTime());
      if (latency >= 0) {
        if (!isWarmup(status.taskId())) {
          latenciesNanos.add(latency);
        }
        launchOnHeldOffers();
      }
    } else if (status.state().isTerminal()) {
      window.ended(status.taskId());
      launchOnHeldOffers();
      finished++;
      if (status.state() != TaskState.TASK_FINISHED) {
        failed++;
        System.err.println("launch: " + status.taskId() + " ended " + status.state() + ": " + status.message());
      }
      if (finished % 50 == 0) {
        System.err.printf("launch: %d/%d tasks done%n", finished, warmup + tasks);
      }
      if (finished == warmup + tasks) {
        allFinished.complete(System.nanoTime());
      }
    }
  }

  private static boolean isWarmup(TaskId task) {
    return task.value().startsWith(WARMUP_PREFIX);
  }

  private static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int index = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static double millis(long nanos) {
    return Math.round(nanos / 1e4) / 100.0;
  }
}
