package orrery.allocator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import orrery.allocator.core.AllocatorConfig;
import orrery.protocol.bus.Addresses;
import orrery.protocol.bus.BusCodecs;
import orrery.protocol.messages.RoleMessages.QuotaConfig;
import orrery.protocol.messages.RoleMessages.RoleConfig;
import orrery.protocol.messages.RoleMessages.UpdateQuota;
import orrery.protocol.messages.RoleMessages.UpdateWeights;
import orrery.protocol.messages.RoleMessages.WeightInfo;
import orrery.protocol.resources.Resources;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Weights and quota over a real event bus, with a stand-in registry: loaded at start, recorded before they are
 * applied, and a refused or unrecorded update changes nothing.
 */
@ExtendWith(VertxExtension.class)
class AllocatorRolesVerticleTest {

  private static final AllocatorOptions OPTIONS = new AllocatorOptions(60_000, 5, AllocatorConfig.defaults(), 1);

  private EventBus bus;
  private final List<Object> recorded = new CopyOnWriteArrayList<>();
  private volatile boolean registryUp = true;

  @BeforeEach
  void registry(Vertx vertx) {
    bus = vertx.eventBus();
    BusCodecs.register(bus);
    bus.consumer(Addresses.REGISTRY_ROLE_CONFIG, m -> m.reply(new RoleConfig(List.of(new WeightInfo("eng", 3)),
        List.of(new QuotaConfig("eng", null, Resources.parse("cpus:2"))))));
    for (String address : List.of(Addresses.REGISTRY_UPDATE_WEIGHTS, Addresses.REGISTRY_UPDATE_QUOTA)) {
      bus.consumer(address, m -> {
        if (registryUp) {
          recorded.add(m.body());
          m.reply(null);
        } else {
          m.fail(503, "store down");
        }
      });
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private RoleConfig config() throws Exception {
    return await(bus.<RoleConfig>request(Addresses.ALLOCATOR_ROLE_CONFIG, null)).body();
  }

  private ReplyException refusal(String address, Object body) throws Exception {
    return await(bus.request(address, body).transform(r -> Future.succeededFuture(
        r.failed() ? (ReplyException) r.cause() : null)));
  }

  @Test
  void loadsTheRecordedConfigAtStart(Vertx vertx) throws Exception {
    await(vertx.deployVerticle(new AllocatorVerticle(OPTIONS)));

    assertThat(config().weights()).containsExactly(new WeightInfo("eng", 3));
    assertThat(config().quotas()).containsExactly(new QuotaConfig("eng", null, Resources.parse("cpus:2")));
  }

  @Test
  void recordsThenAppliesAndRefusesWithoutChangingAnything(Vertx vertx) throws Exception {
    await(vertx.deployVerticle(new AllocatorVerticle(OPTIONS)));
    UpdateWeights good = new UpdateWeights(List.of(new WeightInfo("ads", 2)));

    await(bus.request(Addresses.ALLOCATOR_UPDATE_WEIGHTS, good));
    ReplyException bad = refusal(Addresses.ALLOCATOR_UPDATE_WEIGHTS,
        new UpdateWeights(List.of(new WeightInfo("web", 5), new WeightInfo("-x", 1))));
    // No agent: the cluster holds nothing, so no guarantee fits.
    ReplyException tooBig = refusal(Addresses.ALLOCATOR_UPDATE_QUOTA,
        new UpdateQuota(false, List.of(new QuotaConfig("ads", Resources.parse("cpus:1"), null))));

    assertThat(recorded).containsExactly(good);
    assertThat(bad.failureCode()).isEqualTo(400);
    assertThat(bad.getMessage()).startsWith("weight_infos[1].role: ");
    assertThat(tooBig.failureCode()).isEqualTo(400);
    assertThat(tooBig.getMessage()).startsWith("quota_configs[0].guarantees: ").contains("cluster has 0.0");
    assertThat(config().weights()).containsExactly(new WeightInfo("ads", 2), new WeightInfo("eng", 3));
  }

  @Test
  void anUpdateTheRegistryDidNotRecordIsNotApplied(Vertx vertx) throws Exception {
    await(vertx.deployVerticle(new AllocatorVerticle(OPTIONS)));
    registryUp = false;

    ReplyException e = refusal(Addresses.ALLOCATOR_UPDATE_WEIGHTS,
        new UpdateWeights(List.of(new WeightInfo("ads", 2))));

    assertThat(e.failureCode()).isEqualTo(503);
    assertThat(config().weights()).containsExactly(new WeightInfo("eng", 3));
  }
}
