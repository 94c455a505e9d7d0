package orrery.cli;

import io.vertx.core.Future;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Long-running commands run until the process is told to stop (Ctrl-C, SIGTERM), then stop what they started. */
public final class Lifetime {

  private static final long STOP_TIMEOUT_SECONDS = 15;

  private Lifetime() {}

  /** Blocks until the JVM is asked to exit; {@code stop} runs first and is given 15 s. */
  public static void untilStopped(Supplier<Future<?>> stop) throws InterruptedException {
    untilStopped(stop, () -> true, Long.MAX_VALUE);
  }

  /**
   * As above, and asks {@code stillValid} every {@code checkMillis} on the calling thread: returns false as soon as it
   * says no (the caller then ends the process its own way), true once stopped.
   */
  public static boolean untilStopped(Supplier<Future<?>> stop, BooleanSupplier stillValid, long checkMillis)
      throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicBoolean stopping = new AtomicBoolean();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      // What stillValid watches may end with the stop itself (a leader's lock, when the member leaves the cluster).
      stopping.set(true);
      try {
        stop.get().toCompletionStage().toCompletableFuture().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println("orrery: stopping took too long or failed: " + e.getMessage());
      }
      stopped.countDown();
    }, "orrery-shutdown"));
    while (!stopped.await(checkMillis, TimeUnit.MILLISECONDS)) {
      if (!stopping.get() && !stillValid.getAsBoolean()) {
        return false;
      }
    }
    return true;
  }
}
