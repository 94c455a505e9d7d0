package orrery.agent;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import orrery.agent.core.AgentCore.CheckpointChange;
import orrery.agent.core.Digests;
import orrery.agent.core.TaskCheckpoint;
import orrery.agent.core.TaskKey;
import orrery.protocol.json.MesosJson;
import orrery.protocol.mesos.AgentInfo;
import orrery.protocol.mesos.ContainerId;
import orrery.protocol.resources.Resources;

/**
 * What the agent keeps under {@code <workDir>/meta} to survive its own crash: {@code agent.json} (its id and the
 * resources it registered with), one {@code tasks/<hash of framework and task id>.json} per task it still holds, and
 * {@code containers/<container id>.exit}, where a task's supervising shell writes its exit status. Each file is
 * written whole to a temporary name and renamed over the old one, so a crash leaves either version, never half of
 * one. Not fsynced: this survives the agent process being killed, not the machine losing power. Blocking: call from
 * a worker thread.
 */
final class Checkpoints {

  /** The agent as it registered: its info (with its id) and the resources it offered. */
  record AgentCheckpoint(AgentInfo info, Resources total) {}

  private final Path meta;
  private final Path tasks;
  private final Path containers;

  Checkpoints(Path workDir) {
    this.meta = workDir.resolve("meta");
    this.tasks = meta.resolve("tasks");
    this.containers = meta.resolve("containers");
  }

  Path exitStatusFile(ContainerId container) {
    return containers.resolve(container.value() + ".exit");
  }

  AgentCheckpoint readAgent() throws IOException {
    Path file = meta.resolve("agent.json");
    return Files.isRegularFile(file) ? MesosJson.read(Files.readAllBytes(file), AgentCheckpoint.class) : null;
  }

  void writeAgent(AgentCheckpoint agent) throws IOException {
    write(meta.resolve("agent.json"), MesosJson.writeBytes(agent));
  }

  List<TaskCheckpoint> readTasks() throws IOException {
    List<TaskCheckpoint> found = new ArrayList<>();
    if (!Files.isDirectory(tasks)) {
      return found;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(tasks, "*.json")) {
      for (Path file : files) {
        found.add(MesosJson.read(Files.readAllBytes(file), TaskCheckpoint.class));
      }
    }
    return found;
  }

  void apply(List<CheckpointChange> changes) throws IOException {
    for (CheckpointChange change : changes) {
      Path file = tasks.resolve(fileName(change.task()));
      if (change.checkpoint() == null) {
        Files.deleteIfExists(file);
      } else {
        write(file, MesosJson.writeBytes(change.checkpoint()));
      }
    }
  }

  /** The agent left cleanly (its tasks killed, itself unregistered): the next start is a new agent. */
  void clear() throws IOException {
    if (!Files.exists(meta)) {
      return;
    }
    try (Stream<Path> all = Files.walk(meta)) {
      for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  private static void write(Path file, byte[] bytes) throws IOException {
    Files.createDirectories(file.getParent());
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(temporary, bytes);
    try {
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Task ids are the framework's strings: a hash makes a safe, fixed-length file name of any of them. */
  private static String fileName(TaskKey key) {
    return Digests.sha256Hex(key.frameworkId().value() + "\n" + key.taskId().value(), 16) + ".json";
  }

}
