package orrery.e2e;

import static orrery.e2e.CliProcess.orrery;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import orrery.e2e.CliProcess.Result;
import org.junit.jupiter.api.Test;

/**
 * The {@code orrery} client commands, each run as its own JVM (as {@code bin/orrery} runs them) against a standalone
 * cluster: what a person at a terminal types and reads.
 */
class CliCommandsTest extends StandaloneClusterTest {

  @Test
  void runWaitsForAFinishedTaskAndExitsZero() throws Exception {
    Result run = orrery(Map.of(), "run", "--master", fixture.gateway(), "--wait", "--name", "hello", "--",
        "echo hello from the cli");
    assertThat(run.exitCode()).as(run.output()).isZero();
    String id = run.output().lines().findFirst().orElseThrow();
    assertThat(id).startsWith("hello-");
    assertThat(run.output()).contains("TASK_FINISHED"); // the watcher polls: a quick task's RUNNING may pass unseen

    Result shown = orrery(Map.of(), "tasks", "--master", fixture.gateway(), id);
    assertThat(shown.exitCode()).isZero();
    JsonObject task = new JsonObject(shown.output());
    assertThat(task.getString("id")).isEqualTo(id);
    assertThat(task.getString("state")).isEqualTo("TASK_FINISHED");
  }

  @Test
  void runWithAnImageRunsTheCommandInThatDockerImage() throws Exception {
    fixture.assumeDocker();
    Result run = orrery(Map.of(), "run", "--master", fixture.gateway(), "--wait", "--image",
        ClusterFixture.DOCKER_TEST_IMAGE, "--", "test \"$MESOS_SANDBOX\" = /mnt/mesos/sandbox");
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).contains("TASK_FINISHED");
  }

  @Test
  void runOfAFailingCommandExitsNonZeroWithItsExitCode() throws Exception {
    Result run = orrery(Map.of(), "run", "--master", fixture.gateway(), "--wait", "--", "exit 3");
    assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
    assertThat(run.output()).contains("TASK_FAILED").contains("status 3");
  }

  @Test
  void tasksListsAndKillKillsThroughTheMasterFromTheEnvironment() throws Exception {
    Map<String, String> env = Map.of("ORRERY_MASTER", fixture.gateway());
    Result run = orrery(env, "run", "--name", "sleeper", "--", "sleep 600");
    assertThat(run.exitCode()).as(run.output()).isZero();
    String id = run.output().strip();

    awaitState(env, id, "TASK_RUNNING");
    Result listed = orrery(env, "tasks");
    assertThat(listed.output()).contains(id).contains("TASK_RUNNING");

    Result kill = orrery(env, "kill", id);
    assertThat(kill.exitCode()).as(kill.output()).isZero();
    assertThat(kill.output()).contains(id).contains("kill requested");
    awaitState(env, id, "TASK_KILLED");
  }

  @Test
  void anUnreachableMasterIsNamedAndExitsTwo() throws Exception {
    Result tasks = orrery(Map.of(), "tasks", "--master", "http://127.0.0.1:1");
    assertThat(tasks.exitCode()).isEqualTo(2);
    assertThat(tasks.output()).contains("orrery: ").contains("127.0.0.1:1");
  }

  @Test
  void killOfAnUnknownTaskSaysSo() throws Exception {
    Result kill = orrery(Map.of(), "kill", "--master", fixture.gateway(), "no-such-task");
    assertThat(kill.exitCode()).isEqualTo(2);
    assertThat(kill.output()).contains("no-such-task");
  }

  private static void awaitState(Map<String, String> env, String id, String state) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(EventLog.TIMEOUT_SECONDS);
    String last = null;
    while (System.nanoTime() < deadline) {
      Result shown = orrery(env, "tasks", id);
      last = new JsonObject(shown.output()).getString("state");
      if (state.equals(last)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(id + " did not reach " + state + "; last seen " + last);
  }
}
