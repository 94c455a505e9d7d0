package orrery.agent.isolation;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import orrery.agent.core.ContainerLimits;
import orrery.agent.core.Limitation;
import orrery.protocol.mesos.ContainerId;

/**
 * Confines each container (one task's processes) to its resources. Every method but {@link #name} and
 * {@link #wrap} touches the file system: call them from a worker thread.
 */
public interface Isolator {

  /** What {@code /state} shows: {@code cgroups/v1}, {@code cgroups/v2} or {@code none}. */
  String name();

  /** Creates the container's cgroups with its limits, before its process starts. */
  void prepare(ContainerId container, ContainerLimits limits) throws IOException;

  /**
   * Shell commands, each followed by {@code &&}, by which the task's supervising shell enters the container's cgroups
   * before it starts the command, so that nothing the task starts runs outside them; empty without isolation.
   */
  String enterScript(ContainerId container);

  /**
   * The processes in the container's cgroups, read from the kernel's own list (cheaper than walking every process
   * of the machine for descendants); empty without isolation, where the caller must walk instead. A container that is
   * gone (destroyed before or during the read) has none.
   */
  Optional<List<Long>> pids(ContainerId container) throws IOException;

  /**
   * Whether a limit ended the container (the OOM killer), to be read after its process exited and before the
   * container is destroyed; {@link ContainerGoneException} when its cgroups are gone (before or during the read).
   */
  Optional<Limitation> limitation(ContainerId container) throws IOException;

  /** Kills whatever still runs in the container and removes its cgroups. */
  void destroy(ContainerId container) throws IOException;

  /** Destroys every container of this agent not in {@code keep} (left by a crash); returns the ones destroyed. */
  List<ContainerId> destroyOrphans(Set<ContainerId> keep) throws IOException;

  /** The agent stops: its own roots go too, once empty (containers still there keep them). */
  void close() throws IOException;

  /** No isolation: tasks are plain child processes of the agent. */
  Isolator NONE = new Isolator() {
    @Override
    public String name() {
      return "none";
    }

    @Override
    public void prepare(ContainerId container, ContainerLimits limits) {
    }

    @Override
    public String enterScript(ContainerId container) {
      return "";
    }

    @Override
    public Optional<List<Long>> pids(ContainerId container) {
      return Optional.empty();
    }

    @Override
    public Optional<Limitation> limitation(ContainerId container) {
      return Optional.empty();
    }

    @Override
    public void destroy(ContainerId container) {
    }

    @Override
    public List<ContainerId> destroyOrphans(Set<ContainerId> keep) {
      return List.of();
    }

    @Override
    public void close() {
    }
  };
}
