package orrery.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.messages.AllocatorMessages.Allocation;
import orrery.protocol.resources.Resources;
import org.junit.jupiter.api.Test;

class AllocatorScenarioTest {

  @Test
  void declineOffersHoldsSixteenCpusOnEveryAgentAndEachDeclineFiltersTheAgent() {
    AllocatorScenario scenario = AllocatorScenario.build("decline-offers", 20, 5, 1);

    assertThat(scenario.allocator.agentCount()).isEqualTo(20);
    assertThat(scenario.allocator.frameworkCount()).isEqualTo(5);
    assertThat(scenario.allocator.roles()).containsExactly("*");
    for (AgentId agent : scenario.agents) {
      Resources available = scenario.allocator.available(agent);
      assertThat(available.scalar(Resources.CPUS)).isEqualTo(8);
      assertThat(available.scalar(Resources.MEM)).isEqualTo(4096 - 2014);
      assertThat(available.ranges(Resources.PORTS).size()).isEqualTo(1001 - 16);
    }
    // DRF spreads the used resources evenly: four agents per framework.
    for (int i = 0; i < 5; i++) {
      assertThat(scenario.allocator.allocation(AllocatorScenario.framework(i)).scalar(Resources.CPUS))
          .isEqualTo(4 * 16);
    }

    // Each cycle offers every agent's free part; after five cycles every framework has declined every agent.
    for (int cycle = 0; cycle < 5; cycle++) {
      List<Allocation> offers = scenario.allocate();
      assertThat(offers).hasSize(20);
      scenario.respond(offers);
    }
    assertThat(scenario.allocate()).isEmpty();
  }

  @Test
  void scaleSpreadsFrameworksOverTenWeightedRolesAndReoffersEverythingEachCycle() {
    AllocatorScenario scenario = AllocatorScenario.build("scale", 30, 20, 1);

    assertThat(scenario.allocator.agentCount()).isEqualTo(30);
    assertThat(scenario.allocator.frameworkCount()).isEqualTo(20);
    assertThat(scenario.allocator.roles()).hasSize(10);
    assertThat(scenario.allocator.weight("role-7")).isEqualTo(7.0);
    for (int cycle = 0; cycle < 3; cycle++) {
      List<Allocation> offers = scenario.allocate();
      assertThat(offers).hasSize(30);
      scenario.respond(offers);
    }
  }

  @Test
  void quotaGivesEveryRoleItsGuaranteeEachCycle() {
    AllocatorScenario scenario = AllocatorScenario.build("quota", 4, 40, 1);

    assertThat(scenario.allocator.roles()).hasSize(40);
    assertThat(scenario.allocator.quotas()).hasSize(40);
    List<Allocation> offers = scenario.allocate();
    // Four agents of 16 cpus: 40 guarantees of one cpu in stage 1, then the rest in stage 2.
    assertThat(offers.stream().map(Allocation::role).distinct()).hasSize(40);
    assertThat(offers.stream().mapToDouble(a -> a.resources().scalar(Resources.CPUS)).sum()).isEqualTo(64);
    scenario.respond(offers);
    assertThat(scenario.allocate()).hasSameSizeAs(offers);
  }

  @Test
  void aQuotaThatDoesNotFitIsRefusedAndUnknownScenariosAreNamed() {
    assertThatThrownBy(() -> AllocatorScenario.build("quota", 1, 17, 1)).hasMessageContaining("does not fit");
    assertThatThrownBy(() -> AllocatorScenario.build("nope", 1, 1, 1)).hasMessageContaining("decline-offers");
  }

  @Test
  void medianOfEvenAndOddCounts() {
    assertThat(AllocatorBenchmark.median(new double[] {3, 1, 2})).isEqualTo(2);
    assertThat(AllocatorBenchmark.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
  }
}
