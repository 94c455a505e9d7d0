package orrery.protocol.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.function.Consumer;

/**
 * Requests asked again while they go unanswered: timed out, or nobody listening yet (a service failing over, a
 * request lost with a member that died). A refusal (the receiver failed the request) is final. Only for requests the
 * receiver takes once however often it is asked.
 */
public final class Requests {

  private Requests() {}

  /**
   * Up to {@code attempts} requests, each waiting {@code timeoutMillis}, {@code pauseMillis} apart; {@code onRetry}
   * hears each failure that is asked again. Completes with the reply's body, or the last failure.
   */
  public static <T> Future<T> askWhileUnanswered(Vertx vertx, String address, Object message, int attempts,
      long timeoutMillis, long pauseMillis, Consumer<Throwable> onRetry) {
    return ask(vertx, address, message, attempts, Long.MAX_VALUE, timeoutMillis, pauseMillis, onRetry);
  }

  /**
   * As {@link #askWhileUnanswered}, for as long as {@code forMillis} from now rather than a number of times: each
   * request waits {@code timeoutMillis} at most (less when the time is nearly up), {@code pauseMillis} apart.
   */
  public static <T> Future<T> askUntil(Vertx vertx, String address, Object message, long forMillis,
      long timeoutMillis, long pauseMillis) {
    return ask(vertx, address, message, Integer.MAX_VALUE, System.nanoTime() + forMillis * 1_000_000, timeoutMillis,
        pauseMillis, failure -> { });
  }

  /** One request, then again while it goes unanswered, attempts are left and the deadline is not reached. */
  private static <T> Future<T> ask(Vertx vertx, String address, Object message, int attempts, long deadlineNanos,
      long timeoutMillis, long pauseMillis, Consumer<Throwable> onRetry) {
    long leftMillis = deadlineNanos == Long.MAX_VALUE ? timeoutMillis
        : Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000);
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(Math.min(timeoutMillis, leftMillis));
    return vertx.eventBus().<T>request(address, message, options).map(reply -> reply.body()).recover(failure -> {
      if (!unanswered(failure) || attempts <= 1
          || deadlineNanos != Long.MAX_VALUE && System.nanoTime() + pauseMillis * 1_000_000 >= deadlineNanos) {
        return Future.failedFuture(failure);
      }
      onRetry.accept(failure);
      return vertx.timer(pauseMillis).compose(t -> Requests.<T>ask(vertx, address, message, attempts - 1,
          deadlineNanos, timeoutMillis, pauseMillis, onRetry));
    });
  }

  private static boolean unanswered(Throwable failure) {
    return failure instanceof ReplyException reply && reply.failureType() != ReplyFailure.RECIPIENT_FAILURE;
  }
}
