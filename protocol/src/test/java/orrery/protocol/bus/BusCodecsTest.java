package orrery.protocol.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import java.util.concurrent.TimeUnit;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.messages.AgentMessages;
import orrery.protocol.messages.FrameworkMessages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every service registers the codecs at start; in standalone they share one bus, so registering must be safe twice. */
class BusCodecsTest {

  private Vertx vertx;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void closeVertx() throws Exception {
    await(vertx.close());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void registeringTwiceOnOneBusIsHarmless() {
    EventBus bus = vertx.eventBus();

    BusCodecs.register(bus);

    assertThatCode(() -> BusCodecs.register(bus)).doesNotThrowAnyException();
  }

  @Test
  void everyMessageTypeGetsADefaultCodec() {
    EventBus bus = vertx.eventBus();
    BusCodecs.register(bus);

    // Vert.x refuses a second default codec for a type, which shows the first is in place.
    for (Class<?> type : BusCodecs.messageTypes()) {
      assertThatThrownBy(() -> registerAgain(bus, type)).as("%s", type.getSimpleName())
          .isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void aRegisteredRecordTravelsTheLocalBusAsTheSameObject() throws Exception {
    EventBus bus = vertx.eventBus();
    BusCodecs.register(bus);
    bus.<AgentMessages.AgentHeartbeat>consumer("test.heartbeat", message ->
        message.reply(new AgentMessages.HeartbeatReply(message.body().agentId().equals(AgentId.of("S-4")))));
    AgentMessages.AgentHeartbeat heartbeat = new AgentMessages.AgentHeartbeat(AgentId.of("S-4"));

    Message<AgentMessages.HeartbeatReply> reply = await(bus.request("test.heartbeat", heartbeat));

    assertThat(reply.body()).isEqualTo(new AgentMessages.HeartbeatReply(true));
  }

  @Test
  void eachBusGetsItsOwnRegistration() throws Exception {
    Vertx other = Vertx.vertx();
    try {
      BusCodecs.register(vertx.eventBus());
      BusCodecs.register(other.eventBus());

      // Registered on the second bus too, not skipped because the first one had it.
      assertThatThrownBy(() -> registerAgain(other.eventBus(), FrameworkMessages.FrameworkRef.class))
          .isInstanceOf(IllegalStateException.class);
      other.eventBus().consumer("test.ref", message -> message.reply(message.body()));
      FrameworkMessages.FrameworkRef ref = new FrameworkMessages.FrameworkRef(FrameworkId.of("fw-7"));
      Message<FrameworkMessages.FrameworkRef> reply = await(other.eventBus().request("test.ref", ref));
      assertThat(reply.body()).isSameAs(ref);
    } finally {
      await(other.close());
    }
  }

  private static <T> void registerAgain(EventBus bus, Class<T> type) {
    bus.registerDefaultCodec(type, new JsonCodec<>(type));
  }
}
