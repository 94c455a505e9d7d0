package orrery.agent.isolation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import orrery.agent.core.ContainerLimits;
import orrery.agent.core.Limitation;
import orrery.protocol.mesos.ContainerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Isolation by cgroups: each container gets a cgroup named by its container id under this agent's own root in
 * every hierarchy it uses ({@code <mount>/<controller>/<root>/<container>} for v1, {@code <mount>/<root>/<container>}
 * for v2). Its process enters them itself before it starts the command (see {@link #enterScript}), so nothing it starts
 * runs outside them even for an instant. The two layouts differ only in file names, which the subclasses give.
 */
abstract class CgroupIsolator implements Isolator {

  private static final Logger LOG = LoggerFactory.getLogger(CgroupIsolator.class);
  private static final int KILL_ATTEMPTS = 50;

  /** This agent's root in each hierarchy; a container's cgroup is a directory below each. */
  private final List<Path> roots;

  CgroupIsolator(List<Path> roots) {
    this.roots = List.copyOf(roots);
  }

  /** Writes the limits into the container's (already created) cgroups. */
  abstract void writeLimits(ContainerId container, ContainerLimits limits) throws IOException;

  /** How many times the OOM killer acted in the container's memory cgroup. */
  abstract long oomKills(ContainerId container) throws IOException;

  /** The most memory the container used, in bytes, or its current use where the kernel keeps no peak. */
  abstract long peakMemory(ContainerId container) throws IOException;

  abstract long memoryLimit(ContainerId container) throws IOException;

  @Override
  public void prepare(ContainerId container, ContainerLimits limits) throws IOException {
    for (Path root : roots) {
      Files.createDirectories(root.resolve(container.value()));
    }
    writeLimits(container, limits);
  }

  @Override
  public String enterScript(ContainerId container) {
    // The shell writes its own pid into each cgroup; what it starts afterwards is born inside. Container ids are
    // UUIDs and roots carry no quotes.
    StringBuilder script = new StringBuilder();
    for (Path root : roots) {
      script.append("echo $$ > '").append(root.resolve(container.value()).resolve("cgroup.procs")).append("' && ");
    }
    return script.toString();
  }

  @Override
  public Optional<List<Long>> pids(ContainerId container) throws IOException {
    return Optional.of(pids(roots.get(0).resolve(container.value())));
  }

  /**
   * {@inheritDoc} A container whose cgroups are gone, before the read or during it, is a {@link ContainerGoneException};
   * any other failure is an I/O error of its own.
   */
  @Override
  public Optional<Limitation> limitation(ContainerId container) throws IOException {
    try {
      if (oomKills(container) == 0) {
        return Optional.empty();
      }
      return Optional.of(Limitation.memory(peakMemory(container), memoryLimit(container)));
    } catch (IOException e) {
      for (Path root : roots) {
        Path cgroup = root.resolve(container.value());
        if (!Files.isDirectory(cgroup)) {
          throw new ContainerGoneException(container, cgroup.toString(), e);
        }
      }
      throw e;
    }
  }

  @Override
  public void destroy(ContainerId container) throws IOException {
    for (Path root : roots) {
      Path cgroup = root.resolve(container.value());
      if (!Files.isDirectory(cgroup)) {
        continue;
      }
      killAll(cgroup);
      try {
        Files.delete(cgroup); // rmdir: a cgroup without processes goes, its control files with it
      } catch (NoSuchFileException gone) {
        // removed meanwhile: nothing left to do
      }
    }
  }

  @Override
  public List<ContainerId> destroyOrphans(Set<ContainerId> keep) throws IOException {
    List<ContainerId> destroyed = new ArrayList<>();
    for (Path root : roots) {
      try (DirectoryStream<Path> cgroups = Files.newDirectoryStream(root, Files::isDirectory)) {
        for (Path cgroup : cgroups) {
          ContainerId container = ContainerId.of(cgroup.getFileName().toString());
          if (!keep.contains(container) && !destroyed.contains(container)) {
            destroyed.add(container);
          }
        }
      }
    }
    for (ContainerId container : destroyed) {
      LOG.warn("destroying orphaned container {} (its cgroups outlived the agent that made them)", container);
      destroy(container);
    }
    return destroyed;
  }

  @Override
  public void close() throws IOException {
    for (Path root : roots) {
      try (DirectoryStream<Path> left = Files.newDirectoryStream(root, Files::isDirectory)) {
        if (left.iterator().hasNext()) {
          continue; // a container is still there: its root stays, and the next start finds it as an orphan
        }
      } catch (NoSuchFileException gone) {
        continue;
      }
      Files.deleteIfExists(root);
    }
  }

  /** SIGKILL to every process in the cgroup until none is left (a forking process may add some meanwhile). */
  private static void killAll(Path cgroup) throws IOException {
    for (int attempt = 0; attempt < KILL_ATTEMPTS; attempt++) {
      List<Long> pids = pids(cgroup);
      if (pids.isEmpty()) {
        return;
      }
      pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
      try {
        Thread.sleep(attempt < 5 ? 2 : 20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while emptying " + cgroup, e);
      }
    }
    throw new IOException("processes " + pids(cgroup) + " are still in " + cgroup + " after SIGKILL");
  }

  private static List<Long> pids(Path cgroup) throws IOException {
    List<Long> pids = new ArrayList<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(cgroup.resolve("cgroup.procs"), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      if (!Files.isDirectory(cgroup)) {
        return pids; // removed before or during the read ("No such device"): a cgroup that is gone holds nothing
      }
      throw e;
    }
    for (String line : lines) {
      if (!line.isBlank()) {
        pids.add(Long.parseLong(line.strip()));
      }
    }
    return pids;
  }

  static void write(Path file, String value) throws IOException {
    Files.writeString(file, value, StandardCharsets.US_ASCII);
  }

  static long readLong(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
    return text.equals("max") ? Long.MAX_VALUE : Long.parseLong(text);
  }

  /** The value of {@code key} in a flat keyed file such as {@code memory.events} ({@code oom_kill 1}); 0 if absent. */
  static long readKey(Path file, String key) throws IOException {
    for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
      String[] parts = line.strip().split("\\s+");
      if (parts.length == 2 && parts[0].equals(key)) {
        return Long.parseLong(parts[1]);
      }
    }
    return 0;
  }
}
