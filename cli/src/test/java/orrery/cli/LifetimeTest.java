package orrery.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LifetimeTest {

  @Test
  void aConditionThatNoLongerHoldsEndsTheWaitOnTheCallingThread() throws Exception {
    AtomicInteger checks = new AtomicInteger();
    Thread caller = Thread.currentThread();
    boolean stoppedInOrder = Lifetime.untilStopped(Future::succeededFuture, () -> {
      assertThat(Thread.currentThread()).isSameAs(caller); // a FencedLock is asked on the thread that took it
      return checks.incrementAndGet() < 3;
    }, 10);

    assertThat(stoppedInOrder).isFalse();
    assertThat(checks).hasValue(3);
  }
}
