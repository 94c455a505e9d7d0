package orrery.e2e.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import orrery.protocol.mesos.FrameworkInfo;
import orrery.protocol.mesos.Offer;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every role in a JVM of its own (orrery registry and allocator twice each, offers, gateway, agent), joined by the
 * Hazelcast event bus over TCP on this machine: tasks run end to end; when the leading registry or allocator is
 * killed with SIGKILL the standby takes over; the agent, killed and started again, comes back with its task.
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

  @Test
  void rolesInProcessesOfTheirOwnRunTasksAndSurviveTheLossOfAnyOne() throws Exception {
    List<Integer> clusterPorts = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      clusterPorts.add(OrreryProcess.freePort());
    }
    String members = clusterPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    gatewayPort = OrreryProcess.freePort();
    // Two of each singleton: the first to take its role's lock leads, the other stands by. The registries share
    // one store.
    role("registry-a", "registry", clusterPorts.get(0), members, "--work-dir", dir.resolve("registry").toString());
    roles.get("registry-a").awaitOutput("leads");
    role("registry-b", "registry", clusterPorts.get(1), members, "--work-dir", dir.resolve("registry").toString());
    role("allocator-a", "allocator", clusterPorts.get(2), members);
    roles.get("allocator-a").awaitOutput("leads");
    role("allocator-b", "allocator", clusterPorts.get(3), members);
    String master = Integer.toString(gatewayPort);
    role("offers-a", "offers", clusterPorts.get(4), members, "--master-port", master);
    roles.get("offers-a").awaitOutput("leads");
    role("offers-b", "offers", clusterPorts.get(5), members, "--master-port", master);
    role("gateway", "gateway", clusterPorts.get(6), members, "--host", "127.0.0.1", "--port",
        Integer.toString(gatewayPort), "--bridge-port", Integer.toString(OrreryProcess.freePort()));
    role("agent", "agent", clusterPorts.get(7), members, "--work-dir", dir.resolve("agent").toString(),
        "--port", Integer.toString(OrreryProcess.freePort()), "--resources", "cpus:2;mem:2048;disk:1024");
    String gateway = "http://127.0.0.1:" + gatewayPort;
    // Healthy only once every service answers over the cluster and an agent is registered.
    roles.get("gateway").awaitHealthy(gateway + "/health");

    RestTasks rest = new RestTasks(gateway);
    rest.awaitState(rest.launch("echo hello from the cluster"), "TASK_FINISHED");
    String sleeper = rest.launch("exec sleep 600");
    rest.awaitState(sleeper, "TASK_RUNNING");

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

    // The leading offer broker dies while a framework listens on its HTTP event stream: the standby knows the
    // framework from the registry and the gateway tells it the stream is still there, so the framework gets offers
    // and updates on that same stream without subscribing again.
    Vertx vertx = Vertx.vertx();
    try {
      RecoveringFramework framework = new RecoveringFramework(vertx, gatewayPort,
          FrameworkInfo.of("tester", "stream").withFailoverTimeout(600));
      framework.subscribe();
      assertThat(framework.nextOffer(60)).as("an offer before the failover").isNotNull();
      failOver("offers");
      runOnTheStream(framework);
      assertThat(RecoveringFramework.await(framework.teardown())).isEqualTo(202);
    } finally {
      vertx.close();
    }
    rest.awaitState(rest.launch("echo after the offer broker changed"), "TASK_FINISHED");
    rest.awaitState(sleeper, "TASK_RUNNING");

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

  /** Kills the leader of a role (replica a) with SIGKILL and waits for the standby (b) to be up. */
  private void failOver(String role) throws Exception {
    roles.get(role + "-b").awaitOutput("waiting to lead");
    long killed = System.nanoTime();
    roles.get(role + "-a").kill();
    roles.get(role + "-b").awaitOutput("is up");
    System.out.printf("%s failover: the standby was up %.1f s after the leader was killed%n", role,
        (System.nanoTime() - killed) / 1e9);
  }

  /**
   * Launches a task on the framework's next offers until one runs to the end: offers made by the broker that died
   * are refused by the new one (TASK_ERROR), as a Mesos master refuses offers it does not know.
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
          .anyMatch(s -> s.state() == TaskState.TASK_FINISHED || s.state() == TaskState.TASK_ERROR)) {
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
        Integer.toString(clusterPort), "--cluster-members", members));
    args.addAll(List.of(flags));
    roles.put(name, new OrreryProcess(dir.resolve(name + ".log"), args).start());
  }
}
