package orrery.agent.gc;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import orrery.agent.core.SandboxGc;
import orrery.agent.http.AgentState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the sandboxes {@link SandboxGc} finds due, every {@link SandboxGc#intervalMillis()}: lists this agent's
 * sandboxes ({@code <agentDir>/frameworks/*}{@code /executors/*}{@code /runs/*}) on a worker, asks the policy on the
 * agent's context what it holds and what is due, deletes on a worker. A sandbox deleted is gone from {@code /files}
 * too, which serves what is on disk. Only this agent's directory is looked at: another agent's (sharing the work
 * dir) or another agent id's sandboxes are not its to judge.
 */
public final class SandboxCollector {

  private static final Logger LOG = LoggerFactory.getLogger(SandboxCollector.class);

  private final Vertx vertx;
  private final Path agentDir;
  private final SandboxGc policy;
  private final Supplier<AgentState> state;
  private long timer = -1;
  private boolean collecting;

  /** @param state called on the agent's context: the tasks it holds and has completed */
  public SandboxCollector(Vertx vertx, Path agentDir, long delayMillis, Supplier<AgentState> state) {
    this.vertx = vertx;
    this.agentDir = agentDir;
    this.policy = new SandboxGc(delayMillis);
    this.state = state;
  }

  /** Call on the agent's context. */
  public void start() {
    timer = vertx.setPeriodic(policy.intervalMillis(), id -> collect());
  }

  public void stop() {
    vertx.cancelTimer(timer);
  }

  private void collect() {
    if (collecting) {
      return; // the last collection is still deleting
    }
    collecting = true;
    AgentState held = state.get();
    policy.observe(held.tasks(), held.completedTasks(), System.currentTimeMillis());
    vertx.executeBlocking(this::list, false)
        .compose(onDisk -> {
          // Decided after the listing, against what the agent held before it: a sandbox created since is not listed,
          // and one listed that was live then is kept.
          List<Path> due = policy.due(onDisk, System.currentTimeMillis());
          return due.isEmpty() ? io.vertx.core.Future.succeededFuture(List.<Path>of())
              : vertx.executeBlocking(() -> delete(due), false);
        })
        .onSuccess(deleted -> deleted.forEach(policy::removed))
        .onFailure(e -> LOG.warn("sandbox GC in {} failed: {}", agentDir, e.toString()))
        .onComplete(done -> collecting = false);
  }

  private List<SandboxGc.Sandbox> list() throws IOException {
    List<SandboxGc.Sandbox> sandboxes = new ArrayList<>();
    for (Path framework : children(agentDir.resolve("frameworks"))) {
      for (Path executor : children(framework.resolve("executors"))) {
        for (Path run : children(executor.resolve("runs"))) {
          try {
            sandboxes.add(new SandboxGc.Sandbox(run, lastModified(run)));
          } catch (NoSuchFileException e) {
            // gone while listed
          }
        }
      }
    }
    return sandboxes;
  }

  private List<Path> delete(List<Path> due) {
    List<Path> deleted = new ArrayList<>();
    for (Path run : due) {
      try {
        deleteTree(run);
        deleted.add(run);
        LOG.info("sandbox GC: deleted {}", run);
        // The run's executor directory goes with its last run, as Mesos prunes it.
        deleteIfEmpty(run.getParent());
        deleteIfEmpty(run.getParent().getParent());
      } catch (IOException e) {
        LOG.warn("sandbox GC: could not delete {}: {}", run, e.toString());
      }
    }
    return deleted;
  }

  private static List<Path> children(Path dir) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList();
    } catch (NoSuchFileException e) {
      return List.of();
    }
  }

  /** The newest modification of the directory or a file directly in it: a task writing its stdout keeps it young. */
  private static long lastModified(Path dir) throws IOException {
    long newest = Files.getLastModifiedTime(dir, LinkOption.NOFOLLOW_LINKS).toMillis();
    try (Stream<Path> list = Files.list(dir)) {
      for (Path entry : list.toList()) {
        newest = Math.max(newest, Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS).toMillis());
      }
    }
    return newest;
  }

  /** Deletes without following links: a link out of the sandbox loses the link, never its target. */
  private static void deleteTree(Path root) throws IOException {
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
        Files.deleteIfExists(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
        if (failure != null) {
          throw failure;
        }
        Files.deleteIfExists(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private static void deleteIfEmpty(Path dir) {
    try {
      Files.deleteIfExists(dir);
    } catch (DirectoryNotEmptyException e) {
      // another run of the task still has its sandbox
    } catch (IOException e) {
      LOG.debug("sandbox GC: {} stays: {}", dir, e.toString());
    }
  }
}
