package orrery.allocator.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.AgentInfo;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskState;
import orrery.protocol.messages.AgentMessages.AgentTask;
import orrery.protocol.messages.AllocatorMessages.Allocation;
import orrery.protocol.resources.Resources;

class AllocatorTest {

  private static final FrameworkId A = FrameworkId.of("a");
  private static final FrameworkId B = FrameworkId.of("b");
  private static final String ROLE = "*";

  private final Allocator allocator = new Allocator(AllocatorConfig.defaults(), new SplittableRandom(7));

  private static AgentInfo agent(String id) {
    return new AgentInfo("host-" + id, 5051, null, null, AgentId.of(id), null);
  }

  /**
   * The example of the DRF paper (Ghodsi et al., NSDI 2011): 9 CPUs and 18 GB; user A runs tasks of <1 CPU, 4 GB>,
   * user B tasks of <3 CPUs, 1 GB>. Each framework takes one task from every offer and returns the rest unfiltered.
   */
  @Test
  void drfPaperExample() {
    allocator.addAgent(agent("s1"), Resources.cpusMem(9, 18 * 1024));
    allocator.addFramework(A, List.of(ROLE), List.of(), true);
    allocator.addFramework(B, List.of(ROLE), List.of(), true);
    Map<FrameworkId, Resources> task = Map.of(A, Resources.cpusMem(1, 4 * 1024), B, Resources.cpusMem(3, 1024));
    Map<FrameworkId, Integer> launched = new HashMap<>(Map.of(A, 0, B, 0));
    List<FrameworkId> offeredTo = new ArrayList<>();

    for (int cycle = 0; cycle < 10; cycle++) {
      List<Allocation> allocations = allocator.allocate(cycle);
      if (allocations.isEmpty()) {
        break;
      }
      Allocation offer = allocations.get(0);
      offeredTo.add(offer.frameworkId());
      Resources wanted = task.get(offer.frameworkId());
      Resources unused = offer.resources();
      if (offer.resources().contains(wanted)) {
        launched.merge(offer.frameworkId(), 1, Integer::sum);
        unused = offer.resources().minus(wanted);
      }
      allocator.recover(offer.frameworkId(), ROLE, offer.agent().id(), unused, 0.0, cycle);
    }

    // dominant shares after each launch: A 4/18 = .22 (mem); B 3/9 = .33 (cpus); A 8/18 = .44; B 6/9 = .67;
    // A 12/18 = .67. Then no cpus remain: the 4 GB left are offered in turn and fit neither user's task.
    assertThat(launched).containsEntry(A, 3).containsEntry(B, 2);
    assertThat(offeredTo.subList(0, 5)).containsExactly(A, B, A, B, A);
    assertThat(allocator.allocation(A)).isEqualTo(Resources.cpusMem(3, 12 * 1024));
    assertThat(allocator.allocation(B)).isEqualTo(Resources.cpusMem(6, 2 * 1024));
  }

  /**
   * After a master restart an agent comes back with its running tasks before their frameworks subscribe again:
   * 1 cpu and 1 GB of 4 cpus and 4 GB run a's task, so only the rest is offered, and a counts as holding it.
   */
  @Test
  void anAgentThatComesBackWithTasksOffersOnlyWhatTheyLeaveFree() {
    allocator.addAgent(agent("s1"), Resources.cpusMem(4, 4096), List.of(
        new AgentTask(A, TaskId.of("t1"), TaskState.TASK_RUNNING, ROLE, Resources.cpusMem(1, 1024)),
        new AgentTask(A, TaskId.of("t0"), TaskState.TASK_FINISHED, ROLE, Resources.cpusMem(1, 1024))));
    assertThat(allocator.hasFramework(A)).isTrue();
    assertThat(allocator.allocation(A)).isEqualTo(Resources.cpusMem(1, 1024));
    // a is not active until it subscribes again, so b gets the rest.
    assertThat(allocator.allocate(0)).isEmpty();
    allocator.addFramework(B, List.of(ROLE), List.of(), true);

    List<Allocation> offers = allocator.allocate(1);

    assertThat(offers).singleElement().satisfies(offer -> {
      assertThat(offer.frameworkId()).isEqualTo(B);
      assertThat(offer.resources()).isEqualTo(Resources.cpusMem(3, 3072));
    });
    // The task ends: its resources come back once, and a's share drops to 0 (b now holds 3/4 of the cpus).
    allocator.recover(A, ROLE, AgentId.of("s1"), Resources.cpusMem(1, 1024), null, 2);
    assertThat(allocator.allocation(A)).isEqualTo(Resources.empty());
    assertThat(allocator.available(AgentId.of("s1"))).isEqualTo(Resources.cpusMem(1, 1024));
  }

  @Test
  void offersAWholeAgentToTheLowestShareAndNeverTwice() {
    allocator.addAgent(agent("s1"), Resources.parse("cpus:4;mem:4096;ports:[31000-32000]"));
    allocator.addFramework(A, List.of(ROLE), List.of(), true);
    List<Allocation> first = allocator.allocate(0);
    assertThat(first).hasSize(1);
    assertThat(first.get(0).resources()).isEqualTo(Resources.parse("cpus:4;mem:4096;ports:[31000-32000]"));
    // Nothing is free until something is recovered.
    assertThat(allocator.allocate(1)).isEmpty();
  }

  @Test
  void declineFilterHoldsBackUntilItExpires() {
    allocator.addAgent(agent("s1"), Resources.cpusMem(4, 4096));
    allocator.addFramework(A, List.of(ROLE), List.of(), true);
    Allocation offer = allocator.allocate(0).get(0);
    allocator.recover(A, ROLE, offer.agent().id(), offer.resources(), 5.0, 0);
    assertThat(allocator.allocate(4_999)).isEmpty();
    assertThat(allocator.allocate(5_000)).hasSize(1);
  }

  @Test
  void filteredFrameworkLetsTheNextOneHaveTheAgent() {
    allocator.addAgent(agent("s1"), Resources.cpusMem(4, 4096));
    allocator.addFramework(A, List.of(ROLE), List.of(), true);
    allocator.addFramework(B, List.of(ROLE), List.of(), true);
    Allocation first = allocator.allocate(0).get(0);
    assertThat(first.frameworkId()).isEqualTo(A);
    allocator.recover(A, ROLE, first.agent().id(), first.resources(), 60.0, 0);
    Allocation second = allocator.allocate(1).get(0);
    assertThat(second.frameworkId()).isEqualTo(B);
  }

  @Test
  void filterNoLongerAppliesWhenMoreBecomesFree() {
    allocator.addAgent(agent("s1"), Resources.cpusMem(4, 4096));
    allocator.addFramework(A, List.of(ROLE), List.of(), true);
    Allocation offer = allocator.allocate(0).get(0);
    // A launches a 1-cpu task and declines the rest for an hour.
    Resources task = Resources.cpusMem(1, 1024);
    allocator.recover(A, ROLE, offer.agent().id(), offer.resources().minus(task), 3600.0, 0);
    assertThat(allocator.allocate(1)).isEmpty();
    // The task ends: 4 cpus are free again, more than what was refused.
    allocator.recover(A, ROLE, offer.agent().id(), task, null, 2);
    assertThat(allocator.allocate(3)).extracting(Allocation::resources).containsExactly(Resources.cpusMem(4, 4096));
  }

  @Test
  void refuseSecondsOfZeroSetsNoFilterAndTinyOnesLastOneInterval() {
    allocator.addAgent(agent("s1"), Resources.cpusMem(4, 4096));
    allocator.addFramework(A, List.of(ROLE), List.of(), true);
    Allocation offer = allocator.allocate(0).get(0);
    allocator.recover(A, ROLE, offer.agent().id(), offer.resources(), 0.0, 0);
    assertThat(allocator.allocate(0)).hasSize(1);
    allocator.recover(A, ROLE, offer.agent().id(), offer.resources(), 0.001, 0);
    // at least the minimum filter of 1000 ms
    assertThat(allocator.allocate(999)).isEmpty();
    assertThat(allocator.allocate(1000)).hasSize(1);
  }

  @Test
  void suppressAndRevive() {
    allocator.addAgent(agent("s1"), Resources.cpusMem(4, 4096));
    allocator.addFramework(A, List.of(ROLE), List.of(), true);
    allocator.suppress(A, List.of());
    assertThat(allocator.allocate(0)).isEmpty();
    allocator.revive(A, List.of());
    assertThat(allocator.allocate(1)).hasSize(1);
  }

  @Test
  void reviveClearsFilters() {
    allocator.addAgent(agent("s1"), Resources.cpusMem(4, 4096));
    allocator.addFramework(A, List.of(ROLE), List.of(), true);
    Allocation offer = allocator.allocate(0).get(0);
    allocator.recover(A, ROLE, offer.agent().id(), offer.resources(), 3600.0, 0);
    assertThat(allocator.allocate(1)).isEmpty();
    allocator.revive(A, List.of(ROLE));
    assertThat(allocator.allocate(2)).hasSize(1);
  }

  @Test
  void inactiveFrameworksGetNothing() {
    allocator.addAgent(agent("s1"), Resources.cpusMem(4, 4096));
    allocator.addFramework(A, List.of(ROLE), List.of(), false);
    assertThat(allocator.allocate(0)).isEmpty();
    allocator.activateFramework(A);
    assertThat(allocator.allocate(1)).hasSize(1);
  }

  @Test
  void removingAFrameworkReleasesItsResources() {
    allocator.addAgent(agent("s1"), Resources.cpusMem(4, 4096));
    allocator.addFramework(A, List.of(ROLE), List.of(), true);
    allocator.addFramework(B, List.of(ROLE), List.of(), true);
    assertThat(allocator.allocate(0).get(0).frameworkId()).isEqualTo(A);
    allocator.removeFramework(A);
    List<Allocation> next = allocator.allocate(1);
    assertThat(next).extracting(Allocation::frameworkId).containsExactly(B);
    assertThat(next.get(0).resources()).isEqualTo(Resources.cpusMem(4, 4096));
  }

  @Test
  void removingAnAgentForgetsItsAllocations() {
    allocator.addAgent(agent("s1"), Resources.cpusMem(4, 4096));
    allocator.addFramework(A, List.of(ROLE), List.of(), true);
    allocator.allocate(0);
    allocator.removeAgent(AgentId.of("s1"));
    assertThat(allocator.allocation(A)).isEqualTo(Resources.empty());
    assertThat(allocator.frameworkShare(A, ROLE)).isZero();
    // Recovering on a removed agent is harmless.
    allocator.recover(A, ROLE, AgentId.of("s1"), Resources.cpusMem(4, 4096), 5.0, 1);
    assertThat(allocator.allocate(2)).isEmpty();
  }

  @Test
  void recoveringMoreThanIsHeldFreesOnlyWhatIsHeld() {
    allocator.addAgent(agent("s1"), Resources.cpusMem(4, 4096));
    allocator.addFramework(A, List.of(ROLE), List.of(), true);
    Allocation offer = allocator.allocate(0).get(0);
    allocator.recover(A, ROLE, offer.agent().id(), offer.resources(), null, 0);
    // A second recovery of the same offer finds nothing held: the agent never has more free than it has.
    allocator.recover(A, ROLE, offer.agent().id(), offer.resources(), null, 0);
    assertThat(allocator.allocation(A)).isEqualTo(Resources.empty());
    assertThat(allocator.available(AgentId.of("s1"))).isEqualTo(Resources.cpusMem(4, 4096));
    assertThat(allocator.frameworkShare(A, ROLE)).isZero();
  }

  @Test
  void crumbsAreNotOffered() {
    allocator.addAgent(agent("s1"), Resources.parse("cpus:1;mem:64;ports:[31000-31001]"));
    allocator.addFramework(A, List.of(ROLE), List.of(), true);
    Allocation offer = allocator.allocate(0).get(0);
    // A keeps the cpus and mem; only ports are left, which nobody can run anything with.
    allocator.recover(A, ROLE, offer.agent().id(), Resources.parse("ports:[31000-31001]"), null, 0);
    allocator.addFramework(B, List.of(ROLE), List.of(), true);
    assertThat(allocator.allocate(1)).isEmpty();
  }

  @Test
  void rolesAreSharedFairlyBeforeFrameworks() {
    // Role r1 has two frameworks, r2 one. Four equal agents: DRF across roles gives each role two agents.
    for (int i = 0; i < 4; i++) {
      allocator.addAgent(agent("s" + i), Resources.cpusMem(1, 1024));
    }
    FrameworkId c = FrameworkId.of("c");
    allocator.addFramework(A, List.of("r1"), List.of(), true);
    allocator.addFramework(B, List.of("r1"), List.of(), true);
    allocator.addFramework(c, List.of("r2"), List.of(), true);
    allocator.allocate(0);
    // shares: r1 = 2/4 = .5, r2 = 2/4 = .5; within r1, a and b one agent each.
    assertThat(allocator.roleShare("r1")).isEqualTo(0.5);
    assertThat(allocator.roleShare("r2")).isEqualTo(0.5);
    assertThat(allocator.allocation(A)).isEqualTo(Resources.cpusMem(1, 1024));
    assertThat(allocator.allocation(B)).isEqualTo(Resources.cpusMem(1, 1024));
    assertThat(allocator.allocation(c)).isEqualTo(Resources.cpusMem(2, 2048));
  }

  @Test
  void roleWeightsSkewTheSplit() {
    for (int i = 0; i < 3; i++) {
      allocator.addAgent(agent("s" + i), Resources.cpusMem(1, 1024));
    }
    allocator.setWeight("big", 2.0);
    allocator.addFramework(A, List.of("big"), List.of(), true);
    allocator.addFramework(B, List.of("small"), List.of(), true);
    allocator.allocate(0);
    // weighted shares: big 2/3 / 2 = .33, small 1/3 = .33 — big gets two agents, small one.
    assertThat(allocator.allocation(A)).isEqualTo(Resources.cpusMem(2, 2048));
    assertThat(allocator.allocation(B)).isEqualTo(Resources.cpusMem(1, 1024));
  }

  @Test
  void drainingAgentIsNotOffered() {
    allocator.addAgent(agent("s1"), Resources.cpusMem(4, 4096));
    allocator.addFramework(A, List.of(ROLE), List.of(), true);
    allocator.deactivateAgent(AgentId.of("s1"));
    assertThat(allocator.allocate(0)).isEmpty();
  }
}
