package orrery.agent;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import orrery.agent.core.MachineFacts;

/** Looks at the machine the agent runs on. Blocking (the disk): call it from a worker thread. */
final class MachineProbe {

  private MachineProbe() {}

  /** @param workDir an existing directory on the file system whose size counts as the agent's disk */
  static MachineFacts probe(Path workDir) throws IOException {
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    return new MachineFacts(Runtime.getRuntime().availableProcessors(), os.getTotalMemorySize(),
        Files.getFileStore(workDir).getTotalSpace(), countGpus(NVIDIA_SMI));
  }

  /** Lists one line per NVIDIA GPU, as Mesos' GPU isolator asks it. */
  static final List<String> NVIDIA_SMI = List.of("nvidia-smi", "--query-gpu=index", "--format=csv,noheader");

  /**
   * How many GPUs the command lists, one per line; 0 when it is not installed, fails, or does not answer within
   * 10 s (a machine without GPUs, or a driver in trouble: either way none is offered).
   */
  static int countGpus(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return 0;
      }
      String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      return process.exitValue() != 0 ? 0 : (int) output.lines().filter(l -> !l.isBlank()).count();
    } catch (IOException e) {
      return 0; // not installed
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }
}
