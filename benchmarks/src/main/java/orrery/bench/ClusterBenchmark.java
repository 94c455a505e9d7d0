package orrery.bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import orrery.protocol.resources.Resources;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The clustered deployment against the standalone, on this machine, in one run. Every process is {@code orrery}
 * from the orrery jar, started by this benchmark with ports of its own and temporary work directories:
 * <ol>
 *   <li>{@code orrery standalone}; a framework on the gateway's Mesos v1 HTTP API launches {@code --warmup} then
 *   {@code --tasks} short tasks as fast as offers allow: tasks_per_s is the tasks finished over the time from the
 *   first ACCEPT to the last task's end. The standalone is then stopped.</li>
 *   <li>The cluster as {@code ClusterRolesTest} starts it: two registries (sharing one embedded store), two
 *   allocators, two offer brokers, a gateway and an agent, each a JVM of its own joined over Hazelcast TCP-IP on
 *   127.0.0.1; the same framework, the same tasks.</li>
 *   <li>On that cluster, for the registry, the allocator and the offer broker in turn: the leader is killed with
 *   SIGKILL and the framework measures the time to its next offer ({@link BenchFramework#failover}).</li>
 * </ol>
 * Prints one JSON line; progress and each process's log directory on standard error. The figures are printed, never
 * judged: on a machine this size the processes share two cores with the tasks.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
    description = "Launch throughput through the gateway of the clustered deployment (against the standalone) and "
        + "the time from killing each active leader to the framework's next offer.")
final class ClusterBenchmark implements Callable<Integer> {

  private static final List<String> SINGLETONS = List.of("registry", "allocator", "offers");

  @Option(names = "--tasks", defaultValue = "500", description = "Tasks measured on each deployment (default: "
      + "${DEFAULT-VALUE}).")
  int tasks;

  @Option(names = "--warmup", defaultValue = "200", description = "Tasks launched first on each deployment and not "
      + "measured: its JVMs compile the path (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--batch", defaultValue = "10", description = "Most tasks per ACCEPT (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--command", defaultValue = "true", description = "Each task's command (default: ${DEFAULT-VALUE}).")
  String command;

  @Option(names = "--resources", defaultValue = "cpus:64;mem:65536;disk:1024;ports:[31000-32000]",
      description = "The agent's resources, the same on both deployments (default: ${DEFAULT-VALUE}).")
  String resources;

  @Option(names = "--orrery-jar", description = "The orrery command's jar (default: cli/target/orrery.jar of the "
      + "build this benchmark comes from).")
  Path orreryJar;

  @Option(names = "--cp-members", defaultValue = "3",
      description = "The roles' --cp-members: 3 (the default, as docker-compose.yml and what the roles take for nine "
          + "members) keeps the leader locks in Hazelcast's CP subsystem, 0 in its unsafe mode.")
  int cpMembers;

  @Option(names = "--keep", description = "Keep the work directories and logs (they are kept anyway if the run "
      + "fails).")
  boolean keep;

  private final List<RoleProcess> started = new ArrayList<>();
  /** The cluster's gateway's HTTP port. */
  private int gatewayPort;

  @Override
  public Integer call() throws Exception {
    Path jar = orreryJar != null ? orreryJar : defaultJar();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException("--orrery-jar: " + jar + " does not exist; build it with "
          + "`mvn -B -ntp -o -q package -DskipTests` at the repository's root");
    }
    double agentCpus = Resources.parse(resources).scalar("cpus");
    Path dir = Files.createTempDirectory("orrery-bench-cluster");
    System.err.println("cluster: work directories and logs under " + dir);
    Vertx vertx = Vertx.vertx();
    boolean succeeded = false;
    try {
      Launches standalone = standalone(jar, dir.resolve("standalone"), vertx);
      stopAll();

      Map<String, RoleProcess> roles = startCluster(jar, dir.resolve("cluster"));
      roles.get("gateway").awaitHealthy("http://127.0.0.1:" + gatewayPort + "/health");
      System.err.println("cluster: the cluster is up");
      BenchFramework framework = BenchFramework.subscribe(vertx, gatewayPort, "cluster-benchmark", command);
      Launches clustered = measureLaunches("cluster", framework);

      Map<String, Double> failoverSeconds = new LinkedHashMap<>();
      Map<String, Double> standbyUpSeconds = new LinkedHashMap<>();
      Map<String, Integer> launches = new LinkedHashMap<>();
      for (String role : SINGLETONS) {
        RoleProcess leader = leaderOf(roles, role);
        RoleProcess standby = roles.get(role + "-a") == leader ? roles.get(role + "-b") : roles.get(role + "-a");
        standby.awaitLine("waiting to lead");
        awaitSettled(framework, agentCpus);
        long cpWholeAgain = count(roles, "CP subsystem is whole again");
        System.err.println("cluster: killing the leading " + role + " (" + leader.name + ")");
        BenchFramework.FailedOver failover;
        try {
          failover = framework.failover(leader::kill).get(180, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
          // Reported as null; the framework is still waiting, so the roles after it are not measured either.
          System.err.println("cluster: no offer within 180 s of killing the leading " + role);
          SINGLETONS.subList(SINGLETONS.indexOf(role), SINGLETONS.size()).forEach(r -> failoverSeconds.put(r, null));
          break;
        }
        double standbyUp = (standby.awaitLine("is up") - failover.killedAtNanos()) / 1e9;
        System.err.printf("cluster: %s: next offer %.2f s after the SIGKILL (%d launch(es)); the standby was up after "
            + "%.2f s%n", role, failover.seconds(), failover.launches(), standbyUp);
        failoverSeconds.put(role, round(failover.seconds(), 2));
        standbyUpSeconds.put(role, round(standbyUp, 2));
        launches.put(role, failover.launches());
        awaitCpSeatTaken(roles, leader, cpWholeAgain);
      }
      framework.teardown();

      JsonObject result = new JsonObject()
          .put("benchmark", "cluster")
          .put("tasks", tasks)
          .put("warmup", warmup)
          .put("batch", batch)
          .put("cp_members", cpMembers)
          .put("tasks_per_s", round(clustered.launched().tasksPerSecond(), 1))
          .put("standalone_tasks_per_s", round(standalone.launched().tasksPerSecond(), 1))
          .put("ratio_to_standalone",
              round(clustered.launched().tasksPerSecond() / standalone.launched().tasksPerSecond(), 2))
          .put("failed", clustered.launched().failed())
          .put("standalone_failed", standalone.launched().failed())
          .put("cpu_ms_per_task", round(clustered.cpuMillisPerTask(), 1))
          .put("standalone_cpu_ms_per_task", round(standalone.cpuMillisPerTask(), 1))
          .put("failover_s", new JsonObject(new LinkedHashMap<>(failoverSeconds)))
          .put("standby_up_s", new JsonObject(new LinkedHashMap<>(standbyUpSeconds)))
          .put("failover_launches", new JsonObject(new LinkedHashMap<>(launches)))
          .put("load_avg", round(clustered.loadAverage(), 1))
          .put("standalone_load_avg", round(standalone.loadAverage(), 1));
      System.out.println(result.encode());
      succeeded = true;
      return 0;
    } finally {
      stopAll();
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      if (succeeded && !keep) {
        delete(dir);
      } else {
        System.err.println("cluster: logs kept under " + dir);
      }
    }
  }

  /** {@code orrery standalone} and the framework on it; the launch figures. */
  private Launches standalone(Path jar, Path dir, Vertx vertx) throws Exception {
    Files.createDirectories(dir);
    int port = RoleProcess.freePort();
    RoleProcess standalone = start(new RoleProcess("standalone", jar, dir.resolve("standalone.log"), List.of(
        "standalone", "--host", "127.0.0.1", "--port", Integer.toString(port),
        "--bridge-port", Integer.toString(RoleProcess.freePort()),
        "--agent-port", Integer.toString(RoleProcess.freePort()),
        "--work-dir", dir.resolve("work").toString(), "--resources", resources)));
    standalone.awaitHealthy("http://127.0.0.1:" + port + "/health");
    System.err.println("cluster: the standalone is up");
    BenchFramework framework = BenchFramework.subscribe(vertx, port, "standalone-benchmark", command);
    Launches launched = measureLaunches("standalone", framework);
    framework.teardown();
    return launched;
  }

  /**
   * What one deployment's launches measured, the CPU its processes spent on them, and the machine's 1-minute load
   * average when they started (this benchmark's own processes included; others' work shows as more than about 2).
   */
  record Launches(BenchFramework.Launched launched, double cpuMillisPerTask, double loadAverage) {}

  private Launches measureLaunches(String where, BenchFramework framework) throws Exception {
    if (warmup > 0) {
      BenchFramework.Launched warm = framework.launch("warmup", warmup, batch).get(10, TimeUnit.MINUTES);
      System.err.printf("cluster: %s: %d warm-up tasks done (%.1f/s)%n", where, warmup, warm.tasksPerSecond());
    }
    double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    long[] cpuBefore = started.stream().mapToLong(RoleProcess::cpuNanos).toArray();
    BenchFramework.Launched launched = framework.launch("bench", tasks, batch).get(10, TimeUnit.MINUTES);
    // Up to the last task's end: the processes' work for the tasks (their last acknowledgements aside).
    StringBuilder perProcess = new StringBuilder();
    long cpu = 0;
    for (int i = 0; i < cpuBefore.length; i++) {
      long used = started.get(i).cpuNanos() - cpuBefore[i];
      cpu += used;
      perProcess.append(String.format(" %s %.1f", started.get(i).name, used / 1e6 / tasks));
    }
    double cpuMillisPerTask = cpu / 1e6 / tasks;
    System.err.println("cluster: " + where + ": CPU ms per task by process:" + perProcess);
    System.err.printf("cluster: %s: %d tasks finished (%d failed) in %.2f s: %.1f tasks/s; its JVMs used %.1f ms "
        + "of CPU per task%n", where, launched.finished(), launched.failed(), launched.seconds(),
        launched.tasksPerSecond(), cpuMillisPerTask);
    return new Launches(launched, cpuMillisPerTask, load);
  }

  /**
   * A leader that was a CP member leaves a seat that another member takes, after which the dead one is removed: the
   * next leader is killed only then, as the CP subsystem outlives one death at a time.
   */
  private static void awaitCpSeatTaken(Map<String, RoleProcess> roles, RoleProcess killed, long wholeBefore)
      throws Exception {
    if (killed.count("is a CP member") + killed.count("joined the CP subsystem") == 0) {
      return;
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (count(roles, "CP subsystem is whole again") == wholeBefore) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("nobody took the CP seat of " + killed.name + " within 60 s");
      }
      Thread.sleep(100);
    }
  }

  private static long count(Map<String, RoleProcess> roles, String text) {
    return roles.values().stream().mapToLong(role -> role.count(text)).sum();
  }

  /**
   * The cluster as ClusterRolesTest starts it. The singletons' a replicas are started first and waited for until each
   * leads, so that the b replicas stand by. Names: role-a and role-b, gateway, agent.
   */
  private Map<String, RoleProcess> startCluster(Path jar, Path dir) throws Exception {
    Files.createDirectories(dir);
    List<Integer> clusterPorts = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      clusterPorts.add(RoleProcess.freePort());
    }
    String members = clusterPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    gatewayPort = RoleProcess.freePort();
    String master = Integer.toString(gatewayPort);
    Map<String, RoleProcess> roles = new LinkedHashMap<>();
    int next = 0;
    // The a replicas first, which lead: with the CP subsystem they are its members, and none leads before all three
    // have joined.
    for (String replica : List.of("a", "b")) {
      for (String role : SINGLETONS) {
        List<String> flags = switch (role) {
          // The registries share one store, as they must (PostgreSQL in a real cluster).
          case "registry" -> List.of("--work-dir", dir.resolve("registry").toString());
          case "offers" -> List.of("--master-port", master);
          default -> List.of();
        };
        roles.put(role + "-" + replica, role(jar, dir, role + "-" + replica, role, clusterPorts.get(next++), members,
            flags));
      }
      if (replica.equals("a")) {
        for (String role : SINGLETONS) {
          roles.get(role + "-a").awaitLine("leads");
        }
      }
    }
    roles.put("gateway", role(jar, dir, "gateway", "gateway", clusterPorts.get(next++), members,
        List.of("--host", "127.0.0.1", "--port", master, "--bridge-port", Integer.toString(RoleProcess.freePort()))));
    roles.put("agent", role(jar, dir, "agent", "agent", clusterPorts.get(next), members, List.of(
        "--work-dir", dir.resolve("agent").toString(), "--port", Integer.toString(RoleProcess.freePort()),
        "--resources", resources)));
    return roles;
  }

  private RoleProcess role(Path jar, Path dir, String name, String role, int clusterPort, String members,
      List<String> flags) throws IOException {
    List<String> args = new ArrayList<>(List.of(role, "--cluster-host", "127.0.0.1", "--cluster-port",
        Integer.toString(clusterPort), "--cluster-members", members, "--cp-members", Integer.toString(cpMembers)));
    args.addAll(flags);
    return start(new RoleProcess(name, jar, dir.resolve(name + ".log"), args));
  }

  private RoleProcess start(RoleProcess process) throws IOException {
    started.add(process);
    return process.start();
  }

  /** The replica of a singleton role that leads now: alive, and it printed that it leads. */
  private static RoleProcess leaderOf(Map<String, RoleProcess> roles, String role) {
    return Stream.of(roles.get(role + "-a"), roles.get(role + "-b"))
        .filter(r -> r.alive() && r.printedAt("leads (fencing token") >= 0).findFirst()
        .orElseThrow(() -> new IllegalStateException("no " + role + " leads"));
  }

  /**
   * Waits until the framework holds offers of the whole agent (every task has ended and its resources came back, so
   * that nothing can be offered before a launch after the kill has finished) and every call it made was answered
   * (an acknowledgement still on its way to the registry when it is killed would be resent by the agent later, and
   * the framework would be measuring the previous phase), and then stays so for a second (the registry passes the
   * acknowledgements on to the agent after answering them).
   */
  private static void awaitSettled(BenchFramework framework, double agentCpus) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    int settledChecks = 0;
    while (settledChecks < 10) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the framework was not offered the whole agent (" + agentCpus + " cpus) "
            + "with every call answered within 120 s");
      }
      settledChecks = framework.settled(agentCpus) ? settledChecks + 1 : 0;
      Thread.sleep(100);
    }
  }

  /** Stops every process started, the last started first (the agent kills its tasks while the others run). */
  private void stopAll() throws InterruptedException {
    for (int i = started.size() - 1; i >= 0; i--) {
      started.get(i).close();
    }
    started.clear();
  }

  private static Path defaultJar() throws Exception {
    // benchmarks/target/orrery-bench.jar (or benchmarks/target/classes): the repository is two levels up.
    Path here = Path.of(ClusterBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    for (Path dir = here.getParent(); dir != null; dir = dir.getParent()) {
      Path jar = dir.resolve("cli/target/orrery.jar");
      if (Files.isRegularFile(jar)) {
        return jar;
      }
    }
    return here.resolveSibling("orrery.jar");
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  private static double round(double value, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }
}
