package orrery.agent.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.CommandInfo;
import orrery.protocol.mesos.CommandInfo.Environment;
import orrery.protocol.mesos.CommandInfo.Environment.Variable;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskInfo;
import org.junit.jupiter.api.Test;

class LaunchSpecTest {

  private static final AgentId AGENT = AgentId.of("a");
  private static final TaskKey KEY = new TaskKey(FrameworkId.of("f"), TaskId.of("t"));
  private static final Path SANDBOX = Path.of("/sandbox");
  private static final orrery.protocol.mesos.ContainerId CONTAINER = orrery.protocol.mesos.ContainerId.of("c1");

  private static TaskInfo task(CommandInfo command) {
    return TaskInfo.command("t", TaskId.of("t"), AGENT, List.of(), command);
  }

  @Test
  void withoutAShellValueIsTheExecutableAndArgumentsTheWholeArgv() {
    CommandInfo command = new CommandInfo(null, null, false, "/usr/bin/printf", List.of("printf", "%s-%s", "a b",
        "c"), null);
    assertThat(LaunchSpec.of(AGENT, KEY, task(command), CONTAINER, SANDBOX).command())
        .containsExactly("/usr/bin/printf", "%s-%s", "a b", "c");

    CommandInfo bare = new CommandInfo(null, null, false, "/bin/true", null, null);
    assertThat(LaunchSpec.of(AGENT, KEY, task(bare), CONTAINER, SANDBOX).command()).containsExactly("/bin/true");
  }

  @Test
  void aShellCommandRunsUnderBinSh() {
    assertThat(LaunchSpec.of(AGENT, KEY, task(CommandInfo.shell("echo $HOME")), CONTAINER, SANDBOX).command())
        .containsExactly("/bin/sh", "-c", "echo $HOME");
  }

  @Test
  void theTasksVariablesComeAfterAndOverTheAgentsOwn() {
    CommandInfo command = new CommandInfo(null, new Environment(List.of(Variable.of("GREETING", "hi"),
        Variable.of("MESOS_TASK_ID", "mine"))), null, "env", null, null);
    assertThat(LaunchSpec.of(AGENT, KEY, task(command), CONTAINER, SANDBOX).environment())
        .containsEntry("GREETING", "hi").containsEntry("MESOS_TASK_ID", "mine")
        .containsEntry("MESOS_SANDBOX", "/sandbox").containsEntry("MESOS_FRAMEWORK_ID", "f");
  }

  @Test
  void namesWhatItCannotRun() {
    assertThat(LaunchSpec.unsupportedReason(task(CommandInfo.shell("true")))).isNull();
    assertThat(LaunchSpec.unsupportedReason(task(new CommandInfo(null, null, true, " ", null, null))))
        .contains("command.value is required");
    assertThat(LaunchSpec.unsupportedReason(task(new CommandInfo(List.of(new CommandInfo.Uri("http://x/y", null,
        null, null, null)), null, true, "true", null, null)))).contains("command.uris");
    assertThat(LaunchSpec.unsupportedReason(task(new CommandInfo(null, new Environment(List.of(
        new Variable("S", Variable.Type.SECRET, null, null))), true, "true", null, null))))
        .contains("variables[0] (S): secrets are not supported");
    assertThat(LaunchSpec.unsupportedReason(task(new CommandInfo(null, new Environment(List.of(
        new Variable("V", null, null, null))), true, "true", null, null)))).contains("(V) has no value");
  }
}
