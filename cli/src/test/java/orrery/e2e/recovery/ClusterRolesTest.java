package orrery.e2e.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import orrery.protocol.mesos.Filters;
import orrery.protocol.mesos.FrameworkInfo;
import orrery.protocol.mesos.Offer;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskState;
import orrery.protocol.mesos.TaskStatus;
import orrery.protocol.scheduler.Call;
import orrery.protocol.scheduler.Event;
import orrery.sdk.BridgeSchedulerClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every role in a JVM of its own (orrery registry, allocator and offers twice each, two gateways, an agent), joined by
 * the Hazelcast event bus over TCP on this machine: tasks run end to end; when the leading registry, allocator or
 * offer broker is killed with SIGKILL the standby takes over; the agent, killed and started again, comes back with its
 * task. The leader locks are in Hazelcast's CP subsystem of three members (nine are listed), the first leaders being
 * them, so that each leader killed is a CP member whose seat another member takes; {@code -Dorrery.cpMembers=0}
 * (through surefire's argLine) runs the same in Hazelcast's unsafe mode.
 */
class ClusterRolesTest {

  @TempDir
  Path dir;

  private final Map<String, OrreryProcess> roles = new LinkedHashMap<>();
  private int gatewayPort;

  @AfterEach
  void stop() throws Exception {
    // The agent first, so that it kills its tasks while the registry still listens.
    List<OrreryProcess> order = new ArrayList<>(roles.values());
    java.util.Collections.reverse(order);
    for (OrreryProcess role : order) {
      role.close();
    }
  }

  /** Each role's output, kept after the run (target/cluster-roles-test/NAME.log) to read when it failed. */
  private static final Path LOGS = Path.of("target", "cluster-roles-test");

  @Test
  void rolesInProcessesOfTheirOwnRunTasksAndSurviveTheLossOfAnyOne() throws Exception {
    try {
      runTasksAndFailOver();
    } catch (Throwable failed) {
      // What each member was doing when the test gave up waiting: its threads, in its log; and this JVM's (the
      // frameworks' clients), in the test's output.
      for (OrreryProcess role : roles.values()) {
        role.dumpThreads();
      }
      Thread.getAllStackTraces().forEach((thread, stack) -> {
        System.out.println("\"" + thread.getName() + "\" " + thread.getState());
        for (StackTraceElement frame : stack) {
          System.out.println("\tat " + frame);
        }
      });
      Thread.sleep(1_000);
      throw failed;
    }
  }

  private void runTasksAndFailOver() throws Exception {
    if (Files.isDirectory(LOGS)) {
      try (Stream<Path> old = Files.list(LOGS)) {
        for (Path log : old.toList()) {
          Files.delete(log);
        }
      }
    }
    Files.createDirectories(LOGS);
    List<Integer> clusterPorts = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      clusterPorts.add(OrreryProcess.freePort());
    }
    String members = clusterPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    gatewayPort = OrreryProcess.freePort();
    // Two of each singleton: the first to take its role's lock leads, the other stands by. The registries share
    // one store. The replicas that are to lead start first: with the CP subsystem they are its three members, and it
    // elects no leader before they are together.
    String master = Integer.toString(gatewayPort);
    role("registry-a", "registry", clusterPorts.get(0), members, "--work-dir", dir.resolve("registry").toString());
    role("allocator-a", "allocator", clusterPorts.get(2), members);
    role("offers-a", "offers", clusterPorts.get(4), members, "--master-port", master);
    for (String leader : List.of("registry-a", "allocator-a", "offers-a")) {
      roles.get(leader).awaitOutput("leads");
    }
    role("registry-b", "registry", clusterPorts.get(1), members, "--work-dir", dir.resolve("registry").toString());
    role("allocator-b", "allocator", clusterPorts.get(3), members);
    role("offers-b", "offers", clusterPorts.get(5), members, "--master-port", master);
    int bridgePort = OrreryProcess.freePort();
    role("gateway", "gateway", clusterPorts.get(6), members, "--host", "127.0.0.1", "--port",
        Integer.toString(gatewayPort), "--bridge-port", Integer.toString(bridgePort));
    role("agent", "agent", clusterPorts.get(7), members, "--work-dir", dir.resolve("agent").toString(),
        "--port", Integer.toString(OrreryProcess.freePort()), "--resources", "cpus:2;mem:2048;disk:1024");
    // A second gateway: both pass /v1/tasks to the one REST framework (beside the leading offer broker).
    int secondGatewayPort = OrreryProcess.freePort();
    role("gateway-2", "gateway", clusterPorts.get(8), members, "--host", "127.0.0.1", "--port",
        Integer.toString(secondGatewayPort), "--bridge-port", Integer.toString(OrreryProcess.freePort()));
    String gateway = "http://127.0.0.1:" + gatewayPort;
    String secondGateway = "http://127.0.0.1:" + secondGatewayPort;
    // Healthy only once every service answers over the cluster and an agent is registered.
    roles.get("gateway").awaitHealthy(gateway + "/health");
    roles.get("gateway-2").awaitHealthy(secondGateway + "/health");

    RestTasks rest = new RestTasks(gateway);
    rest.awaitState(rest.launch("echo hello from the cluster"), "TASK_FINISHED");
    String sleeper = rest.launch("exec sleep 600");
    rest.awaitState(sleeper, "TASK_RUNNING");
    // Either gateway serves the same tasks: one launched through the second is seen through the first, and the
    // first's is killed through the second.
    RestTasks throughTheOther = new RestTasks(secondGateway);
    rest.awaitState(throughTheOther.launch("echo through the second gateway"), "TASK_FINISHED");
    String otherSleeper = rest.launch("exec sleep 600");
    throughTheOther.awaitState(otherSleeper, "TASK_RUNNING");
    assertThat(throughTheOther.kill(otherSleeper)).isEqualTo(202);
    rest.awaitState(otherSleeper, "TASK_KILLED");

    // The leading registry dies: the standby is elected, loads the store and takes over (the agent registers with it
    // again); the cluster works on.
    failOver("registry");
    roles.get("gateway").awaitHealthy(gateway + "/health");
    rest.awaitState(rest.launch("echo after the registry came back"), "TASK_FINISHED");
    rest.awaitState(sleeper, "TASK_RUNNING");

    // The leading allocator dies: the standby learns the agent and its running task from the registry and the
    // frameworks from offer-service, and offers go on.
    failOver("allocator");
    rest.awaitState(rest.launch("echo after the allocator changed"), "TASK_FINISHED");
    rest.awaitState(sleeper, "TASK_RUNNING");

    // The leading offer broker dies while one framework listens on its HTTP event stream and another on its
    // event-bus bridge connection: the standby knows both from the registry and the gateway tells it their
    // connections are still there, so each gets offers and updates on the same connection without subscribing again.
    Vertx vertx = Vertx.vertx();
    try {
      // The bridge framework first: its first offer shows that it listens; it declines it for an hour (a new
      // allocator forgets that), so that the agent is offered to the other framework meanwhile.
      BridgeSchedulerClient bridge = RecoveringFramework.await(
          BridgeSchedulerClient.connect(vertx, "127.0.0.1", bridgePort));
      List<String> bridgeErrors = new java.util.concurrent.CopyOnWriteArrayList<>();
      bridge.onError(bridgeErrors::add);
      LinkedBlockingDeque<Event> bridgeEvents = new LinkedBlockingDeque<>();
      System.out.println("bridge framework: subscribing at " + java.time.LocalTime.now() + " on connection "
          + bridge.localAddress() + " -> 127.0.0.1:" + bridgePort);
      RecoveringFramework.await(bridge.subscribe(FrameworkInfo.of("tester", "bridge").withFailoverTimeout(600),
          bridgeEvents::add));
      Event firstOffers = null;
      while (firstOffers == null || firstOffers.type() != Event.Type.OFFERS) {
        firstOffers = bridgeEvents.poll(60, TimeUnit.SECONDS);
        assertThat(firstOffers).as("an offer to the bridge framework before the failover (bridge errors: %s)",
            bridgeErrors).isNotNull();
      }
      RecoveringFramework.await(bridge.request(Call.decline(bridge.frameworkId(),
          firstOffers.offers().offers().stream().map(Offer::id).toList(), new Filters(3600.0))));
      RecoveringFramework framework = new RecoveringFramework(vertx, gatewayPort,
          FrameworkInfo.of("tester", "stream").withFailoverTimeout(600));
      framework.subscribe();
      assertThat(framework.nextOffer(60)).as("an offer before the failover").isNotNull();
      // A REST task that no agent can take stays queued: the REST framework dies with the broker, and the next one
      // (beside the new broker) queues it again from the cluster's shared map. Killed then, so that it leaves the
      // agent to the two frameworks.
      String waiting = rest.launch("true", 64);
      failOver("offers");
      assertThat(throughTheOther.awaitState(waiting, "QUEUED").getBoolean("queued")).isTrue();
      assertThat(throughTheOther.kill(waiting)).isEqualTo(202);
      rest.awaitState(waiting, "TASK_KILLED");
      // Both at once: either may be offered the whole agent first, and holds it until it has launched.
      CompletableFuture<Void> onTheBridge = CompletableFuture.runAsync(() -> {
        try {
          runOnTheBridge(bridge, bridgeEvents);
        } catch (Exception e) {
          throw new CompletionException(e);
        }
      });
      runOnTheStream(framework);
      assertThat(RecoveringFramework.await(framework.teardown())).isEqualTo(202);
      onTheBridge.get(120, TimeUnit.SECONDS);
      RecoveringFramework.await(bridge.request(Call.teardown(bridge.frameworkId())));
    } catch (Throwable failed) {
      // Every TCP socket of the machine with its process and queues, while the frameworks' connections are open.
      Process sockets = new ProcessBuilder("ss", "-tanpi").redirectErrorStream(true).start();
      System.out.println(new String(sockets.getInputStream().readAllBytes()));
      throw failed;
    } finally {
      vertx.close();
    }
    // The REST framework started again beside the new broker: it read its launched tasks back from the registry.
    rest.awaitState(rest.launch("echo after the offer broker changed"), "TASK_FINISHED");
    throughTheOther.awaitState(sleeper, "TASK_RUNNING");

    // The agent dies and comes back on its work dir: its task ran on, and it still answers to a kill.
    roles.get("agent").kill();
    roles.get("agent").start();
    // Not /health: the registry takes the killed agent for alive until it misses its heartbeats. Once the agent
    // has registered again (with the task it recovered), it is up.
    roles.get("agent").awaitOutput("is up on port");
    rest.awaitState(rest.launch("echo after the agent came back"), "TASK_FINISHED");
    assertThat(rest.kill(sleeper)).isEqualTo(202);
    rest.awaitState(sleeper, "TASK_KILLED");
  }

  /** As {@link #runOnTheStream}, for a framework on the bridge: offers and updates come on its one connection. */
  private static void runOnTheBridge(BridgeSchedulerClient bridge, LinkedBlockingDeque<Event> events)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    TaskId launched = null;
    int attempt = 0;
    while (System.nanoTime() < deadline) {
      Event event = events.poll(1, TimeUnit.SECONDS);
      if (event == null) {
        continue;
      }
      if (event.type() == Event.Type.OFFERS && launched == null) {
        Offer offer = event.offers().offers().get(0);
        launched = TaskId.of("on-the-bridge-" + attempt++);
        RecoveringFramework.await(bridge.request(Call.accept(bridge.frameworkId(), List.of(offer.id()),
            List.of(Offer.Operation.launch(List.of(ControlPlaneCrashTest.task(offer, launched.value(),
                "echo on the bridge")))), new Filters(0.0))));
      } else if (event.type() == Event.Type.UPDATE && event.update().status().taskId().equals(launched)) {
        TaskStatus status = event.update().status();
        if (status.uuid() != null) {
          bridge.request(Call.acknowledge(bridge.frameworkId(), status.agentId(), status.taskId(), status.uuid()));
        }
        if (status.state() == TaskState.TASK_FINISHED) {
          return;
        }
        if (status.state().isTerminal()) {
          launched = null; // an offer of the broker that died: the next one
        }
      }
    }
    throw new AssertionError("no task ran on the framework's bridge connection after the offer broker's failover");
  }

  /**
   * Kills the replica of a role that leads now with SIGKILL and waits for the other to be up; and, when the leader
   * was a CP member, for another member to have taken its seat and the dead one to be removed, so that the next kill
   * leaves the CP subsystem its majority.
   */
  private void failOver(String role) throws Exception {
    OrreryProcess leader = leaderOf(role);
    OrreryProcess standby = leader == roles.get(role + "-a") ? roles.get(role + "-b") : roles.get(role + "-a");
    standby.awaitOutput("waiting to lead");
    boolean cpMember = leader.printedSinceStart("is a CP member") || leader.printedSinceStart("joined the CP subsystem");
    int wholeAgain = cpWholeAgain();
    long killed = System.nanoTime();
    System.out.printf("%s failover: killing the leader at %s%n", role, java.time.LocalTime.now());
    leader.kill();
    standby.awaitOutput("is up");
    System.out.printf("%s failover: the standby was up %.1f s after the leader was killed%n", role,
        (System.nanoTime() - killed) / 1e9);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (cpMember && cpWholeAgain() == wholeAgain) {
      assertThat(System.nanoTime()).as("the CP seat of the %s leader taken", role).isLessThan(deadline);
      Thread.sleep(200);
    }
    System.out.printf("%s failover: the CP subsystem whole again %.1f s after the leader was killed%n", role,
        (System.nanoTime() - killed) / 1e9);
  }

  /**
   * The replica of a role that leads now: usually the first started, but a leader wrongly taken for dead (a pause on a
   * loaded machine) loses its lock to the other and is started again as a standby, as a supervisor would.
   */
  private OrreryProcess leaderOf(String role) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      List<OrreryProcess> leading = new ArrayList<>();
      for (String replica : List.of(role + "-a", role + "-b")) {
        if (roles.get(replica).runningAndPrinted("is up")) {
          leading.add(roles.get(replica));
        }
      }
      if (leading.size() == 1) {
        return leading.get(0);
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no one " + role + " replica leads");
  }

  /** How many times the CP subsystem was whole again after a CP member left (its seat taken by another). */
  private int cpWholeAgain() throws Exception {
    int times = 0;
    for (OrreryProcess role : roles.values()) {
      times += role.occurrences("CP subsystem is whole again");
    }
    return times;
  }

  /**
   * Launches a task on the framework's next offers until one runs to the end: offers made by the broker that died
   * are refused by the new one (TASK_LOST, REASON_INVALID_OFFERS), as a Mesos master refuses offers it does not know.
   */
  private static void runOnTheStream(RecoveringFramework framework) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    for (int attempt = 0; System.nanoTime() < deadline; attempt++) {
      Offer offer = framework.nextOffer(5);
      if (offer == null) {
        continue;
      }
      TaskId task = TaskId.of("on-the-stream-" + attempt);
      RecoveringFramework.await(framework.launch(offer,
          List.of(ControlPlaneCrashTest.task(offer, task.value(), "echo on the stream"))));
      long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < waitUntil && !framework.updatesOf(task).stream()
          .anyMatch(s -> s.state().isTerminal())) {
        Thread.sleep(100);
      }
      if (framework.updatesOf(task).stream().anyMatch(s -> s.state() == TaskState.TASK_FINISHED)) {
        return;
      }
    }
    throw new AssertionError("no task ran on the framework's stream after the offer broker's failover");
  }

  private void role(String name, String command, int clusterPort, String members, String... flags)
      throws Exception {
    List<String> args = new ArrayList<>(List.of(command, "--cluster-host", "127.0.0.1", "--cluster-port",
        Integer.toString(clusterPort), "--cluster-members", members, "--cp-members", System.getProperty("orrery.cpMembers", "auto")));
    args.addAll(List.of(flags));
    OrreryProcess process = new OrreryProcess(LOGS.resolve(name + ".log"), args).supervised();
    if (command.equals("gateway") || command.equals("offers")) {
      // Every call that comes through the bridge, and every call the offer broker takes, is logged.
      process.withEnvironment("ORRERY_LOG_LEVEL", "DEBUG");
    }
    roles.put(name, process.start());
  }
}
