package orrery.protocol.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Requests asked again while unanswered, on a real (local) event bus. */
class RequestsTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void askedUntilSomebodyListensWithinTheTime() throws Exception {
    // Nobody listens at first (a service failing over); somebody does a little later.
    vertx.setTimer(300, t -> vertx.eventBus().<String>consumer("late", m -> m.reply("hello " + m.body())));
    Future<String> answer = Requests.askUntil(vertx, "late", "there", 5_000, 1_000, 50);
    assertThat(answer.await(10, TimeUnit.SECONDS)).isEqualTo("hello there");
  }

  @Test
  void aRefusalIsFinalAndAskedOnce() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    vertx.eventBus().consumer("refuses", m -> {
      asked.incrementAndGet();
      m.fail(409, "no");
    });
    Future<String> answer = Requests.askUntil(vertx, "refuses", "x", 2_000, 500, 50);
    assertThatThrownBy(() -> answer.await(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(ReplyException.class,
        e -> assertThat(e.failureCode()).isEqualTo(409));
    assertThat(asked).hasValue(1);
  }

  @Test
  void nobodyListeningForTheWholeTimeIsTheLastFailure() {
    Future<String> answer = Requests.askUntil(vertx, "nobody", "x", 400, 200, 50);
    assertThatThrownBy(() -> answer.await(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(ReplyException.class,
        e -> assertThat(e.failureType()).isEqualTo(ReplyFailure.NO_HANDLERS));
  }

  @Test
  void aRequestUnansweredInTimeIsAskedAgain() throws Exception {
    // The first request is lost (as with a member that died): not answered; the second is.
    AtomicInteger asked = new AtomicInteger();
    vertx.eventBus().<String>consumer("loses-the-first", m -> {
      if (asked.incrementAndGet() > 1) {
        m.reply("second");
      }
    });
    Future<String> answer = Requests.askUntil(vertx, "loses-the-first", "x", 5_000, 200, 50);
    assertThat(answer.await(10, TimeUnit.SECONDS)).isEqualTo("second");
    assertThat(asked).hasValue(2);
  }
}
