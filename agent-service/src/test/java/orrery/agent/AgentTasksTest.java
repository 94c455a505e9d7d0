package orrery.agent;

import static orrery.agent.AgentFixture.FRAMEWORK;
import static orrery.agent.AgentFixture.await;
import static orrery.agent.AgentFixture.encode;
import static orrery.agent.AgentFixture.eventually;
import static orrery.agent.AgentFixture.shell;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import orrery.protocol.bus.Addresses;
import orrery.protocol.json.MesosJson;
import orrery.protocol.mesos.CommandInfo;
import orrery.protocol.mesos.CommandInfo.Environment;
import orrery.protocol.mesos.CommandInfo.Environment.Variable;
import orrery.protocol.mesos.Durations.DurationInfo;
import orrery.protocol.mesos.KillPolicy;
import orrery.protocol.mesos.Resource;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskInfo;
import orrery.protocol.mesos.TaskState;
import orrery.protocol.mesos.TaskStatus;
import orrery.protocol.messages.FrameworkMessages.FrameworkRef;
import orrery.protocol.messages.TaskMessages.KillTask;
import orrery.protocol.messages.TaskMessages.StatusUpdate;
import orrery.protocol.resources.Resources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real commands run by a real agent; their updates go to a stand-in registry that acknowledges them. */
class AgentTasksTest {

  @TempDir
  Path workDir;
  private AgentFixture fixture;

  private void start(java.util.function.UnaryOperator<AgentConfig> configure) throws Exception {
    fixture = new AgentFixture(workDir).withMaster();
    fixture.deploy(configure.apply(fixture.config()));
  }

  private void start() throws Exception {
    start(config -> config);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }

  private static List<TaskState> states(List<StatusUpdate> updates) {
    return updates.stream().map(u -> u.status().state()).toList();
  }

  private void kill(String taskId, KillPolicy policy) throws Exception {
    await(fixture.vertx.eventBus().request(Addresses.agentKill(fixture.agent.agentId()),
        new KillTask(FRAMEWORK, TaskId.of(taskId), fixture.agent.agentId(), policy)));
  }

  private void awaitRunning(String taskId) throws Exception {
    fixture.awaitState(TaskId.of(taskId), TaskState.TASK_STARTING);
    fixture.awaitState(TaskId.of(taskId), TaskState.TASK_RUNNING);
  }

  @Test
  void runsAShellCommandToFinishedAndServesItsOutput() throws Exception {
    start();
    fixture.launch(shell("hello", "echo hello; echo oops >&2"));

    List<StatusUpdate> updates = fixture.updatesUntilTerminal(TaskId.of("hello"));

    assertThat(states(updates)).containsExactly(TaskState.TASK_STARTING, TaskState.TASK_RUNNING,
        TaskState.TASK_FINISHED);
    assertThat(updates).allSatisfy(u -> {
      assertThat(u.frameworkId()).isEqualTo(FRAMEWORK);
      assertThat(u.status().agentId()).isEqualTo(FakeMaster.AGENT_ID);
      assertThat(u.status().uuid()).hasSize(16);
      assertThat(u.status().timestamp()).isGreaterThan(1.6e9);
      assertThat(u.status().source()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
    });
    assertThat(updates.stream().map(u -> Arrays.toString(u.status().uuid())).distinct()).hasSize(3);
    assertThat(updates.get(2).status().message()).isEqualTo("Command exited with status 0");

    String sandbox = fixture.task("hello").getString("directory");
    assertThat(sandbox).startsWith(workDir.toRealPath().toString()).contains("/frameworks/framework-1/executors/"
        + "hello/runs/");
    assertThat(fixture.readFile(sandbox + "/stdout")).isEqualTo("hello\n");
    assertThat(fixture.readFile(sandbox + "/stderr")).isEqualTo("oops\n");
    eventually("the acknowledged task is completed", () -> fixture.state().getJsonArray("completed_tasks")
        .size() == 1);
  }

  @Test
  void runsAnExecutableWithoutAShellWithItsArgumentsAndEnvironment() throws Exception {
    start();
    CommandInfo command = new CommandInfo(null, new Environment(List.of(Variable.of("GREETING", "hi there"))),
        false, "/usr/bin/printenv", List.of("printenv", "GREETING", "MESOS_TASK_ID"), null);
    fixture.launch(TaskInfo.command("env", TaskId.of("env"), FakeMaster.AGENT_ID, List.of(), command));

    List<StatusUpdate> updates = fixture.updatesUntilTerminal(TaskId.of("env"));

    // printenv fails for a variable it cannot find: a FINISHED task was not given argv[0] as an argument.
    assertThat(states(updates)).endsWith(TaskState.TASK_FINISHED);
    String sandbox = fixture.task("env").getString("directory");
    assertThat(fixture.readFile(sandbox + "/stdout")).isEqualTo("hi there\nenv\n");
  }

  @Test
  void aCommandThatExitsNonZeroFailsWithItsStatus() throws Exception {
    start();
    fixture.launch(shell("three", "exit 3"));

    StatusUpdate last = fixture.updatesUntilTerminal(TaskId.of("three")).get(2);

    assertThat(last.status().state()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(last.status().message()).isEqualTo("Command exited with status 3");
  }

  @Test
  void aCommandThatCannotStartFailsToLaunch() throws Exception {
    start();
    CommandInfo missing = new CommandInfo(null, null, false, "/no/such/program", null, null);
    fixture.launch(TaskInfo.command("missing", TaskId.of("missing"), FakeMaster.AGENT_ID, List.of(), missing));

    List<StatusUpdate> updates = fixture.updatesUntilTerminal(TaskId.of("missing"));

    assertThat(states(updates)).containsExactly(TaskState.TASK_STARTING, TaskState.TASK_FAILED);
    TaskStatus failed = updates.get(1).status();
    assertThat(failed.reason()).isEqualTo(TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED);
    assertThat(failed.source()).isEqualTo(TaskStatus.Source.SOURCE_AGENT);
    assertThat(failed.message()).startsWith("Failed to launch the command: ").contains("/no/such/program");
  }

  @Test
  void refusesATaskWithACustomExecutor() throws Exception {
    start();
    TaskInfo task = MesosJson.read("{\"name\":\"x\",\"task_id\":{\"value\":\"x\"},\"agent_id\":{\"value\":\""
        + FakeMaster.AGENT_ID + "\"},\"executor\":{\"executor_id\":{\"value\":\"e\"}}}", TaskInfo.class);
    fixture.launch(task);

    TaskStatus failed = fixture.master.nextUpdate(TaskId.of("x")).status();
    assertThat(failed.state()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(failed.reason()).isEqualTo(TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED);
    assertThat(failed.source()).isEqualTo(TaskStatus.Source.SOURCE_AGENT);
    assertThat(failed.message()).contains("custom executors");
  }

  @Test
  void killSendsSigtermAndReportsKilled() throws Exception {
    start();
    fixture.launch(shell("sleeper", "sleep 60"));
    awaitRunning("sleeper");

    // A long grace period: KILLED within it means SIGTERM did the work.
    kill("sleeper", new KillPolicy(DurationInfo.ofMillis(20_000)));

    fixture.awaitState(TaskId.of("sleeper"), TaskState.TASK_KILLING);
    StatusUpdate killed = fixture.awaitState(TaskId.of("sleeper"), TaskState.TASK_KILLED);
    assertThat(killed.status().message()).isEqualTo("Command terminated with signal SIGTERM");
  }

  @Test
  void aTaskKilledAsItLaunchesEndsKilledWithNoProcessLeft() throws Exception {
    start();
    // The kill may find the process not yet started (KILLED at once) or running (KILLING, then KILLED).
    fixture.vertx.eventBus().send(Addresses.agentLaunch(fixture.agent.agentId()),
        new orrery.protocol.messages.TaskMessages.LaunchTasks(FRAMEWORK, fixture.agent.agentId(),
            List.of(shell("brief", "sleep 60"))));
    kill("brief", null);

    List<StatusUpdate> updates = fixture.updatesUntilTerminal(TaskId.of("brief"));

    assertThat(states(updates)).startsWith(TaskState.TASK_STARTING).endsWith(TaskState.TASK_KILLED);
    Long pid = fixture.task("brief").getLong("pid");
    if (pid != null) {
      eventually("its process is gone", () -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    }
  }

  @Test
  void aProcessThatIgnoresSigtermIsKilledAfterTheGracePeriod() throws Exception {
    start();
    TaskInfo stubborn = shell("stubborn", "trap '' TERM; echo ready; sleep 60")
        .withKillPolicy(new KillPolicy(DurationInfo.ofMillis(500)));
    fixture.launch(stubborn);
    awaitRunning("stubborn");
    JsonObject task = fixture.task("stubborn");
    String stdout = task.getString("directory") + "/stdout";
    eventually("the trap is set", () -> fixture.readFile(stdout).equals("ready\n"));
    ProcessHandle shell = ProcessHandle.of(task.getLong("pid")).orElseThrow();
    eventually("sleep runs under the shell", () -> shell.descendants().findAny().isPresent());
    List<ProcessHandle> descendants = shell.descendants().toList();

    kill("stubborn", null);

    fixture.awaitState(TaskId.of("stubborn"), TaskState.TASK_KILLING);
    StatusUpdate killed = fixture.awaitState(TaskId.of("stubborn"), TaskState.TASK_KILLED);
    assertThat(killed.status().message()).isEqualTo("Command terminated with signal SIGKILL");
    eventually("its child is gone too", () -> descendants.stream().noneMatch(ProcessHandle::isAlive));
  }

  @Test
  void resendsAnUnacknowledgedUpdateUntilItIsAcknowledged() throws Exception {
    start(config -> config.withStatusUpdateRetry(100, 400));
    fixture.master.autoAcknowledge.set(false);
    fixture.launch(shell("quiet", "true"));
    TaskId id = TaskId.of("quiet");

    StatusUpdate starting = fixture.master.nextDelivery(id);
    assertThat(starting.status().state()).isEqualTo(TaskState.TASK_STARTING);
    for (int resend = 1; resend <= 2; resend++) {
      StatusUpdate again = fixture.master.nextDelivery(id);
      assertThat(again.status().state()).as("only STARTING is in flight").isEqualTo(TaskState.TASK_STARTING);
      assertThat(again.status().uuid()).isEqualTo(starting.status().uuid());
    }
    fixture.master.acknowledge(starting);

    // Then each update in turn, each acknowledged once it arrives.
    StatusUpdate update = starting;
    while (!update.status().state().isTerminal()) {
      StatusUpdate next = fixture.master.nextDelivery(id);
      if (Arrays.equals(next.status().uuid(), update.status().uuid())) {
        continue; // a resend sent before the acknowledgement arrived
      }
      update = next;
      fixture.master.acknowledge(update);
    }
    assertThat(update.status().state()).isEqualTo(TaskState.TASK_FINISHED);

    eventually("the terminal acknowledgement is taken", () -> fixture.state().getJsonArray("tasks").isEmpty());
    Thread.sleep(200);
    int delivered = fixture.master.allUpdates.size();
    Thread.sleep(1_000); // more than two of the longest retry intervals
    assertThat(fixture.master.allUpdates).as("nothing resent once acknowledged").hasSize(delivered);
  }

  @Test
  void stateListsTheAgentAndItsRunningTask() throws Exception {
    start();
    fixture.launch(shell("sleeper", "sleep 60"));
    awaitRunning("sleeper");

    JsonObject state = fixture.state();

    assertThat(state.getString("id")).isEqualTo(FakeMaster.AGENT_ID.value());
    assertThat(state.getString("hostname")).isEqualTo("127.0.0.1");
    assertThat(state.getInteger("port")).isEqualTo(fixture.agent.httpPort());
    // This machine has cgroup v1 or v2 (see ../shared/DESIGN.md); without them the agent says "none".
    assertThat(state.getString("isolation")).isEqualTo(IsolationTest.expectedIsolation());
    assertThat(Resources.of(Arrays.asList(MesosJson.read(state.getJsonArray("resources").encode(),
        Resource[].class)))).isEqualTo(Resources.parse(AgentFixture.RESOURCES + ";ports:[31000-32000]"));
    assertThat(state.getJsonArray("attributes").encode()).contains("\"rack\"").contains("\"r1\"");
    JsonArray tasks = state.getJsonArray("tasks");
    assertThat(tasks).hasSize(1);
    JsonObject task = tasks.getJsonObject(0);
    assertThat(task.getString("task_id")).isEqualTo("sleeper");
    assertThat(task.getString("framework_id")).isEqualTo(FRAMEWORK.value());
    assertThat(task.getString("name")).isEqualTo("sleeper");
    assertThat(task.getString("state")).isEqualTo("TASK_RUNNING");
    assertThat(task.getJsonArray("resources").encode()).contains("\"cpus\"");
    assertThat(Files.isDirectory(Path.of(task.getString("directory")))).isTrue();
    assertThat(ProcessHandle.of(task.getLong("pid"))).isPresent();
    assertThat(state.getJsonArray("completed_tasks")).isEmpty();
  }

  @Test
  void filesServesTheSandboxesAndNothingElse() throws Exception {
    start();
    fixture.launch(shell("hello", "printf 'one\\ntwo\\n'"));
    fixture.updatesUntilTerminal(TaskId.of("hello"));
    String sandbox = fixture.task("hello").getString("directory");

    HttpResponse<String> partial = fixture.get("/files/read?path=" + encode(sandbox + "/stdout")
        + "&offset=4&length=3");
    assertThat(new JsonObject(partial.body())).isEqualTo(new JsonObject().put("data", "two").put("offset", 4));
    HttpResponse<String> size = fixture.get("/files/read?offset=-1&path=" + encode(sandbox + "/stdout"));
    assertThat(new JsonObject(size.body())).isEqualTo(new JsonObject().put("data", "").put("offset", 8));
    HttpResponse<String> download = fixture.get("/files/download?path=" + encode(sandbox + "/stdout"));
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.body()).isEqualTo("one\ntwo\n");
    HttpResponse<String> browse = fixture.get("/files/browse?path=" + encode(sandbox));
    assertThat(new JsonArray(browse.body()).stream().map(e -> ((JsonObject) e).getString("path")))
        .containsExactly(sandbox + "/stderr", sandbox + "/stdout");

    for (String forbidden : List.of("/files/read?offset=0&path=" + encode("/etc/passwd"),
        "/files/download?path=" + encode("/etc/passwd"),
        "/files/browse?path=" + encode(sandbox + "/../../../../../../../..") ,
        "/files/read?offset=0&path=" + encode(sandbox + "/../../../../../../../../../etc/passwd"))) {
      HttpResponse<String> response = fixture.get(forbidden);
      assertThat(response.statusCode()).as(forbidden).isEqualTo(403);
      assertThat(new JsonObject(response.body()).getString("error")).contains("outside the task sandboxes");
    }
    assertThat(fixture.get("/files/read?offset=0&path=" + encode(sandbox + "/nope")).statusCode()).isEqualTo(404);
    HttpResponse<String> badOffset = fixture.get("/files/read?offset=abc&path=" + encode(sandbox + "/stdout"));
    assertThat(badOffset.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(badOffset.body()).getString("field")).isEqualTo("offset");
    HttpResponse<String> badLength = fixture.get("/files/read?length=-7&path=" + encode(sandbox + "/stdout"));
    assertThat(badLength.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(badLength.body()).getString("field")).isEqualTo("length");
  }

  @Test
  void shuttingDownAFrameworkKillsItsTasksWithoutWaitingForAcknowledgements() throws Exception {
    start();
    fixture.launch(shell("sleeper", "sleep 60"));
    awaitRunning("sleeper");
    fixture.master.autoAcknowledge.set(false);

    fixture.vertx.eventBus().send(Addresses.agentShutdownFramework(fixture.agent.agentId()),
        new FrameworkRef(FRAMEWORK));

    fixture.awaitState(TaskId.of("sleeper"), TaskState.TASK_KILLING);
    fixture.awaitState(TaskId.of("sleeper"), TaskState.TASK_KILLED);
    eventually("the task is completed without acknowledgements",
        () -> fixture.state().getJsonArray("completed_tasks").size() == 1);
    assertThat(fixture.state().getJsonArray("tasks")).isEmpty();
  }
}
