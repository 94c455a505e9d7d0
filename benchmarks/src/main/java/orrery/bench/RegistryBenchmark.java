package orrery.bench;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import orrery.protocol.bus.Addresses;
import orrery.protocol.bus.BusCodecs;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.AgentInfo;
import orrery.protocol.mesos.CommandInfo;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.FrameworkInfo;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskInfo;
import orrery.protocol.mesos.TaskState;
import orrery.protocol.mesos.TaskStatus;
import orrery.protocol.messages.AgentMessages.AgentRegistered;
import orrery.protocol.messages.AgentMessages.RegisterAgent;
import orrery.protocol.messages.FrameworkMessages.FrameworkSubscribed;
import orrery.protocol.messages.TaskMessages.LaunchTasks;
import orrery.protocol.messages.TaskMessages.StatusUpdate;
import orrery.protocol.resources.Resources;
import orrery.registry.RegistryOptions;
import orrery.registry.RegistryVerticle;
import orrery.registry.store.InMemoryRegistryStore;
import orrery.registry.store.LocalPostgresServer;
import orrery.registry.store.RegistryStore;
import orrery.registry.store.SqlRegistryStore;
import orrery.registry.store.SqlStoreConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Durable status updates through the task registry: a {@link RegistryVerticle} on the store under test, one agent
 * and one framework, {@code --tasks} tasks launched, then {@code --updates} status updates sent as an agent sends
 * them ({@code bus.request} to the registry), {@code --in-flight} of them outstanding at any time (a closed loop:
 * each reply sends the next). The registry replies only once the store has committed the update, so the time from
 * sending to the reply is the commit latency as an agent sees it.
 */
@Command(name = "registry", mixinStandardHelpOptions = true,
    description = "Durable status updates per second through the task registry, per store.")
final class RegistryBenchmark implements Callable<Integer> {

  private static final FrameworkId FRAMEWORK = FrameworkId.of("registry-bench");
  private static final int LAUNCH_BATCH = 500;
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** What the benchmark's own event-loop threads do; the registry's is one of the others. */
  private final Map<String, String> roles = new java.util.concurrent.ConcurrentHashMap<>();

  @Option(names = "--store", defaultValue = "all",
      description = "embedded, postgresql, memory, or all (embedded then postgresql) (default: ${DEFAULT-VALUE}).")
  String store;

  @Option(names = "--updates", defaultValue = "300000",
      description = "Status updates measured, per store (default: ${DEFAULT-VALUE}).")
  int updates;

  @Option(names = "--tasks", defaultValue = "30000",
      description = "Tasks the measured updates are spread over, round-robin; each task's last update is "
          + "TASK_FINISHED, the others TASK_RUNNING (default: ${DEFAULT-VALUE}).")
  int tasks;

  @Option(names = "--in-flight", defaultValue = "200",
      description = "Updates outstanding at once (default: ${DEFAULT-VALUE}).")
  int inFlight;

  @Option(names = "--warmup", defaultValue = "50000",
      description = "Updates sent first, on tasks of their own, and not counted (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--dir", description = "Directory for the embedded store's file and PostgreSQL's data "
      + "(default: the system's temporary directory).")
  Path dir;

  @Override
  public Integer call() throws Exception {
    if (tasks < inFlight) {
      System.err.printf("registry: --tasks (%d) is below --in-flight (%d): a task's updates may then be in flight "
          + "together and reach the registry out of order%n", tasks, inFlight);
    }
    List<String> stores = switch (store.toLowerCase(Locale.ROOT)) {
      case "all" -> List.of("embedded", "postgresql");
      case "embedded", "postgresql", "memory" -> List.of(store.toLowerCase(Locale.ROOT));
      default -> throw new IllegalArgumentException("--store must be embedded, postgresql, memory or all, not "
          + store);
    };
    Path parent = dir != null ? Files.createDirectories(dir)
        : Path.of(System.getProperty("java.io.tmpdir"));
    Vertx vertx = Vertx.vertx();
    BusCodecs.register(vertx.eventBus());
    try {
      for (String name : stores) {
        JsonObject result = switch (name) {
          case "embedded" -> embedded(vertx, parent);
          case "postgresql" -> postgresql(vertx, parent);
          default -> run(vertx, name, new InMemoryRegistryStore(), null, "memory");
        };
        if (result != null) {
          System.out.println(result.encode());
          System.out.flush();
        }
      }
      return 0;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private JsonObject embedded(Vertx vertx, Path parent) throws Exception {
    Path directory = Files.createTempDirectory(parent, "orrery-bench-registry-");
    try {
      Path file = directory.resolve("registry.db");
      String where = file + " (" + Files.getFileStore(directory).type() + ")";
      System.err.println("registry: embedded store (SQLite, WAL, synchronous=FULL) in " + where);
      SqlRegistryStore opened = SqlRegistryStore.open(SqlStoreConfig.embedded(file));
      return run(vertx, "embedded", opened, "sqlite", where);
    } finally {
      deleteTree(directory);
    }
  }

  private JsonObject postgresql(Vertx vertx, Path parent) throws Exception {
    if (LocalPostgresServer.binDir().isEmpty()) {
      System.err.println("registry: no PostgreSQL installation under /usr/lib/postgresql (or $ORRERY_POSTGRES_BIN):"
          + " the postgresql store is skipped");
      return null;
    }
    System.err.println("registry: starting a PostgreSQL server of its own under " + parent);
    try (LocalPostgresServer server = LocalPostgresServer.start(parent)) {
      String where = "PostgreSQL from " + LocalPostgresServer.binDir().get() + " on 127.0.0.1:" + server.port()
          + ", data under " + parent + " (" + Files.getFileStore(parent).type() + ")";
      System.err.println("registry: " + where);
      SqlRegistryStore opened = SqlRegistryStore.open(server.storeConfig());
      return run(vertx, "postgresql", opened, "postgresql", where);
    }
  }

  /** Runs one store through warm-up and measurement; closes the store. */
  private JsonObject run(Vertx vertx, String name, RegistryStore registryStore, String storeTag, String where)
      throws Exception {
    EventBus bus = vertx.eventBus();
    // What the registry sends on: a framework that counts its updates, an agent and an allocator that ignore theirs.
    AtomicLong forwarded = new AtomicLong();
    AtomicLong recovered = new AtomicLong();
    Context sink = newContext(vertx);
    List<io.vertx.core.eventbus.MessageConsumer<?>> consumers = new ArrayList<>();
    await(Future.future(p -> sink.runOnContext(v -> {
      roles.put(Thread.currentThread().getName(), "framework+allocator sink");
      consumers.add(bus.consumer(Addresses.framework(FRAMEWORK), m -> forwarded.incrementAndGet()));
      consumers.add(bus.consumer(Addresses.ALLOCATOR_RECOVER, m -> recovered.incrementAndGet()));
      p.complete();
    })));
    String deployment = await(vertx.deployVerticle(new RegistryVerticle(new RegistryOptions("bench",
        TimeUnit.HOURS.toMillis(1), TimeUnit.HOURS.toMillis(1), registryStore))));
    try {
      AgentId agent = this.<io.vertx.core.eventbus.Message<AgentRegistered>>await(bus.request(
          Addresses.REGISTRY_REGISTER_AGENT, new RegisterAgent(new AgentInfo("bench-agent", 5051,
              Resources.cpusMem(100_000, 100_000_000).toList(), null, null, null), List.of()))).body().agentId();
      await(Future.future(p -> sink.runOnContext(v -> {
        consumers.add(bus.consumer(Addresses.agentLaunch(agent), m -> {}));
        p.complete();
      })));
      await(bus.request(Addresses.REGISTRY_FRAMEWORK_SUBSCRIBED, new FrameworkSubscribed(
          FrameworkInfo.of("bench", "registry-benchmark").withId(FRAMEWORK))));
      List<TaskId> warmTasks = launch(bus, agent, "warm-", Math.max(1, Math.min(tasks, warmup)));
      List<TaskId> measuredTasks = launch(bus, agent, "task-", tasks);

      System.err.printf("registry[%s]: warm-up, %d updates over %d tasks, %d in flight%n", name, warmup,
          warmTasks.size(), inFlight);
      if (warmup > 0) {
        Loop warm = new Loop(vertx, name + " warm-up", agent, warmTasks, warmup);
        warm.run();
        // The framework hears of an update just before the agent's reply, on another thread: let the warm-up's
        // updates all arrive before counting the measured ones.
        awaitCount(forwarded, warm.succeeded);
      }
      // A registry of our own from here on: the store's meters, added to it now, count the measured updates only.
      SimpleMeterRegistry window = new SimpleMeterRegistry();
      window.config().meterFilter(new MeterFilter() {
        @Override
        public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
          return DistributionStatisticConfig.builder().expiry(Duration.ofHours(1)).bufferLength(1).build()
              .merge(config);
        }
      });
      Metrics.globalRegistry.add(window);
      long forwardedBefore = forwarded.get();
      double loadBefore = OS.getSystemLoadAverage();
      Map<String, Long> threadsBefore = threadCpu();
      long cpuBefore = OS.getProcessCpuTime();
      Loop loop;
      try {
        System.err.printf("registry[%s]: measuring %d updates over %d tasks, %d in flight%n", name, updates,
            measuredTasks.size(), inFlight);
        loop = new Loop(vertx, name, agent, measuredTasks, updates);
        loop.run();
      } finally {
        Metrics.globalRegistry.remove(window);
      }
      long cpu = OS.getProcessCpuTime() - cpuBefore;
      Map<String, Long> threadsAfter = threadCpu();
      awaitCount(forwarded, forwardedBefore + loop.succeeded);
      long[] sorted = loop.latencies.clone();
      Arrays.sort(sorted);
      double seconds = (loop.lastReply - loop.firstSend) / 1e9;
      JsonObject result = new JsonObject()
          .put("benchmark", "registry")
          .put("store", name)
          .put("updates", updates)
          .put("tasks", tasks)
          .put("in_flight", inFlight)
          .put("failed", loop.failed)
          .put("seconds", Math.round(seconds * 100) / 100.0)
          .put("updates_per_s", Math.round(loop.succeeded / seconds))
          .put("p50_commit_ms", millis(percentile(sorted, 0.50)))
          .put("p99_commit_ms", millis(percentile(sorted, 0.99)))
          .put("max_commit_ms", millis(sorted[sorted.length - 1]))
          .put("forwarded", forwarded.get() - forwardedBefore)
          // The whole process, benchmark included: cores busy on average, and the load of the machine meanwhile.
          .put("cpu_cores", Math.round(cpu / 1e9 / seconds * 100) / 100.0)
          .put("load_avg", Math.round(loadBefore * 10) / 10.0);
      printThreadCpu(name, threadsBefore, threadsAfter, cpu);
      if (storeTag != null) {
        Timer commits = window.find("orrery.registry.store.commit").tag("store", storeTag).timer();
        DistributionSummary groups = window.find("orrery.registry.store.group.changes").tag("store", storeTag)
            .summary();
        if (commits != null && groups != null && commits.count() > 0) {
          double p99 = Double.NaN;
          for (ValueAtPercentile v : commits.takeSnapshot().percentileValues()) {
            if (v.percentile() == 0.99) {
              p99 = v.value(TimeUnit.MILLISECONDS);
            }
          }
          result.put("commits", commits.count())
              .put("mean_group", Math.round(groups.totalAmount() / 2.0 / groups.count() * 10) / 10.0)
              .put("store_commit_mean_ms", Math.round(commits.mean(TimeUnit.MILLISECONDS) * 100) / 100.0)
              .put("store_commit_p99_ms", Math.round(p99 * 100) / 100.0)
              .put("store_commit_max_ms", Math.round(commits.max(TimeUnit.MILLISECONDS) * 100) / 100.0);
          System.err.printf("registry[%s]: %d commits, %.1f updates (%.1f changes) per commit on average, "
                  + "a commit %.2f ms on average, p99 %.2f ms, max %.2f ms%n", name, commits.count(),
              groups.totalAmount() / 2.0 / groups.count(), groups.mean(), commits.mean(TimeUnit.MILLISECONDS), p99,
              commits.max(TimeUnit.MILLISECONDS));
        }
      }
      System.err.printf("registry[%s]: %s; %d updates forwarded to the framework, %d recoveries sent%n", name, where,
          forwarded.get() - forwardedBefore, recovered.get());
      return result;
    } finally {
      await(vertx.undeploy(deployment));
      registryStore.close();
      for (io.vertx.core.eventbus.MessageConsumer<?> consumer : consumers) {
        await(consumer.unregister());
      }
    }
  }

  /** Waits up to 5 s for {@code counter} to reach {@code expected}. */
  private static void awaitCount(AtomicLong counter, long expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (counter.get() < expected && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }

  /** CPU time (ns) of each live thread, by name. */
  private static Map<String, Long> threadCpu() {
    Map<String, Long> cpu = new TreeMap<>();
    for (long id : THREADS.getAllThreadIds()) {
      ThreadInfo info = THREADS.getThreadInfo(id);
      long time = THREADS.getThreadCpuTime(id);
      if (info != null && time > 0) {
        cpu.merge(info.getThreadName(), time, Long::sum);
      }
    }
    return cpu;
  }

  private void printThreadCpu(String name, Map<String, Long> before, Map<String, Long> after, long process) {
    StringBuilder line = new StringBuilder("registry[" + name + "]: CPU s while measuring:");
    long threads = 0;
    List<Map.Entry<String, Long>> deltas = new ArrayList<>();
    for (Map.Entry<String, Long> entry : after.entrySet()) {
      long delta = entry.getValue() - before.getOrDefault(entry.getKey(), 0L);
      threads += delta;
      if (delta > 10_000_000) {
        deltas.add(Map.entry(entry.getKey(), delta));
      }
    }
    deltas.sort(Map.Entry.<String, Long>comparingByValue().reversed());
    for (Map.Entry<String, Long> entry : deltas) {
      String role = roles.get(entry.getKey());
      line.append(String.format(" %s%s %.2f,", entry.getKey(), role == null ? "" : " (" + role + ")",
          entry.getValue() / 1e9));
    }
    line.append(String.format(" other (GC, JIT, threads ended) %.2f; process %.2f", (process - threads) / 1e9,
        process / 1e9));
    System.err.println(line);
  }

  private List<TaskId> launch(EventBus bus, AgentId agent, String prefix, int count) throws Exception {
    List<TaskId> ids = new ArrayList<>(count);
    List<TaskInfo> batch = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      TaskId id = TaskId.of(prefix + i);
      ids.add(id);
      batch.add(TaskInfo.command(prefix + i, id, agent, Resources.cpusMem(0.01, 1).toList("*"),
          CommandInfo.shell("sleep 600")));
      if (batch.size() == LAUNCH_BATCH || i == count - 1) {
        await(bus.request(Addresses.REGISTRY_LAUNCH, new LaunchTasks(FRAMEWORK, agent, List.copyOf(batch))));
        batch.clear();
      }
    }
    return ids;
  }

  /**
   * The closed loop, on one event-loop context of its own (as agents are elsewhere): {@code inFlight} requests
   * are sent at once and every reply sends the next, until {@code count} have been answered. Update {@code i} is
   * for task {@code i % tasks}; a task's last update is TASK_FINISHED.
   */
  private final class Loop {

    private final Vertx vertx;
    private final String name;
    private final AgentId agent;
    private final List<TaskId> taskIds;
    private final int count;
    private final long[] latencies;
    private final Promise<Void> done = Promise.promise();
    private final DeliveryOptions options = new DeliveryOptions().setSendTimeout(120_000);
    private int sent;
    private int answered;
    private int succeeded;
    private int failed;
    private long firstSend;
    private long lastReply;
    private String firstFailure;

    Loop(Vertx vertx, String name, AgentId agent, List<TaskId> taskIds, int count) {
      this.vertx = vertx;
      this.name = name;
      this.agent = agent;
      this.taskIds = taskIds;
      this.count = count;
      this.latencies = new long[count];
    }

    void run() throws Exception {
      Context context = newContext(vertx);
      context.runOnContext(v -> {
        roles.put(Thread.currentThread().getName(), "agents' loop");
        long progress = vertx.setPeriodic(2_000, id -> System.err.printf("registry[%s]: %d of %d answered%n",
            name, answered, count));
        done.future().onComplete(x -> vertx.cancelTimer(progress));
        firstSend = System.nanoTime();
        for (int i = 0; i < inFlight && sent < count; i++) {
          sendNext();
        }
      });
      done.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.MINUTES);
      if (failed > 0) {
        System.err.printf("registry[%s]: %d update(s) refused, the first: %s%n", name, failed, firstFailure);
      }
    }

    private void sendNext() {
      int i = sent++;
      TaskId task = taskIds.get(i % taskIds.size());
      TaskState state = i + taskIds.size() >= count ? TaskState.TASK_FINISHED : TaskState.TASK_RUNNING;
      byte[] uuid = new byte[16];
      ThreadLocalRandom.current().nextBytes(uuid);
      TaskStatus status = TaskStatus.builder(task, state).agentId(agent).source(TaskStatus.Source.SOURCE_EXECUTOR)
          .timestampMillis(System.currentTimeMillis()).uuid(uuid).build();
      long start = System.nanoTime();
      vertx.eventBus().request(Addresses.REGISTRY_STATUS_UPDATE, new StatusUpdate(FRAMEWORK, status, state), options)
          .onComplete(reply -> {
            long now = System.nanoTime();
            latencies[i] = now - start;
            lastReply = now;
            answered++;
            if (reply.succeeded()) {
              succeeded++;
            } else if (failed++ == 0) {
              firstFailure = reply.cause().getMessage();
            }
            if (sent < count) {
              sendNext();
            } else if (answered == count) {
              done.complete();
            }
          });
    }
  }

  /**
   * A context of its own on an event loop (from a thread outside Vert.x, {@code getOrCreateContext} would give the
   * same one each time): that of an empty verticle, left deployed until Vert.x closes.
   */
  private Context newContext(Vertx vertx) throws Exception {
    Promise<Context> created = Promise.promise();
    await(vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        created.complete(context);
        return Future.succeededFuture();
      }
    }));
    return await(created.future());
  }

  private <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  private static long percentile(long[] sorted, double p) {
    return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
  }

  private static double millis(long nanos) {
    return Math.round(nanos / 1e4) / 100.0;
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
