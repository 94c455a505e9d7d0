package orrery.agent.isolation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import orrery.agent.core.ContainerLimits;
import orrery.protocol.mesos.ContainerId;

/** cgroup v2: one unified hierarchy, whose {@code cpu}, {@code memory} and {@code pids} controllers are delegated down. */
final class CgroupV2Isolator extends CgroupIsolator {

  private static final List<String> CONTROLLERS = List.of("cpu", "memory", "pids");

  private final Path root;

  private CgroupV2Isolator(Path root) {
    super(List.of(root));
    this.root = root;
  }

  /**
   * The isolator over the unified hierarchy at {@code unified}, or null when it is not there or lacks the
   * {@code cpu} or {@code memory} controller.
   */
  static CgroupV2Isolator at(Path unified, String agentRoot) throws IOException {
    Path controllersFile = unified.resolve("cgroup.controllers");
    if (!Files.isRegularFile(controllersFile)) {
      return null;
    }
    Set<String> available = Set.of(Files.readString(controllersFile, StandardCharsets.US_ASCII).strip().split("\\s+"));
    if (!available.contains("cpu") || !available.contains("memory")) {
      return null;
    }
    // Every cgroup from the mount down to the agent's root hands the controllers on to its children.
    Path current = unified;
    for (Path segment : Path.of(agentRoot)) {
      enableControllers(current, available);
      current = Files.createDirectories(current.resolve(segment.toString()));
    }
    enableControllers(current, available);
    return new CgroupV2Isolator(current);
  }

  private static void enableControllers(Path cgroup, Set<String> available) throws IOException {
    StringBuilder enable = new StringBuilder();
    for (String controller : CONTROLLERS) {
      if (available.contains(controller)) {
        enable.append(enable.length() == 0 ? "" : " ").append('+').append(controller);
      }
    }
    write(cgroup.resolve("cgroup.subtree_control"), enable.toString());
  }

  @Override
  public String name() {
    return "cgroups/v2";
  }

  @Override
  void writeLimits(ContainerId container, ContainerLimits limits) throws IOException {
    Path group = root.resolve(container.value());
    write(group.resolve("cpu.weight"), Long.toString(limits.cpuWeight()));
    write(group.resolve("cpu.max"), limits.cpuMax());
    write(group.resolve("memory.max"), Long.toString(limits.memoryBytes()));
    Path swap = group.resolve("memory.swap.max");
    if (Files.exists(swap)) {
      write(swap, "0"); // as v1's memsw limit: no swapping past the limit
    }
    Path pids = group.resolve("pids.max");
    if (limits.pidsMax() != null && Files.exists(pids)) {
      write(pids, Long.toString(limits.pidsMax()));
    }
  }

  @Override
  long oomKills(ContainerId container) throws IOException {
    return readKey(root.resolve(container.value()).resolve("memory.events"), "oom_kill");
  }

  @Override
  long peakMemory(ContainerId container) throws IOException {
    Path group = root.resolve(container.value());
    Path peak = group.resolve("memory.peak"); // kernels from 5.19 keep it
    return readLong(Files.exists(peak) ? peak : group.resolve("memory.current"));
  }

  @Override
  long memoryLimit(ContainerId container) throws IOException {
    return readLong(root.resolve(container.value()).resolve("memory.max"));
  }
}
