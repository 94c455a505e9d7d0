package orrery.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import orrery.agent.core.Digests;
import orrery.agent.isolation.IsolationOptions;
import orrery.agent.isolation.Isolator;
import orrery.agent.isolation.Isolators;
import orrery.protocol.mesos.CommandInfo;
import orrery.protocol.mesos.Resource;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskInfo;
import orrery.protocol.mesos.TaskState;
import orrery.protocol.mesos.TaskStatus;
import orrery.protocol.messages.TaskMessages.StatusUpdate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Tasks in real cgroups, on this machine's cgroup v1 hierarchies (DESIGN.md: they are mounted writable at
 * /sys/fs/cgroup/<controller> and tests run as root). Where a machine has no cgroups, the tests that need them are
 * skipped and the fallback to no isolation is tested instead.
 */
class IsolationTest {

  private static final Path MOUNT = Isolators.DEFAULT_MOUNT;

  @TempDir
  Path workDir;
  private AgentFixture fixture;

  /** What the agent should report on this machine. */
  static String expectedIsolation() {
    if (Files.isRegularFile(MOUNT.resolve("memory/cgroup.procs")) && Files.isRegularFile(MOUNT.resolve("cpu/cpu.shares"))) {
      return "cgroups/v1";
    }
    try {
      Path unified = Files.isRegularFile(MOUNT.resolve("cgroup.controllers")) ? MOUNT : MOUNT.resolve("unified");
      String controllers = Files.readString(unified.resolve("cgroup.controllers"));
      return controllers.contains("memory") && controllers.contains("cpu") ? "cgroups/v2" : "none";
    } catch (IOException e) {
      return "none";
    }
  }

  private static boolean v1() {
    return expectedIsolation().equals("cgroups/v1");
  }

  @AfterEach
  void tearDown() {
    if (fixture != null) {
      fixture.close();
    }
  }

  private void start(IsolationOptions isolation) throws Exception {
    fixture = new AgentFixture(workDir).withMaster();
    fixture.deploy(fixture.config().withIsolation(isolation));
  }

  private static TaskInfo task(String id, String command, double cpus, double mem) {
    return TaskInfo.command(id, TaskId.of(id), FakeMaster.AGENT_ID,
        List.of(Resource.scalar("cpus", cpus), Resource.scalar("mem", mem)), CommandInfo.shell(command));
  }

  @Test
  void aRunningTaskIsInItsOwnCgroupsWithItsLimitsWhichGoWhenItEnds() throws Exception {
    assumeTrue(v1(), "needs cgroup v1");
    start(new IsolationOptions(Isolators.Mode.CGROUPS, true, 64L, MOUNT));
    fixture.launch(task("limited", "sleep 600", 0.5, 48));
    fixture.awaitState(TaskId.of("limited"), TaskState.TASK_STARTING);
    StatusUpdate running = fixture.awaitState(TaskId.of("limited"), TaskState.TASK_RUNNING);
    assertThat(running.status().state()).isEqualTo(TaskState.TASK_RUNNING);
    JsonObject task = fixture.task("limited");
    String container = task.getString("container_id");
    long pid = task.getLong("pid");

    Path memory = cgroupOf("memory", container);
    Path cpu = cgroupOf("cpu", container);
    Path pids = cgroupOf("pids", container);
    // mem 48 MB = 50331648 bytes; cpus 0.5 = 512 shares and 50 ms of every 100 ms.
    assertThat(read(memory.resolve("memory.limit_in_bytes"))).isEqualTo("50331648");
    assertThat(read(cpu.resolve("cpu.shares"))).isEqualTo("512");
    assertThat(read(cpu.resolve("cpu.cfs_quota_us"))).isEqualTo("50000");
    assertThat(read(cpu.resolve("cpu.cfs_period_us"))).isEqualTo("100000");
    assertThat(read(pids.resolve("pids.max"))).isEqualTo("64");
    // The process enters its cgroups itself, before it execs the command: it may be a moment after RUNNING.
    for (Path cgroup : List.of(memory, cpu, pids)) {
      AgentFixture.eventually("pid " + pid + " in " + cgroup,
          () -> read(cgroup.resolve("cgroup.procs")).lines().anyMatch(Long.toString(pid)::equals));
    }
    assertThat(fixture.state().getString("isolation")).isEqualTo("cgroups/v1");

    fixture.vertx.eventBus().request(orrery.protocol.bus.Addresses.agentKill(fixture.agent.agentId()),
        new orrery.protocol.messages.TaskMessages.KillTask(AgentFixture.FRAMEWORK, TaskId.of("limited"),
            fixture.agent.agentId(), null));
    fixture.awaitState(TaskId.of("limited"), TaskState.TASK_KILLING);
    fixture.awaitState(TaskId.of("limited"), TaskState.TASK_KILLED);
    AgentFixture.eventually("the task's cgroups are removed",
        () -> !Files.exists(memory) && !Files.exists(cpu) && !Files.exists(pids));
  }

  /**
   * cpu.shares weigh sibling cgroups against each other only where they compete for the same CPU: each CPU is scheduled
   * on its own, a group's shares are spread over the CPUs in proportion to where its processes happen to run, and
   * which process runs where is the load balancer's choice, made among everything else the machine runs. On two
   * cores with outside load, the 1-cpu task's spinners may sit on a CPU that the 3-cpu task's do not contend for, and
   * the ratio then says where the balancer put them rather than what the shares are (seen: 1.2 to 1.7, or over 6).
   * So both tasks' spinners are pinned to one CPU, where they always compete with each other, whatever else runs
   * there; the CPU time is the scheduler's own (nanoseconds from /proc/PID/schedstat), measured only once every
   * spinner runs, over a window long enough for the 1-cpu task to have had a fair amount of it.
   */
  @Test
  void twoCpuBoundTasksWithOneAndThreeCpusGetCpuTimeInRoughlyThatRatio() throws Exception {
    assumeTrue(v1(), "needs cgroup v1");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/taskset")), "needs taskset (util-linux) to pin the spinners");
    int cpu = firstAllowedCpu();
    start(IsolationOptions.DEFAULT); // cpu.shares only: a CFS quota would cap each task instead of weighing them
    // Three busy loops each, all on the same CPU: they want six times what it has, so the shares decide.
    String spin = "exec taskset -c " + cpu
        + " /bin/sh -c 'while :; do :; done & while :; do :; done & while :; do :; done & wait'";
    fixture.launch(task("one", spin, 1, 32), task("three", spin, 3, 32));
    for (String id : List.of("one", "three")) {
      fixture.awaitState(TaskId.of(id), TaskState.TASK_STARTING);
      fixture.awaitState(TaskId.of(id), TaskState.TASK_RUNNING);
    }
    Path one = cgroupOf("cpu", fixture.task("one").getString("container_id"));
    Path three = cgroupOf("cpu", fixture.task("three").getString("container_id"));
    // The pinned shell and its three spinners, in each cgroup.
    AgentFixture.eventually("both tasks spin in their cgroups on CPU " + cpu,
        () -> pinnedTo(one, cpu) >= 4 && pinnedTo(three, cpu) >= 4);
    Thread.sleep(500); // let the scheduler's averages of the groups' load settle

    CpuTime oneBefore = cpuTime(one);
    CpuTime threeBefore = cpuTime(three);
    // At least 3 s, and until the 1-cpu task has had 0.5 s of CPU (its CPU may be shared with much else), up to 60 s.
    long start = System.nanoTime();
    CpuTime oneUsed;
    CpuTime threeUsed;
    do {
      Thread.sleep(250);
      oneUsed = cpuTime(one).minus(oneBefore);
      threeUsed = cpuTime(three).minus(threeBefore);
    } while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3)
        || (oneUsed.runNanos() < 500_000_000L && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(60)));
    assumeTrue(oneUsed.runNanos() >= 100_000_000L, "CPU " + cpu + " was so busy that the tasks had too little of it "
        + "in a minute to compare: " + oneUsed + " and " + threeUsed);

    // Both were runnable and waited for the CPU while the other ran: they contended throughout.
    assertThat(oneUsed.waitNanos()).as("time the 1-cpu task waited for its CPU").isPositive();
    assertThat(threeUsed.waitNanos()).as("time the 3-cpu task waited for its CPU").isPositive();
    double ratio = (double) threeUsed.runNanos() / oneUsed.runNanos();
    System.out.printf("cpu.shares 3072:1024 on CPU %d: %.3f s against %.3f s, ratio %.2f%n", cpu,
        threeUsed.runNanos() / 1e9, oneUsed.runNanos() / 1e9, ratio);
    // cpu.shares 1024 : 3072, on one CPU: the scheduler keeps to 3 closely, whatever else shares that CPU.
    assertThat(ratio).as("CPU time of the 3-cpu task (%s) over the 1-cpu task's (%s)", threeUsed, oneUsed)
        .isBetween(2.4, 3.75);

    for (String id : List.of("one", "three")) {
      fixture.vertx.eventBus().request(orrery.protocol.bus.Addresses.agentKill(fixture.agent.agentId()),
          new orrery.protocol.messages.TaskMessages.KillTask(AgentFixture.FRAMEWORK, TaskId.of(id),
              fixture.agent.agentId(), null));
    }
    for (String id : List.of("one", "three")) {
      fixture.awaitState(TaskId.of(id), TaskState.TASK_KILLING);
      fixture.awaitState(TaskId.of(id), TaskState.TASK_KILLED);
    }
    AgentFixture.eventually("the tasks' cgroups are removed", () -> !Files.exists(one) && !Files.exists(three));
  }

  /** Time on a CPU and time waiting on a run queue, in nanoseconds. */
  private record CpuTime(long runNanos, long waitNanos) {
    CpuTime minus(CpuTime before) {
      return new CpuTime(runNanos - before.runNanos, waitNanos - before.waitNanos);
    }

    @Override
    public String toString() {
      return String.format("%.3f s run, %.3f s waiting", runNanos / 1e9, waitNanos / 1e9);
    }
  }

  /** The scheduler's own account of every process now in the cgroup (/proc/PID/schedstat: run and wait time, ns). */
  private static CpuTime cpuTime(Path cgroup) throws IOException {
    long run = 0;
    long wait = 0;
    for (String pid : read(cgroup.resolve("cgroup.procs")).lines().toList()) {
      String[] fields;
      try {
        fields = Files.readString(Path.of("/proc", pid, "schedstat")).strip().split(" ");
      } catch (java.nio.file.NoSuchFileException e) {
        continue; // exited between the two reads
      }
      run += Long.parseLong(fields[0]);
      wait += Long.parseLong(fields[1]);
    }
    return new CpuTime(run, wait);
  }

  /** How many processes of the cgroup may run only on {@code cpu}. */
  private static long pinnedTo(Path cgroup, int cpu) throws IOException {
    long pinned = 0;
    for (String pid : read(cgroup.resolve("cgroup.procs")).lines().toList()) {
      try {
        if (Files.readAllLines(Path.of("/proc", pid, "status")).contains("Cpus_allowed_list:\t" + cpu)) {
          pinned++;
        }
      } catch (java.nio.file.NoSuchFileException e) {
        // exited between the two reads
      }
    }
    return pinned;
  }

  /** The lowest-numbered CPU this JVM (and so the agent's tasks) may run on. */
  private static int firstAllowedCpu() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("Cpus_allowed_list:")) {
        return Integer.parseInt(line.substring(line.indexOf(':') + 1).strip().split("[,-]")[0]);
      }
    }
    return 0;
  }

  @Test
  void aTaskThatExceedsItsMemoryIsKilledAndReportedAsAMemoryLimitation() throws Exception {
    assumeTrue(v1(), "needs cgroup v1");
    start(IsolationOptions.DEFAULT);
    // tail keeps everything it reads while it waits for a newline that never comes: 300 MB against a 32 MB limit.
    fixture.launch(task("hog", "head -c 300000000 /dev/zero | tail > /dev/null", 0.1, 32));

    List<StatusUpdate> updates = fixture.updatesUntilTerminal(TaskId.of("hog"));

    TaskStatus last = updates.get(updates.size() - 1).status();
    assertThat(last.state()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(last.reason()).isEqualTo(TaskStatus.Reason.REASON_CONTAINER_LIMITATION_MEMORY);
    assertThat(last.source()).isEqualTo(TaskStatus.Source.SOURCE_AGENT);
    assertThat(last.message()).contains("Memory limit exceeded").contains("of its 32 MB limit");
  }

  /**
   * The agent's stop destroys the containers left while the exits of their tasks are being read and their containers
   * destroyed: each container is destroyed once, by whoever comes first, and the stop's removal of a cgroup never
   * fails a read of it ("No such device"). Tasks that end around the moment of the stop, many times over.
   */
  @Test
  void stoppingWhileTasksFinishLogsNoErrorAndLeavesNoCgroups() throws Exception {
    assumeTrue(v1(), "needs cgroup v1");
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    ch.qos.logback.classic.Logger root =
        (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(logged);
    try {
      for (int round = 0; round < 12; round++) {
        start(IsolationOptions.DEFAULT);
        // Some end at once, some a few milliseconds into the stop, one only when the stop kills it.
        fixture.launch(task("now-" + round, "exit 0", 0.1, 32), task("soon-" + round, "sleep 0.02", 0.1, 32),
            task("later-" + round, "sleep 0.05", 0.1, 32), task("never-" + round, "sleep 600", 0.1, 32));
        fixture.awaitState(TaskId.of("never-" + round), TaskState.TASK_STARTING);
        fixture.awaitState(TaskId.of("never-" + round), TaskState.TASK_RUNNING);
        Thread.sleep((round * 7) % 40);
        fixture.close();
        fixture = null;
        for (String controller : List.of("memory", "cpu")) {
          assertThat(agentRoot(controller)).as("round %d: the stopped agent's %s cgroups", round, controller)
              .doesNotExist();
        }
        assertThat(logged.list.stream().filter(event -> event.getLevel().isGreaterOrEqual(Level.ERROR))
            .map(event -> event.getFormattedMessage() + (event.getThrowableProxy() == null ? ""
                : ": " + event.getThrowableProxy().getMessage())))
            .as("errors logged by round %d", round).isEmpty();
      }
    } finally {
      root.detachAppender(logged);
    }
  }

  @Test
  void orphanedContainersLeftByACrashAreDestroyedAtStart() throws Exception {
    assumeTrue(v1(), "needs cgroup v1");
    start(IsolationOptions.DEFAULT);
    fixture.launch(task("first", "true", 0.1, 32));
    fixture.updatesUntilTerminal(TaskId.of("first"));
    Path agentRoot = agentRoot("memory");
    fixture.close();
    fixture = null;

    // What a crashed agent leaves: a container's cgroup with a process still in it.
    Path orphan = Files.createDirectories(agentRoot.resolve("0f0e0d0c-orphan"));
    Process stray = new ProcessBuilder("sleep", "600").start();
    Files.writeString(orphan.resolve("cgroup.procs"), Long.toString(stray.pid()));

    start(IsolationOptions.DEFAULT);

    assertThat(stray.waitFor(30, TimeUnit.SECONDS)).as("the orphan's process was killed").isTrue();
    assertThat(orphan).doesNotExist();
    fixture.close();
    fixture = null;
    assertThat(agentRoot).as("a stopped agent leaves no cgroups behind").doesNotExist();
  }

  @Test
  void withoutCgroupsTheAgentRunsTasksUnisolatedOrRefusesWhenTheyWereRequired(@TempDir Path noCgroups)
      throws Exception {
    Isolator fallback = Isolators.create(Isolators.Mode.AUTO, noCgroups, workDir, false);
    assertThat(fallback.name()).isEqualTo("none");
    assertThatThrownBy(() -> Isolators.create(Isolators.Mode.CGROUPS, noCgroups, workDir, false))
        .hasMessageContaining("isolation 'cgroups' was asked for").hasMessageContaining(noCgroups.toString());

    start(new IsolationOptions(Isolators.Mode.AUTO, false, null, noCgroups));
    assertThat(fixture.state().getString("isolation")).isEqualTo("none");
    fixture.launch(task("plain", "exit 0", 0.1, 32));
    List<StatusUpdate> updates = fixture.updatesUntilTerminal(TaskId.of("plain"));
    assertThat(updates.get(updates.size() - 1).status().state()).isEqualTo(TaskState.TASK_FINISHED);
  }

  @Test
  void cgroupV2IsUsedOnlyWithItsCpuAndMemoryControllers() throws Exception {
    Path unified = MOUNT.resolve("unified");
    assumeTrue(Files.isRegularFile(unified.resolve("cgroup.controllers")), "needs a cgroup v2 mount");
    String controllers = Files.readString(unified.resolve("cgroup.controllers"));
    Isolator isolator = Isolators.create(Isolators.Mode.AUTO, unified, workDir, false);
    // This machine binds cpu and memory to v1, so its v2 mount has neither: no v2 isolation can be had there.
    assertThat(isolator.name()).isEqualTo(controllers.contains("memory") && controllers.contains("cpu")
        ? "cgroups/v2" : "none");
  }

  /** The agent's root: named by a hash of its work dir, so that agents sharing a machine keep apart. */
  private Path agentRoot(String controller) {
    return rootFor(MOUNT.resolve(controller).resolve("orrery"));
  }

  private Path rootFor(Path orrery) {
    return rootFor(orrery, workDir);
  }

  /** The cgroup root, under {@code orrery}, of the agent whose work dir is {@code workDir}. */
  static Path rootFor(Path orrery, Path workDir) {
    try {
      return orrery.resolve(Digests.sha256Hex(workDir.toRealPath().toString(), 6));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }


  /**
   * Removes the (empty) cgroup roots an agent killed with SIGKILL leaves behind, which only its next start would
   * otherwise reuse: tests run on a machine that outlives them.
   */
  static void removeAgentRoots(Path workDir) {
    for (String controller : List.of("memory", "cpu", "pids")) {
      Path orrery = MOUNT.resolve(controller).resolve("orrery");
      if (Files.isDirectory(orrery)) {
        try {
          Files.deleteIfExists(rootFor(orrery, workDir));
        } catch (IOException e) {
          // a container is still there (it will be found as an orphan next time): nothing to tidy now
        }
      }
    }
  }

  private Path cgroupOf(String controller, String container) {
    return rootFor(MOUNT.resolve(controller).resolve("orrery")).resolve(container);
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.US_ASCII).strip();
  }
}
