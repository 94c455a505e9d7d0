package orrery.agent.isolation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import orrery.agent.core.Digests;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Picks the agent's isolation from what the machine offers: cgroup v1, else cgroup v2, else none. */
public final class Isolators {

  private static final Logger LOG = LoggerFactory.getLogger(Isolators.class);

  /** Where cgroup file systems are mounted on Linux. */
  public static final Path DEFAULT_MOUNT = Path.of("/sys/fs/cgroup");

  /** {@code auto}: cgroups when the machine has them, else none; {@code cgroups}: refuse to start without them. */
  public enum Mode { AUTO, CGROUPS, NONE }

  private Isolators() {}

  /**
   * The isolator for an agent whose work dir is {@code workDir}. Each work dir gets a root of its own
   * ({@code orrery/<hash of the work dir>}), so that agents sharing a machine never take each other's containers for
   * orphans. Blocking: call it from a worker thread.
   */
  public static Isolator create(Mode mode, Path mount, Path workDir, boolean limitPids) throws IOException {
    if (mode == Mode.NONE) {
      return Isolator.NONE;
    }
    String agentRoot = "orrery/" + Digests.sha256Hex(workDir.toRealPath().toString(), 6);
    Isolator isolator = null;
    String why;
    try {
      isolator = CgroupV1Isolator.at(mount, agentRoot, limitPids);
      if (isolator == null) {
        Path unified = Files.isRegularFile(mount.resolve("cgroup.controllers")) ? mount : mount.resolve("unified");
        isolator = CgroupV2Isolator.at(unified, agentRoot);
      }
      why = "neither cgroup v1 (memory and cpu controllers) nor cgroup v2 (with cpu and memory) is mounted at " + mount;
    } catch (IOException | SecurityException e) {
      why = "the cgroups at " + mount + " cannot be written (" + e.getMessage() + ")";
    }
    if (isolator != null) {
      return isolator;
    }
    if (mode == Mode.CGROUPS) {
      throw new IOException("isolation 'cgroups' was asked for, but " + why);
    }
    LOG.warn("tasks will run without isolation: {}", why);
    return Isolator.NONE;
  }
}
