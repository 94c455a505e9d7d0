package orrery.agent.core;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.CommandInfo;
import orrery.protocol.mesos.ContainerInfo;
import orrery.protocol.mesos.ContainerInfo.Network;
import orrery.protocol.mesos.ContainerInfo.PortMapping;
import orrery.protocol.mesos.ContainerInfo.Volume;
import orrery.protocol.mesos.TaskStatus;
import orrery.protocol.resources.Resources;

/**
 * What {@code docker create} gets for a task with a DOCKER container, worked out the way Mesos' Docker containerizer
 * does. Pure: the agent's Docker code only passes these values to the Engine API.
 *
 * @param name {@code orrery-<container id>}, so that one agent's containers are told apart from anything else
 * @param entrypoint overrides the image's entrypoint ({@code /bin/sh} for a shell command), or null to keep it
 * @param cmd the arguments after the entrypoint; empty keeps the image's
 * @param environment the Mesos variables (MESOS_SANDBOX is the sandbox inside the container) and the task's
 * @param labels the agent, framework, task and container ids and the sandbox, so that a restarted agent can find
 *     the containers it started
 * @param binds {@code host:container[:ro]}, the sandbox first
 * @param networkMode {@code host}, {@code bridge}, {@code none} or a user network's name
 * @param nanoCpus Docker's {@code --cpus} in billionths of a cpu, 0 for no cap
 * @param memoryBytes {@code --memory}, also the limit of memory and swap together
 */
public record DockerRun(String name, String image, boolean forcePullImage, List<String> entrypoint, List<String> cmd,
    Map<String, String> environment, Map<String, String> labels, List<String> binds, String networkMode,
    List<PortMapping> portMappings, boolean privileged, String hostname, long nanoCpus, long memoryBytes) {

  /** Where the sandbox is mounted in the container, as in Mesos. */
  public static final String SANDBOX_PATH = "/mnt/mesos/sandbox";
  /** A task's container is named by this and its container id, so that a restarted agent can find it again. */
  public static final String NAME_PREFIX = "orrery-";
  public static final String LABEL_AGENT_ID = "orrery.agent_id";
  public static final String LABEL_FRAMEWORK_ID = "orrery.framework_id";
  public static final String LABEL_TASK_ID = "orrery.task_id";
  public static final String LABEL_CONTAINER_ID = "orrery.container_id";
  public static final String LABEL_SANDBOX = "orrery.sandbox";
  /** Docker's smallest {@code --cpus}: 0.01. */
  static final long MIN_NANO_CPUS = 10_000_000;

  public DockerRun {
    entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
    cmd = List.copyOf(cmd);
    environment = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(environment));
    labels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    binds = List.copyOf(binds);
    portMappings = List.copyOf(portMappings);
  }

  /** A refusal of a task at launch: its reason and a message naming the field. */
  public record Refusal(TaskStatus.Reason reason, String message) {}

  /**
   * Why the task's container cannot run here, or null when it can: a DOCKER container needs an engine, host ports
   * among the task's {@code ports}, and volumes that do not leave the sandbox; a MESOS container is only the plain
   * command (no volumes yet).
   */
  public static Refusal refusal(ContainerInfo container, Resources resources, boolean dockerAvailable) {
    if (container == null) {
      return null;
    }
    if (container.type() == ContainerInfo.Type.MESOS) {
      return container.volumes().isEmpty() ? null : launchFailed("container.volumes of a MESOS container are not "
          + "supported yet; use type DOCKER for volumes");
    }
    if (!dockerAvailable) {
      return launchFailed("container.type DOCKER: Docker is not available on this agent (no Docker engine "
          + "answered when it started)");
    }
    if (!container.docker().parameters().isEmpty()) {
      return launchFailed("container.docker.parameters are not supported; use the typed fields of DockerInfo");
    }
    List<PortMapping> mappings = container.docker().portMappings();
    for (int i = 0; i < mappings.size(); i++) {
      long hostPort = mappings.get(i).hostPort();
      if (!resources.ranges(Resources.PORTS).contains(hostPort)) {
        return invalid("container.docker.port_mappings[" + i + "].host_port " + hostPort
            + " is not among the task's ports resources " + resources.ranges(Resources.PORTS));
      }
    }
    for (int i = 0; i < container.volumes().size(); i++) {
      String hostPath = container.volumes().get(i).hostPath();
      // A relative host path lies in the sandbox (as in Mesos) and must stay there.
      if (!hostPath.startsWith("/") && !Path.of("sandbox").resolve(hostPath).normalize().startsWith("sandbox")) {
        return invalid("container.volumes[" + i + "].host_path '" + hostPath + "' leaves the task's sandbox");
      }
    }
    return null;
  }

  /** The run of a task whose container {@link #refusal} accepted, with the spec its command would have as a process. */
  public static DockerRun of(AgentId agentId, TaskKey key, CommandInfo command, ContainerInfo container,
      LaunchSpec spec) {
    ContainerInfo.Docker docker = container.docker();
    List<String> entrypoint = null;
    List<String> cmd = new ArrayList<>();
    if (command.isShell()) {
      // As Mesos does: a shell command runs in the image's /bin/sh, whatever entrypoint the image names.
      entrypoint = List.of("/bin/sh");
      cmd.addAll(List.of("-c", command.value()));
    } else {
      // Without a shell, value and arguments follow the image's entrypoint (Mesos passes every argument).
      if (command.value() != null && !command.value().isEmpty()) {
        cmd.add(command.value());
      }
      cmd.addAll(command.arguments());
    }
    Map<String, String> environment = new LinkedHashMap<>(spec.environment());
    if (environment.get("MESOS_SANDBOX").equals(spec.directory().toString())) {
      environment.put("MESOS_SANDBOX", SANDBOX_PATH); // MESOS_DIRECTORY stays the path on the agent, as in Mesos
    }
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(LABEL_AGENT_ID, agentId.value());
    labels.put(LABEL_FRAMEWORK_ID, key.frameworkId().value());
    labels.put(LABEL_TASK_ID, key.taskId().value());
    labels.put(LABEL_CONTAINER_ID, spec.containerId().value());
    labels.put(LABEL_SANDBOX, spec.directory().toString());
    List<String> binds = new ArrayList<>();
    binds.add(spec.directory() + ":" + SANDBOX_PATH);
    for (Volume volume : container.volumes()) {
      String host = spec.directory().resolve(volume.hostPath()).normalize().toString();
      String inside = volume.containerPath().startsWith("/") ? volume.containerPath()
          : SANDBOX_PATH + "/" + volume.containerPath();
      binds.add(host + ":" + inside + (volume.mode() == ContainerInfo.Mode.RO ? ":ro" : ""));
    }
    String network = switch (docker.network()) {
      case HOST -> "host";
      case BRIDGE -> "bridge";
      case NONE -> "none";
      case USER -> container.networkNames().get(0);
    };
    double cpus = spec.resources().scalar(Resources.CPUS);
    long nanoCpus = cpus <= 0 ? 0 : Math.max(MIN_NANO_CPUS, Math.round(cpus * 1e9));
    long memory = ContainerLimits.of(spec.resources(), false, null).memoryBytes();
    return new DockerRun(NAME_PREFIX + spec.containerId().value(), docker.image(), docker.forcePullImage(), entrypoint,
        cmd, environment, labels, binds, network, docker.network() == Network.HOST ? List.of() : docker.portMappings(),
        docker.privileged(), container.hostname(), nanoCpus, memory);
  }

  private static Refusal launchFailed(String message) {
    return new Refusal(TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED, message);
  }

  private static Refusal invalid(String message) {
    return new Refusal(TaskStatus.Reason.REASON_TASK_INVALID, message);
  }
}
