package orrery.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import orrery.cli.cluster.CpMembership.Nothing;
import orrery.cli.cluster.CpMembership.PromoteSelf;
import orrery.cli.cluster.CpMembership.Remove;
import org.junit.jupiter.api.Test;

class CpMembershipTest {

  private static final UUID A = new UUID(0, 1);
  private static final UUID B = new UUID(0, 2);
  private static final UUID C = new UUID(0, 3);
  private static final UUID D = new UUID(0, 4);
  private static final UUID E = new UUID(0, 5);
  private static final UUID F = new UUID(0, 6);

  private static CpMembership.Step<UUID> step(List<UUID> members, Set<UUID> cp, UUID local) {
    return CpMembership.step(members, cp, Set.of(), local, 3);
  }

  @Test
  void nothingIsDoneWhileEveryCpMemberIsAlive() {
    List<UUID> members = List.of(A, B, C, D, E);
    for (UUID member : members) {
      assertThat(step(members, Set.of(A, B, C), member)).as(member.toString()).isEqualTo(new Nothing<UUID>());
    }
  }

  @Test
  void aCpMemberThatLeftIsReplacedFirstThenRemovedByTheOldestMember() {
    // B died: the CP subsystem still lists it, the member list no longer does.
    List<UUID> members = List.of(A, C, D, E);
    assertThat(step(members, Set.of(A, B, C), D)).isEqualTo(new PromoteSelf<UUID>());
    assertThat(step(members, Set.of(A, B, C), E)).isEqualTo(new Nothing<UUID>());
    // Not removed yet: its groups would run one short until D is promoted.
    assertThat(step(members, Set.of(A, B, C), A)).isEqualTo(new Nothing<UUID>());

    // D promoted: A, the oldest member, removes B, and D takes its seats.
    assertThat(step(members, Set.of(A, B, C, D), A)).isEqualTo(new Remove<>(B));
    assertThat(step(members, Set.of(A, B, C, D), C)).isEqualTo(new Nothing<UUID>());
    assertThat(step(members, Set.of(A, B, C, D), E)).isEqualTo(new Nothing<UUID>());
    for (UUID member : members) {
      assertThat(step(members, Set.of(A, C, D), member)).isEqualTo(new Nothing<UUID>());
    }
  }

  @Test
  void asManyPromoteAsAreMissing() {
    List<UUID> members = List.of(C, D, E, F);
    assertThat(members).filteredOn(m -> step(members, Set.of(A, B, C), m) instanceof PromoteSelf<UUID>)
        .containsExactly(D, E);
  }

  @Test
  void withNobodyToPromoteTheDeadMemberIsRemovedAnyway() {
    // Three members, all of them CP members, one died: the groups shrink to two rather than keep a dead seat.
    List<UUID> members = List.of(A, C);
    assertThat(step(members, Set.of(A, B, C), A)).isEqualTo(new Remove<>(B));
    assertThat(step(members, Set.of(A, B, C), C)).isEqualTo(new Nothing<UUID>());
  }

  @Test
  void theOldestMemberPromotesItselfBeforeItRemovesAnyone() {
    // B died and the oldest member, D, is not a CP member: it promotes itself, then removes B.
    List<UUID> members = List.of(D, A, C);
    assertThat(step(members, Set.of(A, B, C), D)).isEqualTo(new PromoteSelf<UUID>());
    assertThat(step(members, Set.of(A, B, C, D), D)).isEqualTo(new Remove<>(B));
  }

  @Test
  void agentsPromoteThemselvesOnlyWhenTooFewOtherMembersAreLeft() {
    // B died, the CP members being A, B and F; C and D are agents, older than E: E takes the seat.
    List<UUID> members = List.of(A, C, D, E, F);
    Set<UUID> agents = Set.of(C, D);
    Set<UUID> cp = Set.of(A, B, F);
    assertThat(members).filteredOn(m -> CpMembership.step(members, cp, agents, m, 3) instanceof PromoteSelf<UUID>)
        .containsExactly(E);
    // A and B died, the CP members being A, B and F: E takes one seat, then C, the oldest agent, the other.
    List<UUID> fewer = List.of(C, D, E, F);
    assertThat(fewer).filteredOn(m -> CpMembership.step(fewer, Set.of(A, B, F), agents, m, 3)
        instanceof PromoteSelf<UUID>).containsExactly(C, E);
  }

  @Test
  void wholeMeansEnoughCpMembersAndNoneThatLeft() {
    assertThat(CpMembership.whole(List.of(A, B, C, D), Set.of(A, B, C), 3)).isTrue();
    assertThat(CpMembership.whole(List.of(A, C, D), Set.of(A, B, C), 3)).isFalse();
    assertThat(CpMembership.whole(List.of(A, C, D), Set.of(A, B, C, D), 3)).isFalse();
    assertThat(CpMembership.whole(List.of(A, C, D), Set.of(A, C, D), 3)).isTrue();
    assertThat(CpMembership.whole(List.of(A, C, D), Set.of(A, C), 3)).isFalse();
  }

  @Test
  void raftGroupsHaveAnOddSizeFromThreeToSeven() {
    assertThat(ClusterNode.cpGroupSize(3)).isEqualTo(3);
    assertThat(ClusterNode.cpGroupSize(4)).isEqualTo(3);
    assertThat(ClusterNode.cpGroupSize(5)).isEqualTo(5);
    assertThat(ClusterNode.cpGroupSize(9)).isEqualTo(7);
  }
}
