package orrery.agent.core;

import java.nio.file.Path;
import java.util.Objects;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.ContainerId;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.TaskId;

/**
 * Where task sandboxes live, in Mesos' layout:
 * {@code <workDir>/agents/<agentId>/frameworks/<frameworkId>/executors/<taskId>/runs/<containerId>}. A command
 * task's executor id is its task id.
 */
public final class SandboxLayout {

  private final Path workDir;

  public SandboxLayout(Path workDir) {
    this.workDir = Objects.requireNonNull(workDir, "workDir");
  }

  /** Every sandbox of every agent that used this work dir lies below this directory. */
  public Path sandboxesRoot() {
    return workDir.resolve("agents");
  }

  public Path directory(AgentId agentId, FrameworkId frameworkId, TaskId taskId, ContainerId containerId) {
    return sandboxesRoot().resolve(agentId.value()).resolve("frameworks").resolve(frameworkId.value())
        .resolve("executors").resolve(taskId.value()).resolve("runs").resolve(containerId.value());
  }

  /**
   * Why an id cannot name a directory (it would leave its place in the layout), or null when it can. The rules are
   * Mesos' id validation: not empty, no '/', no NUL, not "." or "..".
   */
  public static String unsafeIdReason(String what, String id) {
    if (id.isEmpty() || id.equals(".") || id.equals("..")) {
      return what + " '" + id + "' cannot name a sandbox directory";
    }
    if (id.indexOf('/') >= 0 || id.indexOf('\0') >= 0) {
      return what + " '" + id.replace("\0", "\\0") + "' must not contain '/' or NUL characters";
    }
    return null;
  }
}
