package orrery.agent.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.TaskState;
import orrery.protocol.mesos.TaskStatus;
import orrery.protocol.messages.TaskMessages.StatusUpdate;

/**
 * The status updates of one task on their way to the framework, with Mesos' guarantee: in order, each resent with
 * backoff until it is acknowledged, and only one in flight at a time.
 *
 * <p>Invariants: the head of {@code pending} is the update in flight (it has been sent {@code sends >= 1} times and
 * is due again at {@code nextSendAt}); nothing is queued after a terminal update; once acknowledgements are no longer
 * expected ({@link #stopExpectingAcknowledgements}) nothing is queued at all.
 */
public final class StatusUpdateStream {

  private final FrameworkId frameworkId;
  private final RetryPolicy retry;
  private final ArrayDeque<TaskStatus> pending = new ArrayDeque<>();
  private TaskState latestState;
  private boolean reliable = true;
  private int sends;
  private long nextSendAt;

  public StatusUpdateStream(FrameworkId frameworkId, RetryPolicy retry) {
    this.frameworkId = Objects.requireNonNull(frameworkId, "frameworkId");
    this.retry = Objects.requireNonNull(retry, "retry");
  }

  /**
   * Queues an update, which must carry a uuid. Returns what to send now: the update itself when nothing else was in
   * flight (or when acknowledgements are no longer expected), else nothing until the updates before it are
   * acknowledged.
   */
  public List<StatusUpdate> enqueue(TaskStatus status, long nowMillis) {
    Objects.requireNonNull(status.uuid(), "an update that expects an acknowledgement needs a uuid");
    if (latestState != null && latestState.isTerminal()) {
      throw new IllegalStateException("update " + status.state() + " for task '" + status.taskId()
          + "' after its terminal " + latestState);
    }
    latestState = status.state();
    if (!reliable) {
      return List.of(new StatusUpdate(frameworkId, status, latestState));
    }
    pending.addLast(status);
    return pending.size() == 1 ? List.of(sendHead(nowMillis)) : List.of();
  }

  /** The update in flight again if it is due at {@code nowMillis}, rescheduled with the next backoff. */
  public List<StatusUpdate> due(long nowMillis) {
    if (pending.isEmpty() || nowMillis < nextSendAt) {
      return List.of();
    }
    sends++;
    nextSendAt = nowMillis + retry.delayAfter(sends);
    return List.of(new StatusUpdate(frameworkId, pending.peekFirst(), latestState));
  }

  /**
   * Acknowledges the update in flight. An acknowledgement for any other uuid (a duplicate, or one for an update
   * that is not yet in flight) is not accepted and changes nothing. Once the head is acknowledged the next queued
   * update, if any, is sent at once.
   */
  public Acknowledged acknowledge(byte[] uuid, long nowMillis) {
    if (!awaits(uuid)) {
      return new Acknowledged(false, List.of());
    }
    pending.removeFirst();
    return new Acknowledged(true, pending.isEmpty() ? List.of() : List.of(sendHead(nowMillis)));
  }

  /** @param toSend the next update, now in flight, when the acknowledgement was accepted and one was queued */
  public record Acknowledged(boolean accepted, List<StatusUpdate> toSend) {}

  /**
   * Nobody will acknowledge this task's updates any more (its framework was shut down): sends each queued update
   * once, and from now on every update once, without retries.
   */
  public List<StatusUpdate> stopExpectingAcknowledgements() {
    reliable = false;
    List<StatusUpdate> unsent = new ArrayList<>();
    pending.pollFirst(); // in flight: sent already
    for (TaskStatus status : pending) {
      unsent.add(new StatusUpdate(frameworkId, status, latestState));
    }
    pending.clear();
    return unsent;
  }

  /** The updates not yet acknowledged, the one in flight first: what a checkpoint keeps. */
  public List<TaskStatus> unacknowledged() {
    return List.copyOf(pending);
  }

  /**
   * The stream of a task recovered from its checkpoint after the agent restarted: its unacknowledged updates queued
   * again, the first of them to be sent at once (the framework may have missed it, or have acknowledged it to an
   * agent that died before hearing so: a duplicate is acknowledged and dropped).
   */
  public static StatusUpdateStream recovered(FrameworkId frameworkId, RetryPolicy retry, TaskState latestState,
      List<TaskStatus> unacknowledged) {
    StatusUpdateStream stream = new StatusUpdateStream(frameworkId, retry);
    stream.latestState = latestState;
    stream.pending.addAll(unacknowledged);
    return stream;
  }

  /** After recovery: the update in flight, sent now, with the retries starting afresh. */
  public List<StatusUpdate> resume(long nowMillis) {
    return pending.isEmpty() ? List.of() : List.of(sendHead(nowMillis));
  }

  /** Whether the update in flight carries {@code uuid}. */
  public boolean awaits(byte[] uuid) {
    return !pending.isEmpty() && java.util.Arrays.equals(pending.peekFirst().uuid(), uuid);
  }

  /** The uuid of the update in flight, for messages; null when none is. */
  public byte[] inFlightUuid() {
    return pending.isEmpty() ? null : pending.peekFirst().uuid();
  }

  /** When the update in flight is due to be sent again; empty when nothing waits for an acknowledgement. */
  public OptionalLong nextSendAt() {
    return pending.isEmpty() ? OptionalLong.empty() : OptionalLong.of(nextSendAt);
  }

  /** The terminal update has been delivered (acknowledged, or sent when no acknowledgement is expected). */
  public boolean isDone() {
    return latestState != null && latestState.isTerminal() && pending.isEmpty();
  }

  /** The newest state queued; null before the first update. */
  public TaskState latestState() {
    return latestState;
  }

  public int pendingCount() {
    return pending.size();
  }

  private StatusUpdate sendHead(long nowMillis) {
    sends = 1;
    nextSendAt = nowMillis + retry.delayAfter(1);
    return new StatusUpdate(frameworkId, pending.peekFirst(), latestState);
  }
}
