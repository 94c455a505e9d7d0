package orrery.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import orrery.agent.core.TaskCheckpoint;
import orrery.protocol.mesos.ContainerId;
import orrery.agent.isolation.IsolationOptions;
import orrery.agent.isolation.Isolator;
import orrery.agent.isolation.Isolators;
import java.util.List;
import orrery.agent.core.ResourceDetection;
import orrery.agent.core.SandboxLayout;
import orrery.agent.docker.DockerEngine;
import orrery.protocol.mesos.Attribute;
import orrery.protocol.resources.Attributes;
import orrery.protocol.resources.Resources;

/**
 * What the agent settles before it registers: where sandboxes go, what it offers, what it says about itself.
 *
 * @param sandboxes rooted at the real path of the work dir, so that the paths shown in {@code /state} are the
 *     ones {@code /files} accepts
 * @param docker the Docker engine that answered, or null: then the agent offers no Docker
 */
record AgentSetup(SandboxLayout sandboxes, Path sandboxesRoot, Resources total, List<Attribute> attributes,
    Isolator isolator, DockerEngine docker, Checkpoints checkpoints, Checkpoints.AgentCheckpoint recoveredAgent,
    List<TaskCheckpoint> recoveredTasks) {

  /**
   * Blocking (creates directories, looks at the machine, reads checkpoints): call it from a worker thread. An agent
   * that finds its own checkpoint (it crashed) recovers: same id, same tasks, unless its resources shrank.
   */
  static AgentSetup prepare(AgentConfig config) throws IOException {
    Path workDir = Files.createDirectories(config.workDir()).toRealPath();
    SandboxLayout sandboxes = new SandboxLayout(workDir);
    Path root = Files.createDirectories(sandboxes.sandboxesRoot());
    Resources total = ResourceDetection.resolve(config.resources(), MachineProbe.probe(workDir));
    Checkpoints checkpoints = new Checkpoints(workDir);
    Checkpoints.AgentCheckpoint agent = checkpoints.readAgent();
    if (agent != null && !total.contains(agent.total())) {
      // Tasks running here were given resources the agent would no longer have: they cannot be honoured.
      throw new IOException("refusing to recover agent " + agent.info().id().value() + " from " + workDir
          + ": its resources changed from " + agent.total() + " to " + total + ", which takes away "
          + total.shortfall(agent.total()) + "; only additions are allowed on recovery (start with another "
          + "--work-dir, or remove " + workDir.resolve("meta") + " to start as a new agent)");
    }
    List<TaskCheckpoint> tasks = agent == null ? List.of() : checkpoints.readTasks();
    IsolationOptions isolation = config.isolation();
    Isolator isolator = Isolators.create(isolation.mode(), isolation.cgroupMount(), workDir,
        isolation.pidsMax() != null);
    // Containers of tasks whose process may still run are kept; whatever else is left was a crash's.
    Set<ContainerId> keep = new HashSet<>();
    for (TaskCheckpoint task : tasks) {
      if (task.pid() != null && task.containerId() != null) {
        keep.add(task.containerId());
      }
    }
    isolator.destroyOrphans(keep);
    // Docker containers a crash left behind (labelled with this agent's sandboxes) are not recovered yet.
    DockerEngine docker = DockerEngine.connect(config.dockerHost());
    return new AgentSetup(sandboxes, root, total, Attributes.parse(config.attributes()), isolator, docker, checkpoints,
        agent, tasks);
  }
}
