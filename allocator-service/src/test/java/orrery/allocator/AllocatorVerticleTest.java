package orrery.allocator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import orrery.allocator.core.AllocatorConfig;
import orrery.protocol.bus.Addresses;
import orrery.protocol.bus.BusCodecs;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.AgentInfo;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.messages.AgentMessages.AddAgent;
import orrery.protocol.messages.AllocatorMessages.AddFramework;
import orrery.protocol.messages.AllocatorMessages.Allocation;
import orrery.protocol.messages.AllocatorMessages.Allocations;
import orrery.protocol.messages.AllocatorMessages.RecoverResources;
import orrery.protocol.resources.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The verticle over a real event bus: messages in, one batch of allocations out per cycle. */
@ExtendWith(VertxExtension.class)
class AllocatorVerticleTest {

  private static final AgentInfo AGENT = new AgentInfo("node", 5051, null, null, AgentId.of("S1"), null);
  private static final FrameworkId F = FrameworkId.of("F");

  @Test
  void aBurstOfTriggersAllocatesOnceAndDeclinedResourcesComeBack(Vertx vertx, VertxTestContext test)
      throws Exception {
    BusCodecs.register(vertx.eventBus());
    List<Allocations> received = new CopyOnWriteArrayList<>();
    vertx.eventBus().<Allocations>consumer(Addresses.OFFERS_ALLOCATIONS, m -> {
      received.add(m.body());
      m.reply(null);
      if (received.size() == 1) {
        // Give everything back unfiltered: the next triggered cycle offers it again.
        Allocation a = m.body().allocations().get(0);
        vertx.eventBus().send(Addresses.ALLOCATOR_RECOVER,
            new RecoverResources(a.frameworkId(), a.role(), a.agent().id(), a.resources(), 0.0));
      } else {
        test.completeNow();
      }
    });
    // A long interval: only triggers run cycles here.
    AllocatorOptions options = new AllocatorOptions(60_000, 20, AllocatorConfig.defaults(), 1);
    vertx.deployVerticle(new AllocatorVerticle(options))
        .compose(id -> vertx.eventBus().request(Addresses.ALLOCATOR_ADD_AGENT,
            new AddAgent(AGENT, Resources.cpusMem(2, 1024), List.of(), false)))
        .compose(r -> vertx.eventBus().request(Addresses.ALLOCATOR_ADD_FRAMEWORK,
            new AddFramework(F, List.of("*"), List.of(), true)))
        .onFailure(test::failNow);

    assertThat(test.awaitCompletion(30, TimeUnit.SECONDS)).isTrue();
    // add-agent and add-framework arrived within one trigger delay: one cycle, one allocation.
    assertThat(received.get(0).allocations()).hasSize(1);
    assertThat(received.get(0).allocations().get(0).resources()).isEqualTo(Resources.cpusMem(2, 1024));
    assertThat(received.get(1).allocations().get(0).frameworkId()).isEqualTo(F);
  }
}
