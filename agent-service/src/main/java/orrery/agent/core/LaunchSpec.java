package orrery.agent.core;

import java.nio.file.Path;
import orrery.protocol.mesos.ContainerId;
import orrery.protocol.resources.Resources;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.CommandInfo;
import orrery.protocol.mesos.CommandInfo.Environment.Variable;
import orrery.protocol.mesos.TaskInfo;

/**
 * A command task translated into what a process needs: its argv, the variables added to the agent's environment,
 * its sandbox (also its working directory, holding its {@code stdout} and {@code stderr}), and the container it runs
 * in with the resources that container is limited to.
 */
public record LaunchSpec(List<String> command, Map<String, String> environment, Path directory,
    ContainerId containerId, Resources resources) {

  public LaunchSpec {
    command = List.copyOf(command);
    environment = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(environment));
  }

  /**
   * Why this agent cannot run the task, or null when it can. Only command tasks run here so far: no custom
   * executors, no URIs to fetch, no secrets. Its {@code container} is checked apart ({@link DockerRun#refusal}).
   */
  public static String unsupportedReason(TaskInfo task) {
    if (task.executor() != null) {
      return "custom executors (TaskInfo.executor) are not supported yet; send a command task";
    }
    CommandInfo command = task.command();
    if (command == null) {
      return "the task has no command (TaskInfo.command); custom executors are not supported";
    }
    // A Docker image may bring its own entrypoint, so there a command without a shell needs no value.
    boolean imageEntrypoint = !command.isShell() && task.container() != null
        && "DOCKER".equals(task.container().path("type").asText());
    if (!imageEntrypoint && (command.value() == null || command.value().isBlank())) {
      return "command.value is required: the shell command, or the executable when shell is false";
    }
    if (!command.uris().isEmpty()) {
      return "command.uris is not supported yet: this agent does not fetch files into the sandbox";
    }
    List<Variable> variables = command.environment() == null ? List.of() : command.environment().variables();
    for (int i = 0; i < variables.size(); i++) {
      Variable variable = variables.get(i);
      if (variable.type() == Variable.Type.SECRET || variable.secret() != null) {
        return "command.environment.variables[" + i + "] (" + variable.name() + "): secrets are not supported";
      }
      if (variable.value() == null) {
        return "command.environment.variables[" + i + "] (" + variable.name() + ") has no value";
      }
    }
    return null;
  }

  /** The spec of a task that {@link #unsupportedReason} accepts. */
  public static LaunchSpec of(AgentId agentId, TaskKey key, TaskInfo task, ContainerId containerId,
      Path directory) {
    CommandInfo command = task.command();
    List<String> argv = new ArrayList<>();
    if (command.isShell()) {
      argv.addAll(List.of("/bin/sh", "-c", command.value()));
    } else if (command.value() != null) {
      // As in Mesos, value is the executable and arguments the whole argv, argv[0] included.
      argv.add(command.value());
      List<String> arguments = command.arguments();
      argv.addAll(arguments.subList(Math.min(1, arguments.size()), arguments.size()));
    }
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("MESOS_SANDBOX", directory.toString());
    environment.put("MESOS_DIRECTORY", directory.toString());
    environment.put("MESOS_TASK_ID", key.taskId().value());
    environment.put("MESOS_EXECUTOR_ID", key.taskId().value());
    environment.put("MESOS_FRAMEWORK_ID", key.frameworkId().value());
    environment.put("MESOS_AGENT_ID", agentId.value());
    if (command.environment() != null) {
      // The task's own variables come last, so that they win.
      command.environment().variables().forEach(v -> environment.put(v.name(), v.value()));
    }
    return new LaunchSpec(argv, environment, directory, containerId, Resources.of(task.resources()));
  }
}
