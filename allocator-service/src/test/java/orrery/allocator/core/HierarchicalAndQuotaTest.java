package orrery.allocator.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.AgentInfo;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.messages.AllocatorMessages.Allocation;
import orrery.protocol.resources.Resources;

/**
 * Hierarchical roles, weights, quota guarantees and limits, min_allocatable and agent changes, with hand-computed
 * expectations. Where a cycle walks several agents (in a random order) they are identical, so the amounts do not
 * depend on the order.
 */
class HierarchicalAndQuotaTest {

  private static final FrameworkId A = FrameworkId.of("ads");
  private static final FrameworkId S = FrameworkId.of("search");
  private static final FrameworkId O = FrameworkId.of("ops");
  private static final FrameworkId Q = FrameworkId.of("q");
  private static final FrameworkId R = FrameworkId.of("r");

  private final Allocator allocator = new Allocator(AllocatorConfig.defaults(), new SplittableRandom(7));

  private static AgentInfo agent(String id) {
    return new AgentInfo("host-" + id, 5051, null, null, AgentId.of(id), null);
  }

  private static Resources r(String text) {
    return Resources.parse(text);
  }

  private void framework(FrameworkId id, String... roles) {
    allocator.addFramework(id, List.of(roles), List.of(), true);
  }

  private void agents(int count, String resources) {
    for (int i = 0; i < count; i++) {
      allocator.addAgent(agent("s" + i), r(resources));
    }
  }

  // ---- hierarchical DRF ----

  @Test
  void aSubtreeCompetesWithItsSiblingsBeforeItsChildrenShare() {
    agents(4, "cpus:1;mem:1024");
    framework(A, "eng/ads");
    framework(S, "eng/search");
    framework(O, "ops");
    allocator.allocate(0);
    // Each agent is a quarter of the cluster. At the root, eng (its whole subtree) competes with ops:
    //   1st: eng = 0, ops = 0, tie -> eng by name; inside eng: ads = 0, search = 0 -> ads.   eng = .25
    //   2nd: ops = 0 < eng = .25 -> ops.                                                     ops = .25
    //   3rd: eng = .25 (1 alloc) = ops = .25 (1 alloc) -> eng by name; ads = .25 > search = 0 -> search. eng = .5
    //   4th: ops = .25 < eng = .5 -> ops.
    // (Flat DRF over the three leaves would have given ads a second agent instead of ops.)
    assertThat(allocator.allocation(A)).isEqualTo(r("cpus:1;mem:1024"));
    assertThat(allocator.allocation(S)).isEqualTo(r("cpus:1;mem:1024"));
    assertThat(allocator.allocation(O)).isEqualTo(r("cpus:2;mem:2048"));
    // shares: eng = 2/4 = .5 (subtree), eng/ads = .25, ops = .5
    assertThat(allocator.roleShare("eng/ads")).isEqualTo(0.25);
    assertThat(allocator.roleShare("ops")).isEqualTo(0.5);
  }

  @Test
  void aWeightOnAnInnerNodeScalesItsWholeSubtreeButNotItsChildren() {
    agents(4, "cpus:1;mem:1024");
    allocator.setWeight("eng", 3);
    framework(A, "eng/ads");
    framework(S, "eng/search");
    framework(O, "ops");
    allocator.allocate(0);
    // eng's subtree share is divided by 3:
    //   1st: eng = 0 = ops -> eng by name -> ads.                         eng = .25 / 3 = .083
    //   2nd: ops = 0 < eng = .083 -> ops.                                 ops = .25
    //   3rd: eng = .083 < ops = .25 -> eng: ads = .25 > search = 0 -> search. eng = .5 / 3 = .167
    //   4th: eng = .167 < ops = .25 -> eng: ads = .25 = search = .25, one alloc each -> ads by name.
    // ads and search still compete at weight 1 inside eng.
    assertThat(allocator.allocation(A)).isEqualTo(r("cpus:2;mem:2048"));
    assertThat(allocator.allocation(S)).isEqualTo(r("cpus:1;mem:1024"));
    assertThat(allocator.allocation(O)).isEqualTo(r("cpus:1;mem:1024"));
    assertThat(allocator.weight("eng")).isEqualTo(3.0);
    assertThat(allocator.weight("eng/ads")).isEqualTo(1.0);
    // eng's share is (subtree) .75 / 3 = .25 (it has no framework of its own, so it is not a role with a share:
    // roleShare reports the roles that have frameworks); ads = .5 at weight 1; ops = .25
    assertThat(allocator.roleShare("eng/ads")).isEqualTo(0.5);
    assertThat(allocator.roleShare("ops")).isEqualTo(0.25);
  }

  @Test
  void aRoleWithChildrenIsAVirtualLeafAtWeightOneAmongThem() {
    // Through the allocator: framework E in "eng", A in "eng/ads"; eng weighs 2.
    FrameworkId e = FrameworkId.of("eng-fw");
    agents(4, "cpus:1;mem:1024");
    allocator.setWeight("eng", 2);
    framework(e, "eng");
    framework(A, "eng/ads");
    framework(O, "ops");
    allocator.allocate(0);
    // root: eng (subtree, weight 2) vs ops; inside eng: the virtual leaf "eng" (weight 1) vs "eng/ads".
    //   1st: eng = 0 = ops -> eng; inside: "eng" = 0, "eng/ads" = 0 -> "eng" by name.    eng = .25/2 = .125
    //   2nd: ops = 0 < .125 -> ops.                                                     ops = .25
    //   3rd: eng = .125 < ops = .25 -> eng; inside: "eng" = .25 > "eng/ads" = 0 -> ads.   eng = .5/2 = .25
    //   4th: eng = .25 = ops = .25, eng has 2 allocations, ops 1 -> ops.
    assertThat(allocator.allocation(e)).isEqualTo(r("cpus:1;mem:1024"));
    assertThat(allocator.allocation(A)).isEqualTo(r("cpus:1;mem:1024"));
    assertThat(allocator.allocation(O)).isEqualTo(r("cpus:2;mem:2048"));
    // roleShare("eng") is the subtree's, weighted: .5 / 2 = .25
    assertThat(allocator.roleShare("eng")).isEqualTo(0.25);
  }

  @Test
  void theVirtualLeafIsNotWeightedByItsNodesWeight() {
    ScalarPool pool = new ScalarPool();
    pool.add(r("cpus:10;mem:10"));
    DrfSorter sorter = new DrfSorter(pool, Set.of());
    sorter.add("eng");
    sorter.add("eng/ads");
    sorter.add("ops");
    sorter.setWeight("eng", 2);
    sorter.allocated("eng", r("cpus:2"));
    sorter.allocated("eng/ads", r("cpus:3"));
    sorter.allocated("ops", r("cpus:4"));
    // root: eng = (2 + 3) / 10 / 2 = .25 < ops = .4; inside eng: leaf "eng" = .2 (weight 1, not 2: it would be .1)
    // < "eng/ads" = .3
    assertThat(sorter.share("eng")).isCloseTo(0.25, within(1e-12));
    assertThat(sorter.sort()).containsExactly("eng", "eng/ads", "ops");
    sorter.setWeight("eng/ads", 2);
    // "eng/ads" = .3 / 2 = .15 < leaf "eng" = .2 (were the leaf weighted by eng's 2, it would be .1 and stay first)
    assertThat(sorter.sort()).containsExactly("eng/ads", "eng", "ops");
    sorter.unallocated("ops", r("cpus:3"));
    // ops = .1 < eng = .25
    assertThat(sorter.sort()).containsExactly("ops", "eng/ads", "eng");
  }

  // ---- quota: guarantees ----

  @Test
  void aGuaranteeIsMetFirstEvenWhenTheRoleHasTheHigherShare() {
    allocator.addAgent(agent("s1"), r("cpus:4;mem:4096"));
    framework(Q, "q");
    framework(R, "r");
    allocator.allocate(0); // q and r tie at 0: q by name gets s1 whole, and keeps it
    allocator.addAgent(agent("s2"), r("cpus:4;mem:4096"));
    Quota quota = new Quota(r("cpus:6;mem:6144"), null);
    assertThat(allocator.quotaProblem("q", quota)).isNull(); // 6 of 8 cpus, 6144 of 8192 mem
    allocator.setQuota("q", quota);
    // shares: q = 4/8 = .5, r = 0, so by DRF alone r would get s2 whole. But q's guarantee is unmet by
    // cpus:2;mem:2048: stage 1 offers it exactly that of s2; stage 2 gives r the rest.
    List<Allocation> allocations = allocator.allocate(1);
    assertThat(allocations).extracting(Allocation::frameworkId).containsExactly(Q, R);
    assertThat(allocations.get(0).resources()).isEqualTo(r("cpus:2;mem:2048"));
    assertThat(allocations.get(1).resources()).isEqualTo(r("cpus:2;mem:2048"));
    // shares now: q = 6/8 = .75, r = .25
    assertThat(allocator.roleShare("q")).isEqualTo(0.75);
    assertThat(allocator.roleShare("r")).isEqualTo(0.25);
  }

  @Test
  void aGuaranteeOnAParentIsMetThroughItsChildren() {
    allocator.addAgent(agent("s1"), r("cpus:2;mem:2048"));
    framework(A, "eng/ads");
    allocator.allocate(0); // ads alone: s1 whole
    framework(O, "ops");
    allocator.addAgent(agent("s2"), r("cpus:4;mem:4096"));
    allocator.setQuota("eng", new Quota(r("cpus:4;mem:4096"), null));
    // eng's subtree holds cpus:2;mem:2048 (share 2/6 = .33 > ops = 0): unmet cpus:2;mem:2048.
    // Stage 1 offers eng/ads (below an ancestor's guarantee) that much of s2; stage 2 gives ops the rest.
    List<Allocation> allocations = allocator.allocate(1);
    assertThat(allocations).extracting(Allocation::frameworkId).containsExactly(A, O);
    assertThat(allocations.get(0).role()).isEqualTo("eng/ads");
    assertThat(allocations.get(0).resources()).isEqualTo(r("cpus:2;mem:2048"));
    assertThat(allocations.get(1).resources()).isEqualTo(r("cpus:2;mem:2048"));
  }

  @Test
  void stageOneCapsTheGuaranteedKindsAndOffersTheOtherKindsWhole() {
    allocator.addAgent(agent("s1"), r("cpus:4;mem:4096;ports:[31000-31009]"));
    framework(R, "r");
    framework(Q, "q");
    allocator.setQuota("q", new Quota(r("cpus:1"), null));
    // Stage 1: q gets cpus capped at its unmet 1, and mem and ports whole (it has no guarantee of them).
    // Stage 2: r = 0 < q: r gets the 3 cpus left (no unmet guarantee, so no headroom is held back).
    List<Allocation> allocations = allocator.allocate(0);
    assertThat(allocations).extracting(Allocation::frameworkId).containsExactly(Q, R);
    assertThat(allocations.get(0).resources()).isEqualTo(r("cpus:1;mem:4096;ports:[31000-31009]"));
    assertThat(allocations.get(1).resources()).isEqualTo(r("cpus:3"));
  }

  @Test
  void headroomForAnUnmetGuaranteeIsHeldBackFromOtherRoles() {
    allocator.addAgent(agent("s1"), r("cpus:4;mem:4096"));
    framework(R, "r");
    allocator.setQuota("q", new Quota(r("cpus:2"), null)); // q has no framework yet
    // required headroom: cpus 2. r may take cpus only down to 2 unallocated: 4 - 2 = 2; mem is not guaranteed.
    List<Allocation> allocations = allocator.allocate(0);
    assertThat(allocations).extracting(Allocation::resources).containsExactly(r("cpus:2;mem:4096"));
    // cpus:2 left: allocatable, but r is capped to 2 - 2 = 0 of them, and nothing else is left.
    assertThat(allocator.available(AgentId.of("s1"))).isEqualTo(r("cpus:2"));
    assertThat(allocator.allocate(1)).isEmpty();
    // q's framework arrives: stage 1 gives it its 2 cpus.
    framework(Q, "q");
    assertThat(allocator.allocate(2)).extracting(Allocation::frameworkId, Allocation::resources)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(Q, r("cpus:2")));
  }

  @Test
  void removingAQuotaReleasesItsHeadroom() {
    allocator.addAgent(agent("s1"), r("cpus:4;mem:4096"));
    framework(R, "r");
    allocator.setQuota("q", new Quota(r("cpus:3"), r("cpus:3")));
    // headroom cpus 3: r gets 4 - 3 = 1 cpu and all the mem
    assertThat(allocator.allocate(0)).extracting(Allocation::resources).containsExactly(r("cpus:1;mem:4096"));
    assertThat(allocator.quotaProblem("q", Quota.NONE)).isNull();
    allocator.setQuota("q", Quota.NONE);
    assertThat(allocator.quotas()).isEmpty();
    // nothing held back any more: r gets the 3 cpus
    assertThat(allocator.allocate(1)).extracting(Allocation::resources).containsExactly(r("cpus:3"));
    assertThat(allocator.allocation(R)).isEqualTo(r("cpus:4;mem:4096"));
  }

  /**
   * Both guarantees fit the cluster (quotaProblem is null), yet c's stage-1 offer carries all 4 cpus, which c has no
   * guarantee for, would leave q's cpus:1 guarantee never met. As in Mesos, the non-guaranteed kinds of a stage-1
   * offer are capped by the headroom the other roles' unmet guarantees need: c cpus:3;mem:4096, q cpus:1.
   */
  @Test
  void stageOneShouldLeaveTheHeadroomOtherGuaranteesNeed() {
    allocator.addAgent(agent("s1"), r("cpus:4;mem:4096"));
    FrameworkId c = FrameworkId.of("c");
    framework(c, "c");
    framework(Q, "q");
    allocator.setQuota("q", new Quota(r("cpus:1"), null));
    allocator.setQuota("c", new Quota(r("mem:4096"), null));
    allocator.allocate(0);
    assertThat(allocator.allocation(c)).isEqualTo(r("cpus:3;mem:4096"));
    assertThat(allocator.allocation(Q)).isEqualTo(r("cpus:1"));
  }

  /**
   * A guarantee on a kind that no free agent has (the only gpu is held by
   * r) keeps q "below its guarantee", and stage 1 then hands q every agent whole ahead of DRF, although none of it
   * helps the guarantee. Expected (Mesos: stage 1 allocates only when some guaranteed kind is offered): stage 2 by
   * DRF, q and t one agent each.
   */
  @Test
  void aGuaranteeNoFreeAgentCanHelpDoesNotTakeAgentsAheadOfFairShare() {
    allocator.addAgent(agent("g"), r("cpus:1;mem:1024;gpus:1"));
    allocator.addFramework(R, List.of("r"), List.of(), true, Map.of(), true); // GPU_RESOURCES: may have the gpu
    allocator.allocate(0); // r holds the only gpu
    allocator.addAgent(agent("s1"), r("cpus:4;mem:4096"));
    allocator.addAgent(agent("s2"), r("cpus:4;mem:4096"));
    FrameworkId t = FrameworkId.of("t");
    framework(Q, "q");
    framework(t, "t");
    allocator.setQuota("q", new Quota(r("gpus:1"), null)); // 1 of the cluster's 1 gpu: no problem
    allocator.allocate(1);
    // q = t = 0: q by name gets one agent, then t = 0 < q = 4/9 gets the other
    assertThat(allocator.allocation(Q)).isEqualTo(r("cpus:4;mem:4096"));
    assertThat(allocator.allocation(t)).isEqualTo(r("cpus:4;mem:4096"));
  }

  // ---- quota: limits ----

  @Test
  void aLimitCapsTheOfferAndTheAgentIsSplitWithTheNextRole() {
    allocator.addAgent(agent("s1"), r("cpus:4;mem:4096"));
    allocator.setQuota("l", new Quota(null, r("cpus:1;mem:1024")));
    FrameworkId l = FrameworkId.of("l");
    FrameworkId m = FrameworkId.of("m");
    framework(l, "l");
    // l alone: capped at its limit, the rest stays unallocated (l has no room left: 1 - 1 = 0)
    assertThat(allocator.allocate(0)).extracting(Allocation::resources).containsExactly(r("cpus:1;mem:1024"));
    assertThat(allocator.allocate(1)).isEmpty();
    assertThat(allocator.available(AgentId.of("s1"))).isEqualTo(r("cpus:3;mem:3072"));
    framework(m, "m");
    allocator.recover(l, "l", AgentId.of("s1"), r("cpus:1;mem:1024"), null, 2);
    // l = 0 (1 allocation), m = 0 (0 allocations) -> m first; it has no limit: the whole agent.
    List<Allocation> allocations = allocator.allocate(3);
    assertThat(allocations).extracting(Allocation::frameworkId, Allocation::resources)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(m, r("cpus:4;mem:4096")));
    allocator.recover(m, "m", AgentId.of("s1"), r("cpus:4;mem:4096"), null, 4);
    allocations = allocator.allocate(4);
    // l = m = 0, one allocation each -> l by name, capped at cpus:1;mem:1024; then l = .25 > m = 0 -> m gets
    // the rest: one agent split between two roles in one cycle.
    assertThat(allocations).extracting(Allocation::frameworkId).containsExactly(l, m);
    assertThat(allocator.allocation(l)).isEqualTo(r("cpus:1;mem:1024"));
    assertThat(allocator.allocation(m)).isEqualTo(r("cpus:3;mem:3072"));
    assertThat(allocator.available(AgentId.of("s1"))).isEqualTo(Resources.empty());
  }

  @Test
  void aLimitOnAParentCapsItsChildren() {
    allocator.addAgent(agent("s1"), r("cpus:4;mem:4096"));
    allocator.setQuota("eng", new Quota(null, r("cpus:1")));
    framework(A, "eng/ads");
    framework(O, "ops");
    List<Allocation> allocations = allocator.allocate(0);
    // eng first (by name, both 0): eng/ads capped by eng's limit to 1 cpu, mem unlimited: cpus:1;mem:4096.
    // Then eng = max(1/4, 4096/4096) = 1 > ops = 0: ops gets the 3 cpus left.
    assertThat(allocations).extracting(Allocation::frameworkId, Allocation::resources).containsExactly(
        org.assertj.core.groups.Tuple.tuple(A, r("cpus:1;mem:4096")),
        org.assertj.core.groups.Tuple.tuple(O, r("cpus:3")));
  }

  // ---- min_allocatable ----

  @Test
  void minAllocatableSkipsAFrameworkUnderOneRoleOnly() {
    allocator.addAgent(agent("s1"), r("cpus:1;mem:1024"));
    FrameworkId f = FrameworkId.of("f");
    allocator.addFramework(f, List.of("r", "s"), List.of(), true, Map.of("r", List.of(r("cpus:2"))));
    // role r first (both 0, "r" < "s"): cpus:1;mem:1024 does not contain cpus:2, and r has no other framework;
    // role s has no minimum: f gets the agent under s.
    List<Allocation> allocations = allocator.allocate(0);
    assertThat(allocations).extracting(Allocation::role).containsExactly("s");
    allocator.recover(f, "s", AgentId.of("s1"), r("cpus:1;mem:1024"), null, 0);

    // a second framework in r without a minimum: r = 0 (0 allocations) < s = 0 (1 allocation) -> r; f is skipped
    // there, g takes the agent under r.
    FrameworkId g = FrameworkId.of("g");
    allocator.addFramework(g, List.of("r"), List.of(), true);
    allocations = allocator.allocate(1);
    assertThat(allocations).extracting(Allocation::frameworkId, Allocation::role)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(g, "r"));
    allocator.recover(g, "r", AgentId.of("s1"), r("cpus:1;mem:1024"), null, 1);

    // alternatives: f's minimum for r becomes "cpus:2 or mem:1024"; the second is met. Shares all 0, r has 1
    // allocation and s 1 -> r by name; inside r: f (0 allocations) < g (1) -> f under r.
    allocator.addFramework(f, List.of("r", "s"), List.of(), true,
        Map.of("r", List.of(r("cpus:2"), r("mem:1024"))));
    allocations = allocator.allocate(2);
    assertThat(allocations).extracting(Allocation::frameworkId, Allocation::role)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(f, "r"));
  }

  // ---- frameworks are not a hierarchy ----

  /**
   * The frameworks of a role are sorted by a flat {@link DrfSorter}: framework ids are opaque strings (a framework
   * may subscribe with an id of its own choosing), so "x" and "x/y" must not form a subtree competing with "z".
   */
  @Test
  void frameworkIdsWithASlashAreNotAHierarchy() {
    FrameworkId x = FrameworkId.of("x");
    FrameworkId xy = FrameworkId.of("x/y");
    FrameworkId z = FrameworkId.of("z");
    agents(4, "cpus:1;mem:1024");
    framework(x, "r");
    framework(xy, "r");
    framework(z, "r");
    allocator.allocate(0);
    // One role; flat DRF over x, x/y, z with identical quarter-cluster agents:
    //   1st: all 0 -> x (name); 2nd: x/y, z at 0 -> x/y; 3rd: z; 4th: all .25 with one allocation -> x.
    // (As a tree: "x" and "x/y" share a subtree, z gets the 2nd and the 4th agent, and x's share reads .5.)
    assertThat(allocator.allocation(x)).isEqualTo(r("cpus:2;mem:2048"));
    assertThat(allocator.allocation(xy)).isEqualTo(r("cpus:1;mem:1024"));
    assertThat(allocator.allocation(z)).isEqualTo(r("cpus:1;mem:1024"));
    // shares: x = 2/4 = .5, x/y = .25 -- x's own, not its "subtree's" with x/y (which would be .75)
    assertThat(allocator.frameworkShare(x, "r")).isEqualTo(0.5);
    assertThat(allocator.frameworkShare(xy, "r")).isEqualTo(0.25);
  }

  // ---- agents changing ----

  @Test
  void updatingAnAgentChangesTotalsAndShares() {
    FrameworkId a = FrameworkId.of("a");
    FrameworkId b = FrameworkId.of("b");
    AgentId s1 = AgentId.of("s1");
    allocator.addAgent(agent("s1"), r("cpus:4;mem:4096"));
    framework(a, "a");
    allocator.allocate(0);
    assertThat(allocator.roleShare("a")).isEqualTo(1.0); // 4/4
    allocator.updateAgent(s1, r("cpus:8;mem:8192"));
    // a = 4/8 = .5; the other half is free
    assertThat(allocator.roleShare("a")).isEqualTo(0.5);
    assertThat(allocator.available(s1)).isEqualTo(r("cpus:4;mem:4096"));
    framework(b, "b");
    assertThat(allocator.allocate(1)).extracting(Allocation::frameworkId, Allocation::resources)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(b, r("cpus:4;mem:4096")));
    // shrink back: both hold 4 of 4: shares 1 and 1, nothing free, nothing offered
    allocator.updateAgent(s1, r("cpus:4;mem:4096"));
    assertThat(allocator.roleShare("a")).isEqualTo(1.0);
    assertThat(allocator.roleShare("b")).isEqualTo(1.0);
    assertThat(allocator.available(s1)).isEqualTo(Resources.empty());
    assertThat(allocator.allocate(2)).isEmpty();
    // a gives back its 4: b still holds the whole (smaller) total, so still nothing is free
    allocator.recover(a, "a", s1, r("cpus:4;mem:4096"), null, 3);
    assertThat(allocator.available(s1)).isEqualTo(Resources.empty());
    assertThat(allocator.allocate(3)).isEmpty();
    allocator.recover(b, "b", s1, r("cpus:4;mem:4096"), null, 4);
    // a = b = 0, one allocation each -> a by name
    assertThat(allocator.allocate(4)).extracting(Allocation::frameworkId).containsExactly(a);
  }

  @Test
  void aDeactivatedAgentKeepsItsAllocationsAndIsOfferedAgainOnceActive() {
    FrameworkId a = FrameworkId.of("a");
    allocator.addAgent(agent("s1"), r("cpus:4;mem:4096"));
    allocator.addAgent(agent("s2"), r("cpus:2;mem:2048"));
    framework(a, "a");
    allocator.deactivateAgent(AgentId.of("s2"));
    assertThat(allocator.allocate(0)).extracting(Allocation::resources).containsExactly(r("cpus:4;mem:4096"));
    assertThat(allocator.available(AgentId.of("s2"))).isEqualTo(r("cpus:2;mem:2048"));
    // its resources still count in the pool: a = 4/6
    assertThat(allocator.roleShare("a")).isCloseTo(4.0 / 6, within(1e-12));
    allocator.activateAgent(AgentId.of("s2"));
    assertThat(allocator.allocate(1)).extracting(Allocation::resources).containsExactly(r("cpus:2;mem:2048"));
    // draining s1 keeps what a holds there; what a gives back is not offered while s1 is inactive
    allocator.deactivateAgent(AgentId.of("s1"));
    assertThat(allocator.allocation(a)).isEqualTo(r("cpus:6;mem:6144"));
    allocator.recover(a, "a", AgentId.of("s1"), r("cpus:4;mem:4096"), null, 2);
    assertThat(allocator.allocate(2)).isEmpty();
    // the agent registers again: active, offered
    allocator.addAgent(agent("s1"), r("cpus:4;mem:4096"));
    assertThat(allocator.allocate(3)).extracting(Allocation::resources).containsExactly(r("cpus:4;mem:4096"));
  }

  // ---- validation ----

  @Test
  void quotaAndWeightValidation() {
    allocator.addAgent(agent("s1"), r("cpus:4;mem:4096"));
    assertThatThrownBy(() -> new Quota(r("cpus:2"), r("cpus:1"))).isInstanceOf(IllegalArgumentException.class);
    assertThat(new Quota(r("cpus:1"), r("cpus:1")).guarantees()).isEqualTo(r("cpus:1")); // equal is fine
    // guarantees beyond the cluster's 4 cpus
    assertThat(allocator.quotaProblem("q", new Quota(r("cpus:4.001"), null))).isNotNull();
    assertThat(allocator.quotaProblem("q", new Quota(r("cpus:4"), null))).isNull();
    assertThat(allocator.quotaProblem("q", new Quota(r("gpus:1"), null))).isNotNull(); // none in the cluster
    // limits may exceed the cluster
    assertThat(allocator.quotaProblem("q", new Quota(null, r("cpus:100")))).isNull();
    allocator.setQuota("q", new Quota(r("cpus:3"), null));
    // 3 + 2 > 4 for another role; replacing q's own 3 by 4 fits
    assertThat(allocator.quotaProblem("p", new Quota(r("cpus:2"), null))).isNotNull();
    assertThat(allocator.quotaProblem("p", new Quota(r("cpus:1"), null))).isNull();
    assertThat(allocator.quotaProblem("q", new Quota(r("cpus:4"), null))).isNull();
    for (String bad : List.of("", "/a", "a/", "a//b", "a/./b", "..", "-a", "a/*", "a b", "a\\b")) {
      assertThat(allocator.quotaProblem(bad, new Quota(null, r("cpus:1")))).as("role '%s'", bad).isNotNull();
      assertThatThrownBy(() -> allocator.setQuota(bad, Quota.NONE)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> allocator.setWeight(bad, 2)).isInstanceOf(IllegalArgumentException.class);
    }
    allocator.setWeight("w", 2);
    for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
      assertThatThrownBy(() -> allocator.setWeight("w", bad)).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(allocator.weight("w")).isEqualTo(2.0);
    assertThat(allocator.weights()).isEqualTo(Map.of("w", 2.0));
  }

  // ---- GPUs ----

  @Test
  void agentsWithGpusAreOfferedOnlyToFrameworksWithTheGpuResourcesCapability() {
    allocator.addAgent(agent("gpu"), r("cpus:4;mem:4096;gpus:1"));
    allocator.addAgent(agent("cpu"), r("cpus:4;mem:4096"));
    FrameworkId plain = FrameworkId.of("plain");
    FrameworkId gpu = FrameworkId.of("gpu-aware");
    allocator.addFramework(plain, List.of("r"), List.of(), true, Map.of(), false);
    List<Allocation> first = allocator.allocate(0);
    // only the CPU agent: plain lacks GPU_RESOURCES
    assertThat(first).extracting(a -> a.agent().id().value()).containsExactly("cpu");
    allocator.addFramework(gpu, List.of("r"), List.of(), true, Map.of(), true);
    assertThat(allocator.allocate(1)).singleElement().satisfies(a -> {
      assertThat(a.frameworkId()).isEqualTo(gpu);
      assertThat(a.agent().id().value()).isEqualTo("gpu");
    });
  }
}
