package orrery.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.BridgeOptions;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.eventbus.bridge.tcp.TcpEventBusBridge;
import java.net.ServerSocket;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import orrery.protocol.bus.Addresses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The framework's side of a real Vert.x TCP event-bus bridge, over a real socket. */
class BridgeSchedulerClientTest {

  private Vertx vertx;
  private int port;

  @BeforeEach
  void bridge() throws Exception {
    vertx = Vertx.vertx();
    vertx.eventBus().<JsonObject>consumer(Addresses.SCHEDULER, call -> call.reply(new JsonObject()
        .put("answered", call.body().getString("type"))));
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    await(TcpEventBusBridge.create(vertx, new BridgeOptions()
        .addInboundPermitted(new PermittedOptions().setAddress(Addresses.SCHEDULER))).listen(port, "127.0.0.1"));
  }

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
  }

  @Test
  void theConnectionOutlivesGarbageCollections() throws Exception {
    BridgeSchedulerClient client = await(BridgeSchedulerClient.connect(vertx, "127.0.0.1", port));
    // Vert.x shuts down a client that nothing references any more once it is collected, closing its connections
    // after a grace of 30 s: the framework's client must keep it for as long as it lives. (Found by ClusterRolesTest:
    // a bridge framework's connection closed under it, its SUBSCRIBE never answered.)
    for (int i = 0; i < 5; i++) {
      byte[][] garbage = new byte[100][];
      for (int j = 0; j < garbage.length; j++) {
        garbage[j] = new byte[100_000];
      }
      System.gc();
      Thread.sleep(100);
    }
    long graceOver = System.nanoTime() + TimeUnit.SECONDS.toNanos(32);
    while (System.nanoTime() < graceOver) {
      assertThat(await(client.request(new JsonObject().put("type", "REVIVE"))).getString("answered"))
          .isEqualTo("REVIVE");
      Thread.sleep(1_000);
    }
  }

  @Test
  void aCallOnAClosedConnectionFailsAtOnce() throws Exception {
    BridgeSchedulerClient client = await(BridgeSchedulerClient.connect(vertx, "127.0.0.1", port));
    await(client.close());
    Thread.sleep(200);
    assertThatThrownBy(() -> await(client.request(new JsonObject().put("type", "REVIVE"))))
        .isInstanceOf(ExecutionException.class).cause().isInstanceOf(SchedulerCallException.class)
        .hasMessageContaining("closed");
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
