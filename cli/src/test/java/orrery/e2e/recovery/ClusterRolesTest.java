package orrery.e2e.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
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
  void rolesInProcessesOfTheirOwnRunTasksAndSurviveTheRegistryAndTheAgentDying() throws Exception {
    List<Integer> clusterPorts = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      clusterPorts.add(OrreryProcess.freePort());
    }
    String members = clusterPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    gatewayPort = OrreryProcess.freePort();
    // Two registries on one store: the first to take the lock leads, the other stands by.
    role("registry-a", "registry", clusterPorts.get(0), members, "--work-dir", dir.resolve("registry").toString());
    roles.get("registry-a").awaitOutput("leads");
    role("registry-b", "registry", clusterPorts.get(5), members, "--work-dir", dir.resolve("registry").toString());
    role("allocator-a", "allocator", clusterPorts.get(1), members);
    roles.get("allocator-a").awaitOutput("leads");
    role("allocator-b", "allocator", clusterPorts.get(6), members);
    role("offers", "offers", clusterPorts.get(2), members, "--master-port", Integer.toString(gatewayPort));
    role("gateway", "gateway", clusterPorts.get(3), members, "--host", "127.0.0.1", "--port",
        Integer.toString(gatewayPort), "--bridge-port", Integer.toString(OrreryProcess.freePort()));
    role("agent", "agent", clusterPorts.get(4), members, "--work-dir", dir.resolve("agent").toString(),
        "--port", Integer.toString(OrreryProcess.freePort()), "--resources", "cpus:2;mem:2048;disk:1024");
    String gateway = "http://127.0.0.1:" + gatewayPort;
    // Healthy only once every service answers over the cluster and an agent is registered.
    roles.get("gateway").awaitHealthy(gateway + "/health");

    RestTasks rest = new RestTasks(gateway);
    rest.awaitState(rest.launch("echo hello from the cluster"), "TASK_FINISHED");
    String sleeper = rest.launch("exec sleep 600");
    rest.awaitState(sleeper, "TASK_RUNNING");

    roles.get("registry-b").awaitOutput("waiting to lead");

    // The leading registry dies: the standby is elected, loads the store and takes over; the cluster works on.
    long killed = System.nanoTime();
    roles.get("registry-a").kill();
    roles.get("registry-b").awaitOutput("is up");
    System.out.printf("registry failover: the standby was up %.1f s after the leader was killed%n",
        (System.nanoTime() - killed) / 1e9);
    roles.get("gateway").awaitHealthy(gateway + "/health");
    rest.awaitState(rest.launch("echo after the registry came back"), "TASK_FINISHED");
    rest.awaitState(sleeper, "TASK_RUNNING");

    // The leading allocator dies: the standby learns the agent and its running task from the registry and the
    // frameworks from offer-service, and offers go on.
    roles.get("allocator-b").awaitOutput("waiting to lead");
    killed = System.nanoTime();
    roles.get("allocator-a").kill();
    roles.get("allocator-b").awaitOutput("is up");
    System.out.printf("allocator failover: the standby was up %.1f s after the leader was killed%n",
        (System.nanoTime() - killed) / 1e9);
    rest.awaitState(rest.launch("echo after the allocator changed"), "TASK_FINISHED");
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

  private void role(String name, String command, int clusterPort, String members, String... flags)
      throws Exception {
    List<String> args = new ArrayList<>(List.of(command, "--cluster-host", "127.0.0.1", "--cluster-port",
        Integer.toString(clusterPort), "--cluster-members", members));
    args.addAll(List.of(flags));
    roles.put(name, new OrreryProcess(dir.resolve(name + ".log"), args).start());
  }
}
