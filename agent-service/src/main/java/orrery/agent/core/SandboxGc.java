package orrery.agent.core;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which task sandboxes are due for deletion, as Mesos' {@code --gc_delay} decides: a sandbox goes once its task ended
 * more than the delay ago. The sandbox of a task that has not ended is never due. No I/O, no clock: the caller says
 * what the agent holds ({@link #observe}), what lies on disk and what time it is ({@link #due}).
 *
 * <p>A task's end is the first time it was observed terminal, so it is known to within the caller's interval between
 * observations. A sandbox the agent does not know (left by an earlier run of the agent, or a task no longer
 * remembered) counts from its last modification, as Mesos schedules the sandboxes it finds when it recovers.
 */
public final class SandboxGc {

  /** Mesos' default {@code --gc_delay}: one week. */
  public static final long DEFAULT_DELAY_MILLIS = 7L * 24 * 3600 * 1000;
  /** The longest wait between two collections: a sandbox outlives its due time by at most this. */
  static final long MAX_INTERVAL_MILLIS = 60_000;
  static final long MIN_INTERVAL_MILLIS = 100;

  /** A sandbox on disk and the newest modification time of it or a file directly in it. */
  public record Sandbox(Path directory, long lastModifiedMillis) {}

  private final long delayMillis;
  /** Sandboxes of tasks seen ended, with when they were first seen so. */
  private final Map<Path, Long> endedAt = new HashMap<>();
  /** Sandboxes of the tasks that had not ended at the last observation. */
  private Set<Path> live = Set.of();

  public SandboxGc(long delayMillis) {
    if (delayMillis <= 0) {
      throw new IllegalArgumentException("the sandbox GC delay must be positive, was " + delayMillis + " ms");
    }
    this.delayMillis = delayMillis;
  }

  /** How often to collect: a tenth of the delay, between 100 ms and a minute. */
  public long intervalMillis() {
    return Math.max(MIN_INTERVAL_MILLIS, Math.min(MAX_INTERVAL_MILLIS, delayMillis / 10));
  }

  /** What the agent holds at {@code nowMillis}: its tasks (ended or not) and the tasks it has completed. */
  public void observe(Collection<TaskView> tasks, Collection<TaskView> completed, long nowMillis) {
    Set<Path> running = new HashSet<>();
    for (Collection<TaskView> views : List.of(tasks, completed)) {
      for (TaskView task : views) {
        if (task.directory() == null) {
          continue; // refused before it had a sandbox
        }
        if (task.state() != null && task.state().isTerminal()) {
          endedAt.putIfAbsent(task.directory(), nowMillis);
        } else {
          running.add(task.directory());
        }
      }
    }
    live = running;
  }

  /** The sandboxes on disk to delete at {@code nowMillis}, in the order given. */
  public List<Path> due(Collection<Sandbox> onDisk, long nowMillis) {
    Set<Path> present = new HashSet<>();
    List<Path> due = new ArrayList<>();
    for (Sandbox sandbox : onDisk) {
      Path directory = sandbox.directory();
      present.add(directory);
      if (live.contains(directory)) {
        continue;
      }
      long ended = endedAt.getOrDefault(directory, sandbox.lastModifiedMillis());
      if (nowMillis - ended >= delayMillis) {
        due.add(directory);
      }
    }
    endedAt.keySet().retainAll(present); // whatever went from disk, by us or anyone, needs no more watching
    return due;
  }

  /** The sandbox is gone. */
  public void removed(Path directory) {
    endedAt.remove(directory);
  }
}
