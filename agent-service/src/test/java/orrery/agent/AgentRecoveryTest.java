package orrery.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent killed with SIGKILL while its tasks run, and started again on the same work dir: it comes back under the
 * same id, finds its running task with its original pid, reports the task that ended while it was down with its real
 * outcome, resends the update nobody had acknowledged, and refuses to recover with fewer resources. Each agent is a
 * JVM of its own ({@link AgentProcessMain}) so that it can really be killed.
 */
class AgentRecoveryTest {

  private static final long WAIT_SECONDS = 60;
  private static final String RESOURCES = "cpus:2;mem:1024;disk:1024";

  @TempDir
  Path workDir;
  private final List<AgentProcess> agents = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    agents.forEach(AgentProcess::close);
    for (AgentProcess agent : agents) {
      agent.process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
    }
    IsolationTest.removeAgentRoots(workDir);
  }

  @Test
  void anAgentKilledWithSigkillRecoversItsTasks() throws Exception {
    AgentProcess first = start(RESOURCES);
    first.send("LAUNCH long sleep 600");
    first.send("LAUNCH short sleep 2; exit 3");
    first.await("UPDATE long TASK_RUNNING");
    first.await("UPDATE short TASK_RUNNING");
    first.send("ACKS off");
    first.send("LAUNCH unacked sleep 600");
    String starting = first.await("UPDATE unacked TASK_STARTING");
    long pid = first.task("long").getLong("pid");
    String agentId = first.state().getString("id");

    first.sigkill();
    Thread.sleep(3_000); // "short" exits with 3 while no agent is there to see it

    AgentProcess second = start(RESOURCES);
    assertThat(second.state().getString("id")).as("the same agent id").isEqualTo(agentId);
    // The unacknowledged update goes out again, as it was (same uuid), before the task moves on.
    assertThat(second.await("UPDATE unacked TASK_STARTING")).isEqualTo(starting);
    second.await("UPDATE unacked TASK_RUNNING");
    assertThat(second.await("UPDATE short TASK_FAILED")).endsWith("Command exited with status 3");
    JsonObject longTask = second.task("long");
    assertThat(longTask.getString("state")).isEqualTo("TASK_RUNNING");
    assertThat(longTask.getLong("pid")).as("not restarted: the same process").isEqualTo(pid);
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);

    // It is still the agent's task: killing it works as before the crash.
    second.send("KILL long");
    second.await("UPDATE long TASK_KILLED");
    AgentFixture.eventually("the process is gone", () -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    second.send("KILL unacked");
    second.await("UPDATE unacked TASK_KILLED");
  }

  @Test
  void dockerTasksAreFoundAgainByTheirContainers() throws Exception {
    orrery.agent.docker.DockerEngine engine = orrery.agent.docker.DockerEngine.connect(null);
    org.junit.jupiter.api.Assumptions.assumeTrue(engine != null,
        "no Docker engine answers (run bin/test-setup, as root, to install and start one)");
    engine.close();
    AgentProcess first = start(RESOURCES);
    first.send("DOCKER boxed sleep 600");
    first.send("DOCKER quick sleep 2; exit 4");
    first.await("UPDATE boxed TASK_RUNNING");
    first.await("UPDATE quick TASK_RUNNING");
    first.sigkill();
    Thread.sleep(3_000); // "quick" exits with 4 while no agent is there

    AgentProcess second = start(RESOURCES);
    assertThat(second.await("UPDATE quick TASK_FAILED")).contains("status 4");
    assertThat(second.task("boxed").getString("state")).isEqualTo("TASK_RUNNING");
    second.send("KILL boxed");
    second.await("UPDATE boxed TASK_KILLED");
  }

  @Test
  void anAgentRefusesToRecoverWithFewerResources() throws Exception {
    AgentProcess first = start(RESOURCES);
    first.send("LAUNCH long sleep 600");
    first.await("UPDATE long TASK_RUNNING");
    long pid = first.task("long").getLong("pid");
    first.sigkill();

    AgentProcess smaller = start("cpus:1;mem:1024;disk:1024");
    String failed = smaller.await("FAILED");
    assertThat(failed).contains("refusing to recover").contains("cpus").contains("only additions are allowed");
    assertThat(smaller.process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(smaller.process.exitValue()).isNotZero();

    // More resources are fine: the task is found again.
    AgentProcess larger = start("cpus:3;mem:2048;disk:1024");
    assertThat(larger.task("long").getLong("pid")).isEqualTo(pid);
    larger.send("KILL long");
    larger.await("UPDATE long TASK_KILLED");
  }

  private AgentProcess start(String resources) throws IOException {
    AgentProcess agent = new AgentProcess(workDir, resources);
    agents.add(agent);
    return agent;
  }

  /** One agent JVM, its input and the lines it printed. */
  private static final class AgentProcess implements AutoCloseable {
    final Process process;
    private final PrintWriter input;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();
    private int port = -1;

    AgentProcess(Path workDir, String resources) throws IOException {
      process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
          System.getProperty("java.class.path"), AgentProcessMain.class.getName(), workDir.toString(), resources)
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      input = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
      Thread reader = new Thread(() -> {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8))) {
          for (String line = out.readLine(); line != null; line = out.readLine()) {
            lines.add(line);
          }
        } catch (IOException e) {
          lines.add("READ-FAILED " + e);
        }
      });
      reader.setDaemon(true);
      reader.start();
    }

    void send(String line) {
      input.println(line);
    }

    /** Waits for a line starting with {@code prefix}, not taken before, and returns it. */
    String await(String prefix) throws InterruptedException {
      for (String line : seen) {
        if (line.startsWith(prefix)) {
          seen.remove(line);
          return line;
        }
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
      while (System.nanoTime() < deadline) {
        String line = lines.poll(100, TimeUnit.MILLISECONDS);
        if (line == null) {
          continue;
        }
        if (line.startsWith("READY ")) {
          port = Integer.parseInt(line.substring(6).strip());
        }
        if (line.startsWith(prefix)) {
          return line;
        }
        seen.add(line);
      }
      throw new AssertionError("no line '" + prefix + "...' within " + WAIT_SECONDS + " s; seen: " + seen);
    }

    JsonObject state() throws Exception {
      if (port < 0) {
        await("READY");
      }
      HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/state")).build(), HttpResponse.BodyHandlers.ofString());
      return new JsonObject(response.body());
    }

    JsonObject task(String id) throws Exception {
      JsonArray tasks = state().getJsonArray("tasks");
      for (int i = 0; i < tasks.size(); i++) {
        if (tasks.getJsonObject(i).getString("task_id").equals(id)) {
          return tasks.getJsonObject(i);
        }
      }
      throw new AssertionError("no running task " + id + " in " + tasks.encodePrettily());
    }

    void sigkill() throws InterruptedException {
      process.destroyForcibly(); // SIGKILL: no shutdown hook, no clean stop
      process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
      if (process.isAlive()) {
        process.destroyForcibly();
      }
    }
  }
}
