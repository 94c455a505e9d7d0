package orrery.agent.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.CommandInfo;
import orrery.protocol.mesos.CommandInfo.Environment;
import orrery.protocol.mesos.ContainerId;
import orrery.protocol.mesos.ContainerInfo;
import orrery.protocol.mesos.ContainerInfo.PortMapping;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskInfo;
import orrery.protocol.mesos.TaskState;
import orrery.protocol.mesos.TaskStatus;
import orrery.protocol.mesos.TaskStatus.Reason;
import orrery.protocol.messages.TaskMessages.LaunchTasks;
import orrery.protocol.resources.Resources;
import org.junit.jupiter.api.Test;

class DockerRunTest {

  private static final AgentId AGENT = AgentId.of("agent-1");
  private static final FrameworkId FRAMEWORK = FrameworkId.of("fw-1");
  private static final TaskKey KEY = new TaskKey(FRAMEWORK, TaskId.of("web"));
  private static final Path SANDBOX = Path.of("/work/agents/agent-1/frameworks/fw-1/executors/web/runs/c1");
  private static final Resources RESOURCES = Resources.parse("cpus:0.5;mem:64;ports:[31000-31009]");
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ContainerInfo container(String json) throws Exception {
    return ContainerInfo.fromJson(JSON.readTree(json));
  }

  private static TaskInfo task(CommandInfo command) {
    return TaskInfo.command("web", KEY.taskId(), AGENT, RESOURCES.toList(), command);
  }

  private static DockerRun run(CommandInfo command, ContainerInfo container) {
    LaunchSpec spec = LaunchSpec.of(AGENT, KEY, task(command), ContainerId.of("c1"), SANDBOX);
    return DockerRun.of(AGENT, KEY, command, container, spec);
  }

  @Test
  void translatesTheTaskIntoWhatDockerCreateGets() throws Exception {
    CommandInfo command = new CommandInfo(null, new Environment(List.of(Environment.Variable.of("GREETING", "hi"))),
        true, "httpd -f", null, null);
    DockerRun run = run(command, container("{\"type\": \"DOCKER\", \"docker\": {\"image\": \"busybox:1\", "
        + "\"network\": \"BRIDGE\", \"port_mappings\": [{\"host_port\": 31000, \"container_port\": 80}]}, "
        + "\"volumes\": [{\"container_path\": \"/data\", \"host_path\": \"/srv/data\", \"mode\": \"RO\"}, "
        + "{\"container_path\": \"cache\", \"host_path\": \"cache\", \"mode\": \"RW\"}]}"));

    assertThat(run.name()).isEqualTo("orrery-c1");
    assertThat(run.image()).isEqualTo("busybox:1");
    assertThat(run.forcePullImage()).isFalse();
    assertThat(run.entrypoint()).containsExactly("/bin/sh");
    assertThat(run.cmd()).containsExactly("-c", "httpd -f");
    // 0.5 cpus = 500,000,000 nano cpus; 64 MB = 67108864 bytes, swap included.
    assertThat(run.nanoCpus()).isEqualTo(500_000_000L);
    assertThat(run.memoryBytes()).isEqualTo(67_108_864L);
    assertThat(run.networkMode()).isEqualTo("bridge");
    assertThat(run.portMappings()).containsExactly(new PortMapping(31000, 80, "tcp"));
    assertThat(run.binds()).containsExactly(SANDBOX + ":/mnt/mesos/sandbox", "/srv/data:/data:ro",
        SANDBOX + "/cache:/mnt/mesos/sandbox/cache");
    assertThat(run.environment()).containsEntry("MESOS_SANDBOX", "/mnt/mesos/sandbox")
        .containsEntry("MESOS_DIRECTORY", SANDBOX.toString()).containsEntry("MESOS_TASK_ID", "web")
        .containsEntry("GREETING", "hi");
    assertThat(run.labels()).isEqualTo(Map.of(DockerRun.LABEL_AGENT_ID, "agent-1", DockerRun.LABEL_FRAMEWORK_ID,
        "fw-1", DockerRun.LABEL_TASK_ID, "web", DockerRun.LABEL_CONTAINER_ID, "c1", DockerRun.LABEL_SANDBOX,
        SANDBOX.toString()));
  }

  @Test
  void withoutAShellTheImagesEntrypointGetsTheValueAndEveryArgument() throws Exception {
    ContainerInfo host = container("{\"type\": \"DOCKER\", \"docker\": {\"image\": \"x\", "
        + "\"force_pull_image\": true}}");
    DockerRun run = run(new CommandInfo(null, null, false, null, List.of("--port", "80"), null), host);

    assertThat(run.entrypoint()).isNull();
    assertThat(run.cmd()).containsExactly("--port", "80");
    assertThat(run.networkMode()).isEqualTo("host");
    assertThat(run.forcePullImage()).isTrue();
    assertThat(run(new CommandInfo(null, null, false, "serve", List.of("-v"), null), host).cmd())
        .containsExactly("serve", "-v");
  }

  @Test
  void refusesWhatCannotRunHereNamingTheField() throws Exception {
    ContainerInfo outside = container("{\"type\": \"DOCKER\", \"docker\": {\"image\": \"x\", \"network\": \"BRIDGE\","
        + " \"port_mappings\": [{\"host_port\": 31000, \"container_port\": 80}, {\"host_port\": 8080,"
        + " \"container_port\": 81}]}}");
    assertThat(DockerRun.refusal(outside, RESOURCES, true)).isEqualTo(new DockerRun.Refusal(
        Reason.REASON_TASK_INVALID, "container.docker.port_mappings[1].host_port 8080 is not among the task's ports "
            + "resources [31000-31009]"));
    assertThat(DockerRun.refusal(outside, RESOURCES, false).reason()).isEqualTo(Reason.REASON_CONTAINER_LAUNCH_FAILED);
    assertThat(DockerRun.refusal(container("{\"type\": \"DOCKER\", \"docker\": {\"image\": \"x\"}, \"volumes\": "
        + "[{\"container_path\": \"/d\", \"host_path\": \"../../etc\", \"mode\": \"RW\"}]}"), RESOURCES, true)
        .message()).startsWith("container.volumes[0].host_path '../../etc' leaves the task's sandbox");
    assertThat(DockerRun.refusal(container("{\"type\": \"MESOS\"}"), RESOURCES, false)).isNull();
    assertThat(DockerRun.refusal(null, RESOURCES, false)).isNull();
  }

  @Test
  void theCoreStartsADockerContainerOrRefusesAMalformedOne() throws Exception {
    AgentCore core = new AgentCore(AGENT, new SandboxLayout(Path.of("/work")), new RetryPolicy(2_000, 60_000),
        new TestIds(), 2, true);
    TaskInfo docker = task(CommandInfo.shell("echo hi")).withContainer(JSON.readTree(
        "{\"type\": \"DOCKER\", \"docker\": {\"image\": \"busybox\"}}"));
    TaskInfo malformed = TaskInfo.command("bad", TaskId.of("bad"), AGENT, RESOURCES.toList(),
        CommandInfo.shell("true")).withContainer(JSON.readTree("{\"type\": \"DOCKER\", \"docker\": {}}"));

    List<Effect> effects = core.launch(new LaunchTasks(FRAMEWORK, AGENT, List.of(docker, malformed)), 1_000);

    assertThat(effects).hasSize(3);
    assertThat(effects.get(1)).isInstanceOfSatisfying(Effect.StartContainer.class, start -> {
      assertThat(start.task()).isEqualTo(KEY);
      assertThat(start.run().image()).isEqualTo("busybox");
      assertThat(start.run().name()).isEqualTo("orrery-c1");
      assertThat(start.spec().directory()).isEqualTo(SANDBOX);
    });
    TaskStatus refused = ((Effect.SendStatusUpdate) effects.get(2)).update().status();
    assertThat(refused.state()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(refused.reason()).isEqualTo(Reason.REASON_TASK_INVALID);
    assertThat(refused.message()).isEqualTo("'container.docker.image' is required");
  }
}
