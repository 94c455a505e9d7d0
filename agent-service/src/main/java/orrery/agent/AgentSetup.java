package orrery.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
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
    Isolator isolator, DockerEngine docker) {

  /** Blocking (creates directories, looks at the machine): call it from a worker thread. */
  static AgentSetup prepare(AgentConfig config) throws IOException {
    Path workDir = Files.createDirectories(config.workDir()).toRealPath();
    SandboxLayout sandboxes = new SandboxLayout(workDir);
    Path root = Files.createDirectories(sandboxes.sandboxesRoot());
    Resources total = ResourceDetection.resolve(config.resources(), MachineProbe.probe(workDir));
    IsolationOptions isolation = config.isolation();
    Isolator isolator = Isolators.create(isolation.mode(), isolation.cgroupMount(), workDir,
        isolation.pidsMax() != null);
    // No container outlives its agent yet (recovery comes later): whatever cgroups are left were a crash's.
    isolator.destroyOrphans(Set.of());
    // Containers of this agent's tasks that a crash left behind (labelled with its sandboxes) are kept for now:
    // re-attaching or removing them is the agent recovery's work.
    DockerEngine docker = DockerEngine.connect(config.dockerHost());
    return new AgentSetup(sandboxes, root, total, Attributes.parse(config.attributes()), isolator, docker);
  }
}
