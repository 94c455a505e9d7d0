package orrery.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import orrery.agent.core.DockerRun;
import orrery.agent.docker.DockerEngine;
import orrery.protocol.bus.Addresses;
import orrery.protocol.mesos.CommandInfo;
import orrery.protocol.mesos.CommandInfo.Environment;
import orrery.protocol.mesos.KillPolicy;
import orrery.protocol.mesos.Resource;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskInfo;
import orrery.protocol.mesos.TaskState;
import orrery.protocol.mesos.TaskStatus;
import orrery.protocol.resources.Resources;
import orrery.protocol.messages.TaskMessages.KillTask;
import orrery.protocol.messages.TaskMessages.StatusUpdate;
import orrery.protocol.mesos.Durations.DurationInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DOCKER tasks on a real Docker engine, from the image bin/test-setup builds locally (no image can be pulled here).
 * Without an engine or the image, these tests are skipped, saying why; bin/test-setup provides both on a machine where
 * it may install packages.
 */
class DockerTasksTest {

  static final String IMAGE = "orrery-test-busybox:latest";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static DockerEngine engine;

  @TempDir
  Path workDir;
  private AgentFixture fixture;

  @BeforeAll
  static void findEngine() throws Exception {
    engine = DockerEngine.connect(null);
    assumeTrue(engine != null, "no Docker engine answers (run bin/test-setup, as root, to install and start one)");
    try {
      engine.client().inspectImageCmd(IMAGE).exec();
    } catch (RuntimeException e) {
      assumeTrue(false, "the test image " + IMAGE + " is missing (bin/test-setup builds it)");
    }
  }

  @AfterAll
  static void closeEngine() throws Exception {
    if (engine != null) {
      engine.close();
    }
  }

  @AfterEach
  void tearDown() {
    if (fixture != null) {
      fixture.close();
    }
  }

  private AgentFixture start() throws Exception {
    fixture = new AgentFixture(workDir).withMaster();
    fixture.deploy(fixture.config());
    return fixture;
  }

  static TaskInfo docker(String id, String command, double mem, String container) throws Exception {
    return TaskInfo.command(id, TaskId.of(id), FakeMaster.AGENT_ID,
        Resources.parse("cpus:0.2;mem:" + mem + ";ports:[31000-31009]").toList(),
        CommandInfo.shell(command)).withContainer(JSON.readTree(container));
  }

  static String image(String image) {
    return "{\"type\": \"DOCKER\", \"docker\": {\"image\": \"" + image + "\"}}";
  }

  private TaskStatus terminal(String id) throws Exception {
    List<StatusUpdate> updates = fixture.updatesUntilTerminal(TaskId.of(id));
    return updates.get(updates.size() - 1).status();
  }

  private void assertFailed(String id, TaskStatus.Reason reason, String messagePart) throws Exception {
    TaskStatus last = terminal(id);
    assertThat(last.state()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(last.reason()).isEqualTo(reason);
    assertThat(last.message()).contains(messagePart);
  }

  private String sandboxFile(String id, String file) throws Exception {
    return fixture.readFile(fixture.task(id).getString("directory") + "/" + file);
  }

  /** The containers this test's agent started (other agents on the machine share the agent id of the fake master). */
  private List<String> containersOfThisAgent() {
    String root = workDir.toAbsolutePath().toString();
    return engine.client().listContainersCmd().withShowAll(true)
        .withLabelFilter(java.util.Map.of(DockerRun.LABEL_AGENT_ID, fixture.agent.agentId().value())).exec()
        .stream().filter(c -> c.getLabels().get(DockerRun.LABEL_SANDBOX).startsWith(root))
        .map(c -> c.getId()).toList();
  }

  @Test
  void runsTheCommandInTheImageWithItsOutputInTheSandboxAndRemovesTheContainer() throws Exception {
    start();
    assertThat(fixture.state().getBoolean("docker")).isTrue();
    assertThat(fixture.state().getString("docker_version")).isNotBlank();
    fixture.launch(docker("hello", "echo hello; echo oops >&2; echo \"sandbox=$MESOS_SANDBOX pwd=$(pwd)\"", 32,
        image(IMAGE)));

    List<StatusUpdate> updates = fixture.updatesUntilTerminal(TaskId.of("hello"));

    assertThat(updates).extracting(u -> u.status().state())
        .containsExactly(TaskState.TASK_STARTING, TaskState.TASK_RUNNING, TaskState.TASK_FINISHED);
    assertThat(sandboxFile("hello", "stdout"))
        .isEqualTo("hello\nsandbox=/mnt/mesos/sandbox pwd=/mnt/mesos/sandbox\n");
    assertThat(sandboxFile("hello", "stderr")).isEqualTo("oops\n");
    AgentFixture.eventually("the container is removed", () -> containersOfThisAgent().isEmpty());
  }

  @Test
  void aNonzeroExitFailsTheTaskNamingTheStatus() throws Exception {
    start();
    fixture.launch(docker("fails", "exit 3", 32, image(IMAGE)));

    TaskStatus last = terminal("fails");

    assertThat(last.state()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(last.message()).isEqualTo("Command exited with status 3");
  }

  @Test
  void aContainerOverItsMemoryIsReportedAsAMemoryLimitation() throws Exception {
    start();
    // tail keeps everything it reads while it waits for a newline that never comes: 300 MB against a 32 MB limit.
    fixture.launch(docker("hog", "head -c 300000000 /dev/zero | tail > /dev/null", 32, image(IMAGE)));

    assertFailed("hog", TaskStatus.Reason.REASON_CONTAINER_LIMITATION_MEMORY, "32 MB limit");
  }

  @Test
  void aMissingImageFailsTheLaunchNamingTheImage() throws Exception {
    start();
    fixture.launch(docker("ghost", "true", 32, image("orrery-no-such-image:1")));

    assertFailed("ghost", TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED, "orrery-no-such-image:1");
  }

  @Test
  void aKilledTaskIsStoppedWithItsGracePeriodAndItsContainerRemoved() throws Exception {
    start();
    // The shell traps SIGTERM (PID 1 ignores it otherwise) and says so, which shows docker stop sent it.
    fixture.launch(docker("sleeper", "trap 'echo got TERM; exit 143' TERM; echo up; while true; do sleep 0.1; done",
        32, image(IMAGE)).withKillPolicy(new KillPolicy(new DurationInfo(5_000_000_000L))));
    fixture.awaitState(TaskId.of("sleeper"), TaskState.TASK_STARTING);
    fixture.awaitState(TaskId.of("sleeper"), TaskState.TASK_RUNNING);
    AgentFixture.eventually("the task runs", () -> sandboxFile("sleeper", "stdout").contains("up"));
    assertThat(containersOfThisAgent()).hasSize(1);

    fixture.vertx.eventBus().request(Addresses.agentKill(fixture.agent.agentId()),
        new KillTask(AgentFixture.FRAMEWORK, TaskId.of("sleeper"), fixture.agent.agentId(), null));

    fixture.awaitState(TaskId.of("sleeper"), TaskState.TASK_KILLING);
    StatusUpdate killed = fixture.awaitState(TaskId.of("sleeper"), TaskState.TASK_KILLED);
    assertThat(killed.status().message()).contains("SIGTERM");
    assertThat(sandboxFile("sleeper", "stdout")).contains("got TERM");
    AgentFixture.eventually("the container is removed", () -> containersOfThisAgent().isEmpty());
  }

  @Test
  void bridgeNetworkingPublishesAMappedPortOnTheHost() throws Exception {
    start();
    fixture.launch(docker("web", "echo -e 'HTTP/1.0 200 OK\\r\\n\\r\\nhi from the container' > index.html; "
        + "exec httpd -f -p 8080 -h .", 32, "{\"type\": \"DOCKER\", \"docker\": {\"image\": \"" + IMAGE + "\", "
        + "\"network\": \"BRIDGE\", \"port_mappings\": [{\"host_port\": 31005, \"container_port\": 8080}]}}"));
    fixture.awaitState(TaskId.of("web"), TaskState.TASK_STARTING);
    fixture.awaitState(TaskId.of("web"), TaskState.TASK_RUNNING);

    String get = "GET /index.html HTTP/1.0\r\n\r\n";
    AgentFixture.eventually("port 31005 answers", () -> exchange(31005, get).contains("200"));
    assertThat(exchange(31005, get)).contains("hi from the container");
  }

  @Test
  void hostNetworkingSharesTheAgentsNetworkAndEnvironmentAndVolumesAreVisible() throws Exception {
    start();
    Path data = Files.createDirectories(workDir.resolve("data"));
    Files.writeString(data.resolve("greeting"), "from a volume");
    TaskInfo task = TaskInfo.command("host", TaskId.of("host"), FakeMaster.AGENT_ID,
        List.of(Resource.scalar("cpus", 0.2), Resource.scalar("mem", 32)),
        new CommandInfo(null, new Environment(List.of(Environment.Variable.of("GREETING", "hi"))), true,
            "echo $GREETING; cat /data/greeting; echo; touch /data/ro 2>/dev/null || echo read-only; "
                + "exec nc -l -p 31099 -e echo from the host network", null, null))
        .withContainer(JSON.readTree("{\"type\": \"DOCKER\", \"docker\": {\"image\": \"" + IMAGE + "\", "
            + "\"network\": \"HOST\"}, \"volumes\": [{\"container_path\": \"/data\", \"host_path\": \"" + data
            + "\", \"mode\": \"RO\"}]}"));
    fixture.launch(task);
    fixture.awaitState(TaskId.of("host"), TaskState.TASK_STARTING);
    fixture.awaitState(TaskId.of("host"), TaskState.TASK_RUNNING);

    AgentFixture.eventually("the container listens on the host's 31099", () -> exchange(31099, "").contains("from"));
    assertThat(terminal("host").state()).isEqualTo(TaskState.TASK_FINISHED);
    assertThat(sandboxFile("host", "stdout")).isEqualTo("hi\nfrom a volume\nread-only\n");
  }

  @Test
  void anAgentWithoutDockerRefusesDockerTasks() throws Exception {
    fixture = new AgentFixture(workDir).withMaster();
    fixture.deploy(fixture.config().withDockerHost("unix:///nonexistent/docker.sock"));
    assertThat(fixture.state().getBoolean("docker")).isFalse();
    fixture.launch(docker("nodocker", "true", 32, image(IMAGE)));

    assertFailed("nodocker", TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED, "Docker is not available on this agent");
  }

  @Test
  void hostPortsOutsideTheTasksPortsAreRefused() throws Exception {
    start();
    fixture.launch(docker("greedy", "true", 32, "{\"type\": \"DOCKER\", \"docker\": {\"image\": \"" + IMAGE
        + "\", \"network\": \"BRIDGE\", \"port_mappings\": [{\"host_port\": 80, \"container_port\": 80}]}}"));

    assertFailed("greedy", TaskStatus.Reason.REASON_TASK_INVALID, "container.docker.port_mappings[0].host_port 80");
  }

  /** Sends {@code request} to the port on this host and returns all it answers; "" while nothing listens. */
  private static String exchange(int port, String request) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      return "";
    }
  }
}
