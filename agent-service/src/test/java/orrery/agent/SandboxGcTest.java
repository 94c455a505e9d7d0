package orrery.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import orrery.protocol.mesos.TaskId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sandbox GC on a real agent: a finished task's sandbox goes after the delay; a running task's stays. */
class SandboxGcTest {

  @TempDir
  Path workDir;
  private AgentFixture fixture;

  @AfterEach
  void tearDown() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void aFinishedTaskSandboxIsDeletedAfterTheDelayAndARunningOneIsKept() throws Exception {
    fixture = new AgentFixture(workDir).withMaster();
    fixture.deploy(fixture.config().withSandboxGcDelayMillis(1_500));
    fixture.launch(AgentFixture.shell("done", "echo bye"), AgentFixture.shell("runs", "echo hi; sleep 600"));
    fixture.updatesUntilTerminal(TaskId.of("done"));
    Path done = Path.of(fixture.task("done").getString("directory"));
    Path runs = Path.of(fixture.task("runs").getString("directory"));
    AgentFixture.eventually("'runs' wrote its stdout", () -> fixture.readFile(runs + "/stdout").equals("hi\n"));
    // Right after the end it is still there, and readable.
    assertThat(fixture.readFile(done + "/stdout")).isEqualTo("bye\n");

    // The run directory goes first, then its executor directory (two steps): wait for both.
    AgentFixture.eventually("the finished task's sandbox and its executor directory, which had only that run, are "
        + "deleted", () -> !Files.exists(done) && !Files.exists(done.getParent().getParent()));
    assertThat(fixture.get("/files/read?offset=0&path=" + AgentFixture.encode(done + "/stdout")).statusCode())
        .isEqualTo(404);
    // The sleeper's sandbox is far older than the delay by now, and stays while it runs.
    Thread.sleep(1_000);
    assertThat(runs).isDirectory();
    assertThat(fixture.readFile(runs + "/stdout")).isEqualTo("hi\n");
  }
}
