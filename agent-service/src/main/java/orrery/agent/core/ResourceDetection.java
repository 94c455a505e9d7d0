package orrery.agent.core;

import orrery.protocol.resources.Ranges;
import orrery.protocol.resources.Resources;

/**
 * An agent's total resources, by the Mesos rules: what {@code --resources} names, and for {@code cpus}, {@code mem}
 * and {@code disk} it leaves out, what the machine has, less a share kept for the system; {@code gpus}, when left
 * out, the NVIDIA GPUs the machine has; {@code ports} default to {@code [31000-32000]}.
 */
public final class ResourceDetection {

  public static final long MIB = 1024L * 1024;
  public static final long GIB = 1024 * MIB;
  public static final Ranges DEFAULT_PORTS = Ranges.of(31_000, 32_000);

  private ResourceDetection() {}

  /** @param flag the {@code --resources} text, or null to detect everything */
  public static Resources resolve(String flag, MachineFacts machine) {
    Resources given = flag == null || flag.isBlank() ? Resources.empty() : Resources.parse(flag);
    Resources.Builder total = given.toBuilder();
    if (given.scalarMillis(Resources.CPUS) == 0) {
      total.scalar(Resources.CPUS, machine.cpus());
    }
    if (given.scalarMillis(Resources.MEM) == 0) {
      total.scalar(Resources.MEM, memoryMegabytes(machine.memoryBytes()));
    }
    if (given.scalarMillis(Resources.DISK) == 0) {
      total.scalar(Resources.DISK, diskMegabytes(machine.diskBytes()));
    }
    if (given.scalarMillis(Resources.GPUS) == 0 && machine.gpus() > 0) {
      total.scalar(Resources.GPUS, machine.gpus());
    }
    if (given.ranges(Resources.PORTS).isEmpty()) {
      total.ranges(Resources.PORTS, DEFAULT_PORTS);
    }
    return total.build();
  }

  /** Whole MB offered of {@code totalBytes} of memory: all but 1 GiB from 2 GiB up, else half. */
  public static long memoryMegabytes(long totalBytes) {
    long offered = totalBytes >= 2 * GIB ? totalBytes - GIB : totalBytes / 2;
    return offered / MIB;
  }

  /** Whole MB offered of a {@code totalBytes} disk: all but 5 GiB from 10 GiB up, else half. */
  public static long diskMegabytes(long totalBytes) {
    long offered = totalBytes >= 10 * GIB ? totalBytes - 5 * GIB : totalBytes / 2;
    return offered / MIB;
  }
}
