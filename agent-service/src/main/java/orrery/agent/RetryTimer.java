package orrery.agent;

import io.vertx.core.Vertx;
import java.util.OptionalLong;

/**
 * One timer, set for the earliest instant something is due (an unacknowledged status update to resend, a health
 * check to run), and moved whenever that instant changes. Used on the agent's context only.
 */
final class RetryTimer {

  private static final long NONE = Long.MAX_VALUE;

  private final Vertx vertx;
  private final Runnable onDue;
  private long timerId = -1;
  private long dueAt = NONE;

  RetryTimer(Vertx vertx, Runnable onDue) {
    this.vertx = vertx;
    this.onDue = onDue;
  }

  void schedule(OptionalLong next, long nowMillis) {
    long at = next.orElse(NONE);
    if (at == dueAt) {
      return;
    }
    cancel();
    if (at != NONE) {
      dueAt = at;
      timerId = vertx.setTimer(Math.max(1, at - nowMillis), id -> {
        timerId = -1;
        dueAt = NONE;
        onDue.run();
      });
    }
  }

  void cancel() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
    timerId = -1;
    dueAt = NONE;
  }
}
