package orrery.agent.isolation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import orrery.agent.core.ContainerLimits;
import orrery.protocol.mesos.ContainerId;

/** cgroup v1: one hierarchy per controller ({@code memory}, {@code cpu}, and {@code pids} when limited). */
final class CgroupV1Isolator extends CgroupIsolator {

  private final Path memory;
  private final Path cpu;
  private final Path pids;

  private CgroupV1Isolator(Path memory, Path cpu, Path pids) {
    super(roots(memory, cpu, pids));
    this.memory = memory;
    this.cpu = cpu;
    this.pids = pids;
  }

  /** The isolator over the v1 hierarchies mounted at {@code mount}, or null when they are not there. */
  static CgroupV1Isolator at(Path mount, String agentRoot, boolean limitPids) throws IOException {
    Path memoryMount = mount.resolve("memory");
    Path cpuMount = mount.resolve("cpu");
    Path pidsMount = mount.resolve("pids");
    if (!Files.isRegularFile(memoryMount.resolve("cgroup.procs"))
        || !Files.isRegularFile(cpuMount.resolve("cpu.shares"))) {
      return null;
    }
    Path pids = limitPids && Files.isRegularFile(pidsMount.resolve("cgroup.procs"))
        ? Files.createDirectories(pidsMount.resolve(agentRoot)) : null;
    return new CgroupV1Isolator(Files.createDirectories(memoryMount.resolve(agentRoot)),
        Files.createDirectories(cpuMount.resolve(agentRoot)), pids);
  }

  private static List<Path> roots(Path memory, Path cpu, Path pids) {
    List<Path> roots = new ArrayList<>(List.of(memory, cpu));
    if (pids != null) {
      roots.add(pids);
    }
    return roots;
  }

  @Override
  public String name() {
    return "cgroups/v1";
  }

  @Override
  void writeLimits(ContainerId container, ContainerLimits limits) throws IOException {
    Path cpuGroup = cpu.resolve(container.value());
    write(cpuGroup.resolve("cpu.shares"), Long.toString(limits.cpuShares()));
    if (limits.cfsQuotaMicros() != null) {
      write(cpuGroup.resolve("cpu.cfs_period_us"), Long.toString(ContainerLimits.CFS_PERIOD_MICROS));
      write(cpuGroup.resolve("cpu.cfs_quota_us"), Long.toString(limits.cfsQuotaMicros()));
    }
    Path memoryGroup = memory.resolve(container.value());
    write(memoryGroup.resolve("memory.limit_in_bytes"), Long.toString(limits.memoryBytes()));
    Path withSwap = memoryGroup.resolve("memory.memsw.limit_in_bytes");
    if (Files.exists(withSwap)) {
      // Memory and swap together capped at the same amount: the task cannot swap its way past its limit.
      write(withSwap, Long.toString(limits.memoryBytes()));
    }
    if (pids != null && limits.pidsMax() != null) {
      write(pids.resolve(container.value()).resolve("pids.max"), Long.toString(limits.pidsMax()));
    }
  }

  @Override
  long oomKills(ContainerId container) throws IOException {
    return readKey(memory.resolve(container.value()).resolve("memory.oom_control"), "oom_kill");
  }

  @Override
  long peakMemory(ContainerId container) throws IOException {
    return readLong(memory.resolve(container.value()).resolve("memory.max_usage_in_bytes"));
  }

  @Override
  long memoryLimit(ContainerId container) throws IOException {
    return readLong(memory.resolve(container.value()).resolve("memory.limit_in_bytes"));
  }
}
