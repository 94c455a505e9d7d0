package orrery.agent.core;

import orrery.protocol.resources.Resources;

/**
 * What a container may use, worked out from its task's resources the way Mesos' cgroups isolators do, in the units
 * both cgroup layouts take. Pure: the isolators only write these numbers.
 *
 * @param cpuShares cgroup v1 {@code cpu.shares}: 1024 per cpu, at least 2 (the kernel's minimum)
 * @param cfsQuotaMicros the hard CPU cap per {@link #CFS_PERIOD_MICROS}, or null when quotas are off
 * @param memoryBytes the memory limit: the task's {@code mem} in MB, at least {@link #MIN_MEMORY_BYTES}
 * @param pidsMax the most processes and threads, or null for no limit
 */
public record ContainerLimits(long cpuShares, Long cfsQuotaMicros, long memoryBytes, Long pidsMax) {

  /** The CFS period Mesos uses: 100 ms. */
  public static final long CFS_PERIOD_MICROS = 100_000;
  /** The kernel's smallest CFS quota. */
  public static final long MIN_CFS_QUOTA_MICROS = 1_000;
  /** Mesos' floor for a container's memory limit: 32 MB. */
  public static final long MIN_MEMORY_BYTES = 32L << 20;
  private static final long SHARES_PER_CPU = 1024;
  private static final long MIN_SHARES = 2;

  /**
   * The limits of a task holding {@code resources}.
   *
   * @param cfsQuota whether to cap CPU time hard at the task's {@code cpus} (Mesos' {@code --cgroups_enable_cfs})
   * @param pidsMax the agent's per-container process limit, or null
   */
  public static ContainerLimits of(Resources resources, boolean cfsQuota, Long pidsMax) {
    double cpus = resources.scalar(Resources.CPUS);
    long shares = Math.max(MIN_SHARES, Math.round(cpus * SHARES_PER_CPU));
    Long quota = cfsQuota ? Math.max(MIN_CFS_QUOTA_MICROS, Math.round(cpus * CFS_PERIOD_MICROS)) : null;
    long memory = Math.max(MIN_MEMORY_BYTES, Math.round(resources.scalar(Resources.MEM) * (1 << 20)));
    return new ContainerLimits(shares, quota, memory, pidsMax);
  }

  /**
   * cgroup v2 {@code cpu.weight} (1 to 10000) for the same shares, by the conversion runc and systemd use, which maps
   * the v1 range 2..262144 linearly onto it (1024 shares, one cpu, is weight 39).
   */
  public long cpuWeight() {
    long shares = Math.min(262_144, Math.max(MIN_SHARES, cpuShares));
    return 1 + ((shares - 2) * 9_999) / 262_142;
  }

  /** cgroup v2 {@code cpu.max}: "quota period", or "max period" without a quota. */
  public String cpuMax() {
    return (cfsQuotaMicros == null ? "max" : cfsQuotaMicros.toString()) + " " + CFS_PERIOD_MICROS;
  }

  /** The memory limit in MB, for messages. */
  public long memoryMegabytes() {
    return memoryBytes >> 20;
  }
}
