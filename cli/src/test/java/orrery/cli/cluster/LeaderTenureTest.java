package orrery.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LeaderTenureTest {

  @Test
  void aLeaderLeadsOnThroughUnansweredLooksShorterThanASessionLives() {
    // Elected at 1,000; a session lives 6,000 after its last heartbeat.
    LeaderTenure tenure = new LeaderTenure(6_000, 1_000);
    assertThat(tenure.held(2_000)).isTrue();
    // The Raft leader of the locks' group died: looks fail for 4 s while the group elects another.
    assertThat(tenure.unknown(3_000)).isTrue();
    assertThat(tenure.unknown(6_000)).isTrue();
    assertThat(tenure.held(7_000)).isTrue();
    // Out of reach for good: it leads on until 6 s after the lock was last found its own, then steps down.
    assertThat(tenure.unknown(12_999)).isTrue();
    assertThat(tenure.overdue(12_999)).isFalse();
    assertThat(tenure.unknown(13_000)).isFalse();
    // A check blocked that long is overdue too, whatever it answers later.
    assertThat(tenure.overdue(13_000)).isTrue();
  }

  @Test
  void theGraceCountsFromTheElectionUntilTheFirstAnswer() {
    LeaderTenure tenure = new LeaderTenure(6_000, 1_000);
    assertThat(tenure.unknown(6_999)).isTrue();
    assertThat(tenure.unknown(7_000)).isFalse();
  }
}
