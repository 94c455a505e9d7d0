package orrery.agent;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import orrery.agent.core.MachineFacts;

/** Looks at the machine the agent runs on. Blocking (the disk): call it from a worker thread. */
final class MachineProbe {

  private MachineProbe() {}

  /** @param workDir an existing directory on the file system whose size counts as the agent's disk */
  static MachineFacts probe(Path workDir) throws IOException {
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    return new MachineFacts(Runtime.getRuntime().availableProcessors(), os.getTotalMemorySize(),
        Files.getFileStore(workDir).getTotalSpace());
  }
}
