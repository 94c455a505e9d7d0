package orrery.agent.core;

/**
 * What the agent found out about its machine.
 *
 * @param cpus the processors the JVM may use
 * @param memoryBytes total physical memory
 * @param diskBytes total size of the file system that holds the work dir
 * @param gpus NVIDIA GPUs that {@code nvidia-smi} lists (0 where it does not answer)
 */
public record MachineFacts(int cpus, long memoryBytes, long diskBytes, int gpus) {

  public MachineFacts {
    if (cpus < 0 || memoryBytes < 0 || diskBytes < 0 || gpus < 0) {
      throw new IllegalArgumentException("machine facts must not be negative: cpus " + cpus + ", memory "
          + memoryBytes + ", disk " + diskBytes + ", gpus " + gpus);
    }
  }

  public MachineFacts(int cpus, long memoryBytes, long diskBytes) {
    this(cpus, memoryBytes, diskBytes, 0);
  }
}
