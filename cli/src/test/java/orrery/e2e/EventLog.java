package orrery.e2e;

import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskState;
import orrery.protocol.mesos.TaskStatus;
import orrery.protocol.scheduler.Event;

/**
 * Collects a framework's events as they arrive (on a Vert.x thread) so that a test thread can wait for the one it
 * expects. Timeouts are generous: a slow machine makes a test slower, never red.
 */
final class EventLog {

  static final long TIMEOUT_SECONDS = 60;

  private final List<Event> events = new ArrayList<>();

  synchronized void add(Event event) {
    events.add(event);
    notifyAll();
  }

  /** Waits for the first event, not yet taken, that matches; removes and returns it. */
  synchronized Event take(Predicate<Event> matching, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    while (true) {
      for (int i = 0; i < events.size(); i++) {
        if (matching.test(events.get(i))) {
          return events.remove(i);
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        fail("no " + what + " within " + TIMEOUT_SECONDS + " s; events so far: " + events);
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  /** The first event, not yet taken, that matches, removed; or null when none has come (yet). */
  synchronized Event poll(Predicate<Event> matching) {
    for (int i = 0; i < events.size(); i++) {
      if (matching.test(events.get(i))) {
        return events.remove(i);
      }
    }
    return null;
  }

  Event takeType(Event.Type type) throws InterruptedException {
    return take(e -> e.type() == type, type.name());
  }

  /** The next update of this task (in arrival order), whatever its state. */
  TaskStatus nextUpdate(TaskId taskId) throws InterruptedException {
    return take(e -> e.type() == Event.Type.UPDATE && e.update().status().taskId().equals(taskId),
        "UPDATE for " + taskId).update().status();
  }

  TaskStatus awaitState(TaskId taskId, TaskState state) throws InterruptedException {
    return take(e -> e.type() == Event.Type.UPDATE && e.update().status().taskId().equals(taskId)
        && e.update().status().state() == state, state + " for " + taskId).update().status();
  }

  synchronized List<Event> snapshot() {
    return List.copyOf(events);
  }
}
